/** Runs a `pactum` command in-process with stdout / stderr captured. */
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SHIPPED_POLICIES = join(__dirname, '..', '..', '..', '..', '..', '..', 'policies');

export interface CommandResult {
  readonly code: number;
  readonly out: string;
  readonly err: string;
}

export async function runCaptured(run: (argv: string[]) => Promise<number>, argv: string[]): Promise<CommandResult> {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c: string | Uint8Array) => ((out += String(c)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c: string | Uint8Array) => ((err += String(c)), true));
  try {
    return { code: await run(argv), out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

/** A copy of the shipped policies in a fresh temporary folder (`<tmp>/policies`); returns that folder. */
export function copyShippedPolicies(prefix: string): { root: string; dir: string } {
  const root = mkdtempSync(join(tmpdir(), prefix));
  const dir = join(root, 'policies');
  cpSync(SHIPPED_POLICIES, dir, { recursive: true });
  return { root, dir };
}
