/**
 * The gateway's logger: pino, one JSON object per line on stdout, level from `PACTUM_LOG_LEVEL`
 * (default `info`). pino's default destination buffers writes and flushes them off the request
 * path; it is flushed when the process exits.
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

export function createLogger(options: LoggerOptions = {}): Logger {
  const level = options.level ?? logLevelFromEnv();
  const base = { component: options.component ?? 'gateway', pid: process.pid, hostname: os.hostname() };
  // `msg` stays pino's key; time as ISO text so a reader needs no converter.
  const settings = { level, base, timestamp: pino.stdTimeFunctions.isoTime };
  return options.destination ? pino(settings, options.destination) : pino(settings);
}
