/**
 * `pactum keys`: the gateway's context-token signing keys and their rotation (see
 * `auth/rotate-gateway-keys.ts`). It works on the key folder a running gateway follows, so every
 * step takes effect without restarting the gateway or any subgraph.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  addNextGatewayKey,
  GATEWAY_KEY_FILES,
  loadGatewayKeySet,
  promoteNextGatewayKey,
  retirePreviousGatewayKey,
  RETIRE_AFTER_SEC,
  type GatewayKeySet,
} from '../../auth';
import { stateDir } from '../../config/paths';

const HELP = `usage: pactum keys <init|status|jwks|next|promote|retire> [--dir <key folder>] [--force]

The gateway's signing keys for context tokens, in <PACTUM_STATE_DIR or .pactum>/keys.

  init      create the first key (a gateway also does so on its first start)
  status    the current key, and the next and previous ones when a rotation is under way
  jwks      print the published key set (what /.well-known/jwks.json serves)
  next      step 1: add the next key; it is published, nothing is signed with it yet
  promote   step 2: the next key signs from now on; the old one stays published as previous
  retire    step 3: stop publishing the previous key (refused until ${RETIRE_AFTER_SEC} s after promote,
            the longest a context token it signed can live; --force for a compromised key)

A rotation: pactum keys next; wait until every subgraph has the new set (its JWKS cache,
60 s by default); pactum keys promote; wait ${RETIRE_AFTER_SEC} s; pactum keys retire.`;

/** Output streams, injectable for tests. */
export interface KeysCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
}

const processIo: KeysCommandIo = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
};

function describe(set: GatewayKeySet): string {
  const lines = [`current   ${set.current.kid}  (signs)`];
  if (set.next) lines.push(`next      ${set.next.kid}  (published; promote to sign with it)`);
  if (set.previous) lines.push(`previous  ${set.previous.kid}  (published until retired)`);
  return `${lines.join('\n')}\n`;
}

/** Runs `pactum keys`; returns the exit code (0 ok, 2 usage error, 1 refused or failed). */
export async function runKeysCommand(argv: string[], io: KeysCommandIo = processIo): Promise<number> {
  let parsed: { values: { dir?: string; force?: boolean; help?: boolean }; positionals: string[] };
  try {
    parsed = parseArgs({ args: argv, strict: true, allowPositionals: true, options: { dir: { type: 'string' }, force: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } } });
  } catch (error) {
    io.stderr(`pactum keys: ${(error as Error).message}\n\n${HELP}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${HELP}\n`);
    return 0;
  }
  const [step, ...extra] = positionals;
  if (step === undefined || extra.length > 0 || !['init', 'status', 'jwks', 'next', 'promote', 'retire'].includes(step)) {
    io.stderr(`pactum keys: ${step === undefined ? 'which step?' : `unknown step "${[step, ...extra].join(' ')}"`}\n\n${HELP}\n`);
    return 2;
  }
  if (values.force && step !== 'retire') {
    io.stderr('pactum keys: --force applies to retire only\n');
    return 2;
  }
  const dir = path.resolve(values.dir ?? path.join(stateDir(), 'keys'));
  try {
    switch (step) {
      case 'init':
        if (existsSync(path.join(dir, GATEWAY_KEY_FILES.current))) throw new Error(`${path.join(dir, GATEWAY_KEY_FILES.current)} exists already`);
        io.stdout(describe(loadGatewayKeySet(dir)));
        break;
      case 'status':
        io.stdout(describe(loadGatewayKeySet(dir, { create: false })));
        break;
      case 'jwks':
        io.stdout(`${JSON.stringify(loadGatewayKeySet(dir, { create: false }).jwks, null, 2)}\n`);
        break;
      case 'next':
        io.stdout(describe(addNextGatewayKey(dir)));
        break;
      case 'promote':
        io.stdout(describe(promoteNextGatewayKey(dir)));
        break;
      default:
        io.stdout(describe(retirePreviousGatewayKey(dir, { force: values.force === true })));
    }
    return 0;
  } catch (error) {
    io.stderr(`pactum keys ${step}: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}
