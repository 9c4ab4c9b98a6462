/**
 * `pactum audit query|verify|stats|transfers|…`: the compliance officer's view of the trail
 * (and `migrate`, which copies a trail of the old layout into the current one).
 * Store: `--url` / PACTUM_AUDIT_URL (PostgreSQL), else `--file` / PACTUM_AUDIT_FILE,
 * else `<state dir>/audit/audit.sqlite` (the gateway's default). Exit codes: 0 done, 1 trail unavailable or verify
 * found tampering, 2 bad arguments.
 */
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  AUDIT_OUTCOMES,
  buildPeriodReport,
  periodReportToText,
  checkTransferFilter,
  csvHeader,
  listTransfers,
  transferCsvHeader,
  transfersToTable,
  transferToCsvLine,
  transferToJsonLine,
  openAuditTrail,
  parseEntity,
  parseRetention,
  parseTime,
  recordsToTable,
  recordToCsvLine,
  recordToJsonLine,
  statsToTable,
  type AuditConfig,
  type AuditFilter,
  type AuditOutcome,
  type AuditRecord,
  type AuditTrail,
  type TransferEntry,
  type VerifyReport,
} from '../../audit';
import { stateDir } from '../../config/paths';
import { planMigrate } from './audit-migrate';
import { describeCheckpoints, signingFor } from './audit-signing';
import { periodReportToHtml } from '../policy-reports/audit-html';
import { PactumError } from '../../errors';

/** Where the command writes, and what it reads from the environment (overridable in tests). */
export interface AuditCommandIo {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
  readonly now: () => Date;
}

const USAGE = `usage:
  pactum audit query  [filters] [--format table|jsonl|csv] [store]
  pactum audit verify [--chain <replica>] [--expect-head <chain>:<seq>:<hash> …] [--deep] [--json] [store]
                      --deep: also unpack, hash and re-derive every sealed record from its content
  pactum audit stats  [--since <t>] [--until <t>] [--agency <id>] [--purpose <code>] [--json] [store]
  pactum audit report --since <t> [--until <t>] [--agency <id>] [--purpose <code>] [--json | --html <file>] [store]
                      a period's picture: per agency and purpose, denials by reason, top entities, refused persons
  pactum audit checkpoint [--all] [--json] [store]   sign the chain heads with the gateway key (publish the JWS)
  pactum audit prune  --retention <3y|18mo|26w|400d> [--json] [store]   delete older records behind a signed checkpoint
  pactum audit transfers --since <t> --until <t> [--country <CC>] [--format table|jsonl|csv] [store]
  pactum audit migrate --from <old file> --file <new file>   copy a trail of layout 1 into the current layout (hashes kept)
  pactum audit migrate --from-url <url> [--from-schema <old>] --url <url> --schema <new>
                      personal data released to third countries (LED art. 37(3), 38(3) documentation)

filters: --agency <id>  --subject <sub>  --purpose <code>  --case-ref <ref>  --id <auditId>
         --entity <Type:Key> (e.g. Container:MSCU1234566)  --since <t>  --until <t>
         --denied-only  --outcome ${AUDIT_OUTCOMES.join('|')}  --limit <n>
time <t>: ISO (2025-01-10, 2025-01-10T09:00:00Z) or back from now (30m, 24h, 7d, 2w)
store:   --url postgres://… (or PACTUM_AUDIT_URL)  --file <sqlite path> (or PACTUM_AUDIT_FILE,
         default <PACTUM_STATE_DIR or .pactum>/audit/audit.sqlite, as the gateway)  --schema <postgres schema>`;

const OPTIONS = {
  agency: { type: 'string' },
  subject: { type: 'string' },
  purpose: { type: 'string' },
  'case-ref': { type: 'string' },
  id: { type: 'string' },
  entity: { type: 'string' },
  since: { type: 'string' },
  until: { type: 'string' },
  'denied-only': { type: 'boolean' },
  outcome: { type: 'string' },
  limit: { type: 'string' },
  format: { type: 'string' },
  country: { type: 'string' },
  chain: { type: 'string' },
  'expect-head': { type: 'string', multiple: true },
  deep: { type: 'boolean' },
  key: { type: 'string' },
  all: { type: 'boolean' },
  retention: { type: 'string' },
  html: { type: 'string' },
  json: { type: 'boolean' },
  url: { type: 'string' },
  file: { type: 'string' },
  schema: { type: 'string' },
  from: { type: 'string' },
  'from-url': { type: 'string' },
  'from-schema': { type: 'string' },
  help: { type: 'boolean', short: 'h' },
} as const;

