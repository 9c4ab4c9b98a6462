/**
 * Renders one JSON log line for a person at a terminal (`pactum start`): the message, then the
 * line's own fields as `key=value`; a request line as `<operation> <outcome> <status> <ms> ms
 * <agency>/<subject> → <subgraphs>`. A line that is not a pino JSON object passes through as it
 * came, so a subgraph's plain output and a stack trace stay readable.
 */

const LEVEL_NAMES: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO', 40: 'WARN', 50: 'ERROR', 60: 'FATAL' };
/** pino's own fields, shown by the layout, not as `key=value`. */
const FRAME = new Set(['level', 'time', 'pid', 'hostname', 'component', 'msg', 'event']);

function text(value: unknown): string {
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function requestLine(o: Record<string, unknown>): string {
  const who = typeof o.agency === 'string' ? ` ${o.agency}/${text(o.subject)}` : '';
  const why = o.code !== undefined ? ` ${text(o.code)}/${text(o.reason)}` : '';
  const subgraphs = Array.isArray(o.subgraphs) && o.subgraphs.length > 0 ? ` → ${o.subgraphs.join(',')}` : '';
  const operation = 'operationName' in o ? text(o.operationName ?? '(anonymous)') : '-';
  return `${operation} ${text(o.outcome)} ${text(o.status)} ${text(o.durationMs)} ms${who}${why}${subgraphs}`;
}

/** The readable form of `line` (see the file comment). */
export function formatLogLine(line: string): string {
  if (!line.startsWith('{')) return line;
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return line;
  }
  if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) return line;
  const o = parsed as Record<string, unknown>;
  if (typeof o.level !== 'number' || typeof o.msg !== 'string') return line;
  const level = o.level === 30 ? '' : `${LEVEL_NAMES[o.level] ?? `LEVEL ${o.level}`} `;
  if (o.event === 'request') return `${level}${requestLine(o)}`;
  const extra = Object.entries(o)
    // A value the message already says (`gateway ready at <url>`) is not repeated.
    .filter(([k, v]) => !FRAME.has(k) && !(typeof v === 'string' && (o.msg as string).includes(v)))
    .map(([k, v]) => `${k}=${text(v)}`);
  return `${level}${o.msg}${extra.length > 0 ? ` (${extra.join(' ')})` : ''}`;
}
