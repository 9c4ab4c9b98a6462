/**
 * The operator's log: pino JSON lines (`createLogger`, `PACTUM_LOG_LEVEL`), the one request
 * line built from an allow-list (`requestLogFields`), and the readable rendering `pactum start`
 * prints (`formatLogLine`). The only public door of `gateway/src/log/`.
 */
export { LOG_LEVELS, memoryLog, silentLog, type KeptLine, type LogFields, type LogLevel, type LogMethod, type OperatorLog } from './operator-log';
export { createLogger, logLevelFromEnv, type LoggerOptions } from './create-logger';
export { requestLogFields, type RequestLogInput } from './request-log-line';
export { formatLogLine } from './format-log-line';
