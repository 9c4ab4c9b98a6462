/**
 * What the `pactum policy …` subcommands share: loading the policy (`--dir`, `--supergraph`),
 * checking names against the registries with a did-you-mean, the `--at` instant, and the usage
 * error that makes a command exit 2.
 */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { loadSupergraphSdl } from '@pactum/schema';
import { repoRoot } from '../../auth';
import { didYouMean, loadPolicy, type LoadedPolicy } from '../../policy';

/** Options every `pactum policy <subcommand>` takes (spread into its own). */
export const POLICY_COMMON_OPTIONS = {
  dir: { type: 'string' },
  supergraph: { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

/** A mistake in the command line: printed with the usage, exit code 2. */
export class UsageError extends Error {}

/** The policy directory a command reads. */
export function policyDir(values: { dir?: string | undefined }): string {
  return values.dir ? resolve(values.dir) : join(repoRoot(), 'policies');
}

/** Loads and compiles the policy (throws `PolicyValidationError` on a bad file). */
export function loadCliPolicy(values: { dir?: string | undefined; supergraph?: string | undefined }, now?: Date): LoadedPolicy {
  const supergraphSdl = values.supergraph ? readFileSync(resolve(values.supergraph), 'utf8') : loadSupergraphSdl();
  return loadPolicy({ dir: policyDir(values), supergraphSdl, ...(now ? { now } : {}) });
}

/** Comma-separated list. */
export const list = (s: string | undefined): string[] => (s ? s.split(',').map((x) => x.trim()).filter(Boolean) : []);

/** Every name must be one of `valid`, or a {@link UsageError} names it with the nearest valid one. */
export function checkNames(option: string, what: string, names: readonly string[], valid: readonly string[]): void {
  for (const n of names) {
    if (!valid.includes(n)) throw new UsageError(`${option}: unknown ${what} "${n}"${didYouMean(n, valid)}`);
  }
}

/** `--at` or now. */
export function parseAt(text: string | undefined): Date {
  if (text === undefined) return new Date();
  const at = new Date(text);
  if (Number.isNaN(at.getTime())) throw new UsageError(`--at is not a date: ${text}`);
  return at;
}
