/**
 * What the gateway writes to its operator's log: structured fields and a short message, at a
 * level. A pino logger is one; tests hand in a recorder. Fields are built by the caller from an
 * allow-list (see `request-log-line.ts`): no field value, token, justification or case
 * reference text ever reaches a log line.
 */

/** The fields of one log line (JSON-serialisable, no personal data values). */
export type LogFields = Readonly<Record<string, unknown>>;

/** One method per level, pino's `(fields, message)` call shape. */
export type LogMethod = (fields: LogFields, message: string) => void;

export interface OperatorLog {
  readonly error: LogMethod;
  readonly warn: LogMethod;
  readonly info: LogMethod;
  readonly debug: LogMethod;
  /** Whether a line at `level` would be written (pino's); absent: every level is. */
  readonly isLevelEnabled?: (level: string) => boolean;
}

/** The levels `PACTUM_LOG_LEVEL` takes, most severe first (`silent` writes nothing). */
export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** A log that writes nothing (tests, library use). */
export const silentLog: OperatorLog = { error: () => undefined, warn: () => undefined, info: () => undefined, debug: () => undefined };

/** One line a {@link memoryLog} kept. */
export interface KeptLine {
  readonly level: 'error' | 'warn' | 'info' | 'debug';
  readonly fields: LogFields;
  readonly message: string;
}

/** A log that keeps its lines in memory (tests). */
export function memoryLog(): OperatorLog & { readonly lines: KeptLine[] } {
  const lines: KeptLine[] = [];
  const at = (level: KeptLine['level']): LogMethod => (fields, message) => void lines.push({ level, fields, message });
  return { lines, error: at('error'), warn: at('warn'), info: at('info'), debug: at('debug') };
}
