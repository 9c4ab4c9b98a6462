/**
 * `pactum <command>`: the one command line of the project. Each command lives in its own file
 * under `commands/` and returns an exit code; this file only dispatches.
 */

import { endQuietlyOnClosedPipe } from './quiet-pipe';

type CommandRunner = (argv: string[]) => Promise<number>;

const COMMANDS: Record<string, { summary: string; load: () => Promise<CommandRunner> }> = {
  start: { summary: 'start the registered subgraphs and the gateway (development setup)', load: async () => (await import('./commands/start')).runStartCommand },
  dev: { summary: '`start`, and recompose + swap in the supergraph when a subgraph changes', load: async () => (await import('./commands/dev')).runDevCommand },
  gateway: { summary: 'run the gateway process alone (used by `start`)', load: async () => (await import('./commands/gateway')).runGatewayCommand },
  token: { summary: "print a token from an agency's development identity provider", load: async () => (await import('./commands/token')).runTokenCommand },
  keys: { summary: "show and rotate the gateway's context-token signing keys", load: async () => (await import('./commands/keys')).runKeysCommand },
  policy: { summary: 'check, test and explain the need-to-know policies', load: async () => (await import('./commands/policy')).runPolicyCommand },
  audit: { summary: 'query, verify and summarise the audit trail', load: async () => (await import('./commands/audit')).runAuditCommand },
  subgraph: { summary: 'scaffold a new agency subgraph (`subgraph new <name> --agency <ID>`)', load: async () => (await import('./commands/subgraph')).runSubgraphCommand },
  schema: { summary: 'compose the supergraph and check it is current', load: async () => (await import('./commands/schema')).runSchemaCommand },
};

function usage(): string {
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(8)} ${c.summary}`);
  return `usage: pactum <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nRun \`pactum <command> --help\` for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`${usage()}\n`);
    return name ? 0 : 2;
  }
  const command = COMMANDS[name];
  if (!command) {
    process.stderr.write(`pactum: unknown command "${name}"\n\n${usage()}\n`);
    return 2;
  }
  const run = await command.load();
  return run(rest);
}

/**
 * A process `pactum start` spawned keeps its IPC channel to the supervisor open, and an open
 * channel keeps the event loop alive: once the command is done, let go of it (and of the orphan
 * guard's listener on it), so the process exits with its code instead of waiting to be killed.
 */
function releaseSupervisorChannel(): void {
  if (!process.connected) return;
  process.removeAllListeners('disconnect');
  process.disconnect();
}

endQuietlyOnClosedPipe(process.stdout);
endQuietlyOnClosedPipe(process.stderr);
main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
    releaseSupervisorChannel();
  },
  (err: unknown) => {
    process.stderr.write(`pactum: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
    releaseSupervisorChannel();
  },
);
