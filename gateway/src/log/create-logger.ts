/**
 * The gateway's logger: pino, one JSON object per line on stdout, level from `PACTUM_LOG_LEVEL`
 * (default `info`).
 *
 * Request lines are buffered: pino's default destination issues one asynchronous `write` per
 * line, and each goes through libuv's thread pool and back — in a CPU profile under load that
 * was about 4 % of the gateway's main thread, for lines nobody reads within the millisecond.
 * They are written once 8 KiB have gathered, and at the latest every 100 ms. Every other line
 * (start-up, reloads, warnings, the drain) flushes what is buffered and itself at once, so an
 * operator or a supervisor waiting for `ready` never waits for a timer, and the buffer is flushed
 * synchronously when the process exits. A SIGKILL loses at most the last 100 ms of request lines
 * — never an audit record, which is durable before its answer is sent.
 */
import os from 'node:os';
import pino, { type DestinationStream, type Logger } from 'pino';
import { ConfigError } from '../errors';
import { LOG_LEVELS, type LogLevel } from './operator-log';

/** Parses `PACTUM_LOG_LEVEL`; a value that is not a level stops the start with the variable's name. */
export function logLevelFromEnv(env: NodeJS.ProcessEnv = process.env): LogLevel {
  const raw = env.PACTUM_LOG_LEVEL;
  if (raw === undefined || raw === '') return 'info';
  const level = LOG_LEVELS.find((l) => l === raw.toLowerCase());
  if (!level) throw new ConfigError('bad_option', `PACTUM_LOG_LEVEL=${raw}: must be one of ${LOG_LEVELS.join(', ')}`);
  return level;
}

/** Options of {@link createLogger}. */
export interface LoggerOptions {
  /** Lowest level written. Default: `PACTUM_LOG_LEVEL`, else `info`. */
  readonly level?: LogLevel;
  /** Where lines go. Default pino's own stdout destination. */
  readonly destination?: DestinationStream;
  /** Which component writes (`gateway`), a field of every line. */
  readonly component?: string;
}

/** Request lines gathered before a write (see the file comment). */
const REQUEST_LINE_BUFFER_BYTES = 8 * 1024; // below sonic-boom's 16 KiB maxWrite
/** Longest a request line waits in the buffer. */
const REQUEST_LINE_FLUSH_MS = 100;

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? logLevelFromEnv();
  const base = { component: options.component ?? 'gateway', pid: process.pid, hostname: os.hostname() };
  // `msg` stays pino's key; time as ISO text so a reader needs no converter.
  const settings = { level, base, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.destination) return pino(settings, options.destination);
  // pino registers an exit hook for a destination it builds (sync: false): the buffer is written
  // synchronously when the process exits.
  const stdout = pino.destination({ dest: 1, sync: false, minLength: REQUEST_LINE_BUFFER_BYTES });
  let pending = false;
  setInterval(() => {
    if (!pending) return;
    pending = false;
    stdout.flush();
  }, REQUEST_LINE_FLUSH_MS).unref();
  return pino(
    {
      ...settings,
      hooks: {
        logMethod(args, write) {
          write.apply(this, args);
          const fields: unknown = args[0];
          if (typeof fields === 'object' && fields !== null && (fields as { event?: unknown }).event === 'request') pending = true;
          else {
            pending = false;
            stdout.flush();
          }
        },
      },
    },
    stdout,
  );
}
