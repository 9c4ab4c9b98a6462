/**
 * The gateway's logger: pino, one JSON object per line on stdout, level from `PACTUM_LOG_LEVEL`
 * (default `info`).
 *
 * Request lines are buffered: pino's default destination issues one asynchronous `write` per
 * line, and each goes through libuv's thread pool and back — in a CPU profile under load that
 * was about 4 % of the gateway's main thread, for lines nobody reads within the millisecond.
 * They are written once 8 KiB have gathered, and at the latest every 100 ms. Every other line
 * (start-up, reloads, warnings, the drain) takes what is gathered along and is handed to the
 * destination at once, so an operator or a supervisor waiting for `ready` never waits for a
 * timer and the order is kept; what is gathered is written
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
const REQUEST_LINE_BUFFER_BYTES = 8 * 1024;
/** Longest a request line waits in the buffer. */
const REQUEST_LINE_FLUSH_MS = 100;

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? logLevelFromEnv();
  const base = { component: options.component ?? 'gateway', pid: process.pid, hostname: os.hostname() };
  // `msg` stays pino's key; time as ISO text so a reader needs no converter.
  const settings = { level, base, timestamp: pino.stdTimeFunctions.isoTime };
  if (options.destination) return pino(settings, options.destination);
  return pino(settings, bufferedStdout());
}

let stdoutOfProcess: DestinationStream | undefined;

/**
 * The one buffered stdout of the process, shared by every logger built without a destination:
 * one timer, one exit hook, one order of lines however many gateways a process builds.
 */
function bufferedStdout(): DestinationStream {
  if (stdoutOfProcess) return stdoutOfProcess;
  // pino's own asynchronous stdout destination (minLength 0: it writes whatever it is handed as
  // soon as its previous write is done; pino writes what it holds synchronously on exit). Request
  // lines are gathered here and handed over in one piece; any other line takes them along.
  const stdout = pino.destination({ dest: 1, sync: false });
  let gathered = '';
  const handOver = (): void => {
    if (gathered === '') return;
    const text = gathered;
    gathered = '';
    stdout.write(text);
  };
  setInterval(handOver, REQUEST_LINE_FLUSH_MS).unref();
  // Registered after pino's own exit hook, so it runs after it: hand over, then write synchronously.
  process.on('exit', () => {
    handOver();
    stdout.flushSync();
  });
  // Not pino's `hooks.logMethod`: there the line is not yet written, so a flush asked for there
  // could only flush the line before it.
  stdoutOfProcess = {
    write(line: string): void {
      gathered += line;
      if (!line.includes('"event":"request"') || gathered.length >= REQUEST_LINE_BUFFER_BYTES) handOver();
    },
  };
  return stdoutOfProcess;
}