type Values = ReturnType<typeof parseArgs<{ options: typeof OPTIONS; allowPositionals: true }>>['values'];

/** Only these options make sense for each subcommand (besides the store options). */
const ALLOWED: Record<string, readonly string[]> = {
  query: ['agency', 'subject', 'purpose', 'case-ref', 'id', 'entity', 'since', 'until', 'denied-only', 'outcome', 'limit', 'format'],
  verify: ['chain', 'expect-head', 'deep', 'json', 'key'],
  checkpoint: ['all', 'json'],
  report: ['since', 'until', 'agency', 'purpose', 'json', 'html'],
  prune: ['retention', 'json', 'key'],
  stats: ['since', 'until', 'agency', 'purpose', 'json'],
  transfers: ['since', 'until', 'country', 'format'],
  migrate: ['from', 'from-url', 'from-schema', 'json'],
};

class UsageError extends Error {}

/** Runs `pactum audit …`; resolves with the exit code. */
export async function runAuditCommand(argv: string[], io: AuditCommandIo = processIo()): Promise<number> {
  let sub: string;
  let values: Values;
  try {
    const parsed = parseArgs({ args: argv, options: OPTIONS, allowPositionals: true, strict: true });
    values = parsed.values;
    if (values.help) {
      io.stdout(`${USAGE}\n`);
      return 0;
    }
    const [first, ...extra] = parsed.positionals;
    if (!first || !(first in ALLOWED)) throw new UsageError(first ? `unknown audit command "${first}"` : 'missing audit command');
    if (extra.length) throw new UsageError(`unexpected argument "${extra[0]}"`);
    sub = first;
    const allowed = new Set([...(ALLOWED[sub] ?? []), 'url', 'file', 'schema', 'help']);
    const stray = Object.keys(values).find((k) => !allowed.has(k));
    if (stray) throw new UsageError(`--${stray} does not apply to "audit ${sub}"`);
  } catch (error) {
    io.stderr(`pactum audit: ${error instanceof Error ? error.message : String(error)}\n\n${USAGE}\n`);
    return 2;
  }

  if (sub === 'migrate') return runMigrate(values, io);
  let trail: AuditTrail | undefined;
  try {
    // Plan everything before touching the store, so bad arguments exit 2 without side effects.
    const plan = planSubcommand(sub, values, io.now());
    const config = storeConfig(values, io.env);
    trail = await openAuditTrail(config, signingFor(sub, values.key, io.env));
    return await plan(trail, io);
  } catch (error) {
    const bad = error instanceof UsageError || (error instanceof PactumError && (error.code === 'BAD_USER_INPUT' || error.code === 'CONFIG_INVALID'));
    io.stderr(`pactum audit ${sub}: ${error instanceof Error ? error.message : String(error)}\n`);
    return bad ? 2 : 1;
  } finally {
    await trail?.close().catch(() => undefined);
  }
}

