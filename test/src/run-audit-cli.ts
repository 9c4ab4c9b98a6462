/** Runs `pactum audit …` in this process and returns its exit code and output. */
import { runAuditCommand } from '@pactum/gateway/src/cli/commands/audit';

export async function runAuditCli(argv: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const code = await runAuditCommand(argv, {
    stdout: (t) => (stdout += t),
    stderr: (t) => (stderr += t),
    env: {},
    now: () => new Date(),
  });
  return { code, stdout, stderr };
}
