/**
 * `pactum gateway`: runs the gateway process alone with the real stages wired in. `pactum start`
 * spawns it; operators run it directly behind their own supervisor (Kubernetes, systemd).
 *
 * SIGTERM or SIGINT drains it (`server/drain.ts`): `/readyz` turns 503, new connections are
 * refused (after `PACTUM_DRAIN_DELAY_MS`), requests in flight finish with their audit records,
 * then the audit trail is flushed and closed and the process exits 0. What still runs
 * `PACTUM_DRAIN_TIMEOUT_MS` after the signal is cut, and the exit code is 3. A repeated signal
 * during the drain changes nothing (Ctrl-C under `pactum start` reaches both supervisor and
 * gateway). Nothing else in the process handles these signals: Apollo Server, which installs
 * its own, is no longer part of the gateway.
 */
import { parseArgs } from 'node:util';
import { loadGatewayConfig } from '../../config/gateway-config';
import { createLogger } from '../../log';
import { startGateway } from '../../main';

/** Exit code of a drain that had to cut requests at its timeout. */
export const EXIT_DRAIN_CUT = 3;

const HELP = `usage: pactum gateway

Runs the gateway on PACTUM_GATEWAY_PORT (default 4000). Configuration comes from the
environment; see README.md ("Configuration") and docs/operating.md.

SIGTERM / SIGINT drain it: /readyz answers 503, new connections are refused, requests
in flight finish (PACTUM_DRAIN_TIMEOUT_MS, default 25000), then it exits 0 — or 3 when
requests had to be cut at the timeout.
`;

export async function runGatewayCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' } }, strict: true });
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  let log: ReturnType<typeof createLogger>;
  try {
    log = createLogger();
  } catch (err) {
    process.stderr.write(`gateway: ${(err as Error).message}\n`);
    return 1;
  }
  let running: Awaited<ReturnType<typeof startGateway>>;
  try {
    running = await startGateway(loadGatewayConfig(), log);
  } catch (err) {
    log.fatal({ event: 'start_failed', error: (err as Error).message }, `gateway: ${(err as Error).message}`);
    return 1;
  }
  log.info({ event: 'ready', url: running.url }, `gateway ready at ${running.url}`);
  return new Promise<number>((resolve) => {
    let signalled: NodeJS.Signals | undefined;
    const onSignal = (signal: NodeJS.Signals): void => {
      if (signalled) {
        log.info({ event: 'signal_ignored', signal }, `${signal} during the drain: ignored, the drain goes on`);
        return;
      }
      signalled = signal;
      log.info({ event: 'drain_started', signal }, `${signal}: draining`);
      void (async () => {
        let code = 0;
        try {
          const drained = await running.drain();
          if (drained.cut > 0) code = EXIT_DRAIN_CUT;
          const level = drained.cut > 0 ? 'warn' : 'info';
          log[level](
            { event: 'drained', completed: drained.completed, cut: drained.cut, ms: drained.ms, timedOut: drained.timedOut },
            drained.cut > 0 ? `drain timed out: ${drained.cut} request(s) cut` : `drained: ${drained.completed} request(s) finished`,
          );
        } catch (err) {
          log.error({ event: 'drain_failed', error: (err as Error).message }, 'drain failed');
          code = 1;
        }
        try {
          await running.stop();
          log.info({ event: 'stopped' }, 'gateway stopped');
        } catch (err) {
          log.error({ event: 'stop_failed', error: (err as Error).message }, 'stop failed');
          code = code || 1;
        }
        resolve(code);
      })();
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}
