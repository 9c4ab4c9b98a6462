/** Runs `pactum audit …` in-process against a test trail, with its output captured. */
import { runAuditCommand, type AuditCommandIo } from '../../audit';
import type { StoreHarness } from '../../../../audit/__tests__/support/store-harness';
import type { CommandResult } from './run-command';

/** `pactum audit <argv>` with the given environment and clock. */
export async function runAudit(argv: string[], env: NodeJS.ProcessEnv, now: Date): Promise<CommandResult> {
  let out = '';
  let err = '';
  const io: AuditCommandIo = { stdout: (t) => (out += t), stderr: (t) => (err += t), env, now: () => now };
  const code = await runAuditCommand(argv, io);
  return { code, out, err };
}

/** The options that point the command at the harness's store. */
export function storeOptions(kind: 'sqlite' | 'postgres', h: StoreHarness): string[] {
  return kind === 'sqlite' ? ['--file', String(h.config.file)] : ['--url', String(h.config.url), '--schema', String(h.config.schema)];
}
