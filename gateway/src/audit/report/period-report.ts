/**
 * A period's picture for a supervisor (`pactum audit report --since …`): requests, releases and
 * denials per agency and per purpose, denials by reason, the entities released most, and the
 * refusals of verified principals by person — folded from the records themselves, one pass.
 */
import type { AuditRecord } from '../audit-event';

/** Counts for one agency or purpose. */
export interface PeriodCounts {
  readonly name: string;
  requests: number;
  /** Requests that released at least one entity. */
  releasing: number;
  /** Requests with a denied field or row, or refused. */
  denying: number;
  refused: number;
}

/** One refused request of a verified principal. */
export interface RefusalLine {
  readonly time: string;
  readonly auditId: string;
  readonly purpose: string;
  readonly justification: string;
  readonly reason: string;
}

/** The report. */
export interface PeriodReport {
  readonly since: string;
  readonly until: string;
  readonly requests: number;
  readonly byOutcome: Readonly<Record<string, number>>;
  readonly perAgency: readonly PeriodCounts[];
  readonly perPurpose: readonly PeriodCounts[];
  /** `kind` field / row / refusal. */
  readonly denialReasons: readonly { readonly kind: string; readonly reason: string; readonly count: number; readonly agencies: readonly string[] }[];
  readonly topEntities: readonly { readonly type: string; readonly key: string; readonly owner: string; readonly releases: number; readonly agencies: readonly string[] }[];
  readonly refusedPrincipals: readonly { readonly agency: string; readonly subject: string; readonly count: number; readonly refusals: readonly RefusalLine[] }[];
}

const byCountThenName = <T extends { name?: string; count?: number; requests?: number }>(a: T, b: T) =>
  (b.count ?? b.requests ?? 0) - (a.count ?? a.requests ?? 0) || String(a.name ?? '').localeCompare(String(b.name ?? ''));

/** Folds `records` (of the period) into the report; `topN` entities are kept (default 20). */
export function buildPeriodReport(records: Iterable<AuditRecord>, period: { since: Date; until: Date }, topN = 20): PeriodReport {
  const outcomes: Record<string, number> = {};
  const agencies = new Map<string, PeriodCounts>();
  const purposes = new Map<string, PeriodCounts>();
  const reasons = new Map<string, { kind: string; reason: string; count: number; agencies: Set<string> }>();
  const entities = new Map<string, { type: string; key: string; owner: string; releases: number; agencies: Set<string> }>();
  const refused = new Map<string, { agency: string; subject: string; count: number; refusals: RefusalLine[] }>();
  let requests = 0;
  const counts = (m: Map<string, PeriodCounts>, name: string) => {
    let c = m.get(name);
    if (!c) m.set(name, (c = { name, requests: 0, releasing: 0, denying: 0, refused: 0 }));
    return c;
  };
  for (const r of records) {
    const e = r.event;
    requests++;
    outcomes[e.outcome] = (outcomes[e.outcome] ?? 0) + 1;
    const agency = e.principal?.agency ?? '(unauthenticated)';
    const en = e.enforcement;
    const releasing = (en?.released.length ?? 0) > 0;
    const denying = e.outcome === 'refused' || (en?.fieldDenials.length ?? 0) + (en?.rowDenials.length ?? 0) > 0;
    for (const c of [counts(agencies, agency), counts(purposes, e.purpose?.code ?? '(none)')]) {
      c.requests++;
      if (releasing) c.releasing++;
      if (denying) c.denying++;
      if (e.outcome === 'refused') c.refused++;
    }
    const reason = (kind: string, why: string) => {
      const k = `${kind} ${why}`;
      const x = reasons.get(k) ?? { kind, reason: why, count: 0, agencies: new Set<string>() };
      x.count++;
      x.agencies.add(agency);
      reasons.set(k, x);
    };
    if (e.refusal) reason('refusal', `${e.refusal.code}/${e.refusal.reason}`);
    for (const d of en?.fieldDenials ?? []) reason('field', d.reason);
    for (const d of en?.rowDenials ?? []) reason('row', d.reason);
    for (const x of en?.released ?? []) {
      const k = `${x.type}\u0000${x.key}\u0000${x.owner}`;
      const y = entities.get(k) ?? { ...x, releases: 0, agencies: new Set<string>() };
      y.releases++;
      y.agencies.add(agency);
      entities.set(k, y);
    }
    // A verified principal refused (or denied outright): who, and why, for a supervisor's follow-up.
    if (e.principal && (e.outcome === 'refused' || e.outcome === 'denied')) {
      const k = `${e.principal.agency}\u0000${e.principal.subject}`;
      const p = refused.get(k) ?? { agency: e.principal.agency, subject: e.principal.subject, count: 0, refusals: [] };
      p.count++;
      p.refusals.push({
        time: e.time.toISOString(),
        auditId: e.id,
        purpose: e.purpose?.code ?? '',
        justification: e.purpose?.justification ?? '',
        reason: e.refusal ? `${e.refusal.code}/${e.refusal.reason}` : [...new Set([...(en?.fieldDenials ?? []), ...(en?.rowDenials ?? [])].map((d) => d.reason))].join(', '),
      });
      refused.set(k, p);
    }
  }
  return {
    since: period.since.toISOString(),
    until: period.until.toISOString(),
    requests,
    byOutcome: outcomes,
    perAgency: [...agencies.values()].sort(byCountThenName),
    perPurpose: [...purposes.values()].sort(byCountThenName),
    denialReasons: [...reasons.values()].map((x) => ({ ...x, agencies: [...x.agencies].sort() })).sort((a, b) => b.count - a.count || a.reason.localeCompare(b.reason)),
    topEntities: [...entities.values()]
      .map((x) => ({ ...x, agencies: [...x.agencies].sort() }))
      .sort((a, b) => b.releases - a.releases || `${a.type}:${a.key}`.localeCompare(`${b.type}:${b.key}`))
      .slice(0, topN),
    refusedPrincipals: [...refused.values()].sort((a, b) => b.count - a.count || a.subject.localeCompare(b.subject)),
  };
}

/** The report as plain text (the command's default output). */
export function periodReportToText(r: PeriodReport): string {
  const lines = [`audit report ${r.since} – ${r.until}: ${r.requests} request(s) (${Object.entries(r.byOutcome).map(([o, n]) => `${n} ${o}`).join(', ') || 'none'})`, ''];
  const table = (title: string, rows: readonly PeriodCounts[]) => {
    lines.push(title);
    for (const c of rows) lines.push(`  ${c.name.padEnd(22)} ${String(c.requests).padStart(6)} requests  ${String(c.releasing).padStart(6)} releasing  ${String(c.denying).padStart(6)} with denials  ${String(c.refused).padStart(6)} refused`);
    lines.push('');
  };
  table('per agency', r.perAgency);
  table('per purpose', r.perPurpose);
  lines.push('denials by reason');
  for (const d of r.denialReasons) lines.push(`  ${`${d.kind} ${d.reason}`.padEnd(40)} ${String(d.count).padStart(6)}  (${d.agencies.join(', ')})`);
  lines.push('', 'entities released most');
  for (const x of r.topEntities) lines.push(`  ${`${x.type}:${x.key}`.padEnd(40)} ${String(x.releases).padStart(6)}  owner ${x.owner}, to ${x.agencies.join(', ')}`);
  lines.push('', 'refusals of verified principals, by person');
  for (const p of r.refusedPrincipals) lines.push(`  ${`${p.agency} ${p.subject}`.padEnd(40)} ${String(p.count).padStart(6)}  ${[...new Set(p.refusals.map((x) => x.reason))].join('; ')}`);
  return lines.join('\n');
}