/** `audit migrate`: its own store handling (the target must be new, the source is of the old layout). */
async function runMigrate(values: Values, io: AuditCommandIo): Promise<number> {
  let run: (out: (text: string) => void) => Promise<number>;
  try {
    run = planMigrate(values);
  } catch (error) {
    io.stderr(`pactum audit migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 2;
  }
  try {
    return await run(io.stdout);
  } catch (error) {
    io.stderr(`pactum audit migrate: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

function storeConfig(values: Values, env: NodeJS.ProcessEnv): AuditConfig {
  if (values.url !== undefined && values.file !== undefined) throw new UsageError('give --url or --file, not both');
  const url = values.url ?? (values.file === undefined ? env.PACTUM_AUDIT_URL || undefined : undefined);
  const schema = values.schema ?? (env.PACTUM_AUDIT_SCHEMA || undefined);
  // The command only reads; its chain id never receives records.
  if (url !== undefined) return { url, replicaId: 'pactum-cli', ...(schema !== undefined ? { schema } : {}) };
  if (values.schema !== undefined) throw new UsageError('--schema applies to PostgreSQL (--url) only');
  // PACTUM_AUDIT_FILE and the default resolve as in the gateway (config/gateway-config.ts):
  // against the state folder, so the command finds the gateway's trail from any directory.
  const file = values.file ?? path.resolve(stateDir(env), env.PACTUM_AUDIT_FILE || 'audit/audit.sqlite');
  // Reading must not create an empty trail and then report "0 records, OK".
  if (!existsSync(file)) throw new UsageError(`no audit trail at ${file} (give --file or --url)`);
  return { file, replicaId: 'pactum-cli' };
}

type Plan = (trail: AuditTrail, io: AuditCommandIo) => Promise<number>;

function planSubcommand(sub: string, v: Values, now: Date): Plan {
  if (sub === 'verify') return planVerify(v);
  if (sub === 'checkpoint') {
    return async (trail, io) => {
      const signed = await trail.checkpoint({ kind: 'export', allChains: true });
      io.stdout(v.json ? `${JSON.stringify(signed, null, 2)}\n` : `${describeCheckpoints(signed)}\n`);
      return 0;
    };
  }
  if (sub === 'prune') {
    if (v.retention === undefined) throw new UsageError('audit prune needs --retention (e.g. 3y)');
    const retention = parseRetention(v.retention, '--retention');
    return async (trail, io) => {
      const results = await trail.prune(retention.cutoff(now), now);
      io.stdout(v.json ? `${JSON.stringify(results, null, 2)}\n` : `${results.map((r) => `chain ${r.chain}: ${r.deleted} record(s) deleted now, records 1..${r.throughSeq} pruned (older than ${retention.cutoff(now).toISOString()})`).join('\n') || 'no chain'}\n`);
      return 0;
    };
  }
  const since = v.since !== undefined ? parseTime(v.since, '--since', now) : undefined;
  const until = v.until !== undefined ? parseTime(v.until, '--until', now) : undefined;
  if (since && until && since >= until) throw new UsageError('--since must be before --until');
  if (sub === 'report') {
    if (!since) throw new UsageError('audit report needs --since (e.g. --since 2025-01-01 or --since 90d)');
    if (v.json && v.html !== undefined) throw new UsageError('--json and --html exclude each other');
    const period = { since, until: until ?? now };
    const filter: AuditFilter = { since: period.since, until: period.until, ...(v.agency ? { agency: v.agency } : {}), ...(v.purpose ? { purpose: v.purpose } : {}) };
    return async (trail, io) => {
      const records: AuditRecord[] = [];
      for await (const r of trail.query(filter)) records.push(r);
      const report = buildPeriodReport(records, period);
      if (v.html !== undefined) {
        const file = path.resolve(v.html);
        writeFileSync(file, periodReportToHtml(report, trail.location));
        io.stdout(`wrote ${file}: ${report.requests} request(s) ${report.since} – ${report.until}\n`);
      } else {
        io.stdout(v.json ? `${JSON.stringify(report, null, 2)}\n` : `${periodReportToText(report)}\n`);
      }
      return 0;
    };
  }
  if (sub === 'transfers') return planTransfers(v, since, until);
  if (sub === 'stats') {
    const filter = { ...(since ? { since } : {}), ...(until ? { until } : {}), ...(v.agency ? { agency: v.agency } : {}), ...(v.purpose ? { purpose: v.purpose } : {}) };
    return async (trail, io) => {
      const stats = await trail.stats(filter);
      io.stdout(v.json ? `${JSON.stringify(stats, null, 2)}\n` : `${statsToTable(stats)}\n`);
      return 0;
    };
  }
  const format = v.format ?? 'table';
  if (format !== 'table' && format !== 'jsonl' && format !== 'csv') throw new UsageError(`--format must be table, jsonl or csv, not "${format}"`);
  if (v.outcome !== undefined && !(AUDIT_OUTCOMES as readonly string[]).includes(v.outcome)) {
    throw new UsageError(`--outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`);
  }
  if (v.limit !== undefined && !/^[1-9]\d{0,8}$/.test(v.limit)) throw new UsageError(`--limit must be a positive integer, not "${v.limit}"`);
  const filter: AuditFilter = {
    ...(v.agency !== undefined ? { agency: v.agency } : {}),
    ...(v.subject !== undefined ? { subject: v.subject } : {}),
    ...(v.purpose !== undefined ? { purpose: v.purpose } : {}),
    ...(v['case-ref'] !== undefined ? { caseRef: v['case-ref'] } : {}),
    ...(v.id !== undefined ? { id: v.id } : {}),
    ...(v.entity !== undefined ? { entity: parseEntity(v.entity) } : {}),
    ...(since ? { since } : {}),
    ...(until ? { until } : {}),
    ...(v['denied-only'] ? { deniedOnly: true } : {}),
    ...(v.outcome !== undefined ? { outcome: v.outcome as AuditOutcome } : {}),
    ...(v.limit !== undefined ? { limit: Number(v.limit) } : {}),
  };
  return async (trail, io) => writeRows(trail.query(filter), format, io, RECORD_FORMATS);
}

/** How one kind of row is written in each format. */
interface RowFormats<T> {
  table(rows: readonly T[]): string;
  csvHeader(): string;
  csv(row: T): string;
  jsonl(row: T): string;
}

const RECORD_FORMATS: RowFormats<AuditRecord> = { table: recordsToTable, csvHeader, csv: recordToCsvLine, jsonl: recordToJsonLine };
const TRANSFER_FORMATS: RowFormats<TransferEntry> = { table: transfersToTable, csvHeader: transferCsvHeader, csv: transferToCsvLine, jsonl: transferToJsonLine };

/** Writes rows as a table (all read first), or streams them as CSV / JSON Lines. */
async function writeRows<T>(rows: AsyncIterable<T>, format: 'table' | 'csv' | 'jsonl', io: AuditCommandIo, f: RowFormats<T>): Promise<number> {
  if (format === 'table') {
    const all: T[] = [];
    for await (const r of rows) all.push(r);
    io.stdout(`${f.table(all)}\n`);
    return 0;
  }
  if (format === 'csv') io.stdout(`${f.csvHeader()}\n`);
  for await (const r of rows) io.stdout(`${format === 'csv' ? f.csv(r) : f.jsonl(r)}\n`);
  return 0;
}

/** `audit transfers`: the documentation of a period (both ends required), one country or all. */
function planTransfers(v: Values, since: Date | undefined, until: Date | undefined): Plan {
  if (!since || !until) throw new UsageError('audit transfers needs --since and --until (the period to document)');
  const format = v.format ?? 'table';
  if (format !== 'table' && format !== 'jsonl' && format !== 'csv') throw new UsageError(`--format must be table, jsonl or csv, not "${format}"`);
  const filter = checkTransferFilter({ since, until, ...(v.country !== undefined ? { country: v.country } : {}) });
  return async (trail, io) => writeRows(listTransfers(trail, filter), format, io, TRANSFER_FORMATS);
}

function planVerify(v: Values): Plan {
  const expectHeads = (v['expect-head'] ?? []).map((text) => {
    const m = /^([A-Za-z0-9._-]{1,64}):(\d+):([0-9a-f]{64})$/.exec(text);
    if (!m) throw new UsageError(`--expect-head "${text}" must be <chain>:<seq>:<64 hex hash>`);
    return { chain: m[1] ?? '', seq: Number(m[2]), hash: m[3] ?? '' };
  });
  return async (trail, io) => {
    const report = await trail.verify({ ...(v.chain !== undefined ? { chain: v.chain } : {}), expectHeads, deep: v.deep === true });
    io.stdout(v.json ? `${JSON.stringify(report, null, 2)}\n` : `${describeVerify(trail.location, report)}\n`);
    return report.ok ? 0 : 1;
  };
}

function describeVerify(location: string, report: VerifyReport): string {
  const lines = [
    `audit trail ${location}: ${report.ok ? 'OK' : 'FAILED'} — ${report.checked} record(s) checked in ${report.chains.length} chain(s)`,
    report.deep ? '  every record checked against its content (--deep)' : '  sealed records checked from their stored parts (--deep: against their content too)',
  ];
  for (const c of report.chains) {
    const head = c.head ? `head seq ${c.head.seq} id ${c.head.id} (note it: --expect-head ${c.chain}:${c.head.seq}:${c.head.hash})` : 'no anchor';
    lines.push(`  chain ${c.chain}: ${c.checked} record(s) ok, ${head}`);
    if (c.pruned) lines.push(`    records 1..${c.pruned.throughSeq} pruned by retention${c.pruned.before ? ` (older than ${c.pruned.before})` : ''}: verified from the signed checkpoint of record ${c.pruned.throughSeq}`);
    if (c.signedHead) lines.push(`    newest signed checkpoint: seq ${c.signedHead.seq} (${c.signedHead.kind}, ${c.signedHead.at}, kid ${c.signedHead.kid})`);
    if (c.problem) lines.push(`    ${c.problem.problem.toUpperCase()} at seq ${c.problem.seq}${c.problem.id ? ` (record ${c.problem.id})` : ''}: ${c.problem.detail}`);
  }
  const a = report.aggregates;
  if (a.problem !== undefined) lines.push(`  AGGREGATES differ from the records: ${a.problem} (they are derived: \`pactum audit migrate\` rebuilds them)`);
  else if (a.checked) lines.push(`  aggregates: ${a.rows} row(s) agree with the records`);
  else lines.push(`  aggregates: not compared (${report.firstBad ? 'a chain is broken' : 'only one chain was walked'})`);
  return lines.join('\n');
}

function processIo(): AuditCommandIo {
  return {
    stdout: (t) => process.stdout.write(t),
    stderr: (t) => process.stderr.write(t),
    env: process.env,
    now: () => new Date(),
  };
}
