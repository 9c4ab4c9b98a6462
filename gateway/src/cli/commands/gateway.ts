/**
 * `pactum gateway`: runs the gateway process alone with the real stages wired in. `pactum start`
 * spawns it; operators run it directly behind their own supervisor.
 */
import { parseArgs } from 'node:util';
import { startGateway } from '../../main';

const HELP = `usage: pactum gateway

Runs the gateway on PACTUM_GATEWAY_PORT (default 4000). Configuration comes from the
environment; see README.md ("Configuration").
`;

export async function runGatewayCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let running: Awaited<ReturnType<typeof startGateway>>;
  try {
    running = await startGateway();
  } catch (err) {
    process.stderr.write(`gateway: ${(err as Error).message}\n`);
    return 1;
  }
  process.stdout.write(`gateway ready at ${running.url}\n`);
  return new Promise<number>((resolve) => {
    const stop = (): void => {
      running.stop().then(
        () => resolve(0),
        () => resolve(1),
      );
    };
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
