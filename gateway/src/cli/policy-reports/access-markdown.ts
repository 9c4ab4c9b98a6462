/**
 * The access matrix as Markdown: one section per agency, one per purpose and access profile,
 * fields of one type with the same cell written once (`Seizure.*` when it is all of them), so
 * "what may BE-POLICE see" fits a screen; then the grants cited, with legal basis and validity.
 */
import type { AccessCell, AccessField, AccessMatrix, ProfileClass } from '../../policy';

/** Fields sharing one cell, compacted by type: `Seizure.*`, `Container.{number, reefer}`. */
export function compactFields(fields: readonly AccessField[], all: readonly AccessField[]): string {
  const byType = new Map<string, string[]>();
  for (const f of fields) byType.set(f.type, [...(byType.get(f.type) ?? []), f.field]);
  const typeSize = new Map<string, number>();
  for (const f of all) typeSize.set(f.type, (typeSize.get(f.type) ?? 0) + 1);
  return [...byType]
    .map(([type, names]) => (names.length === typeSize.get(type) ? `${type}.*` : names.length === 1 ? `${type}.${names[0]}` : `${type}.{${names.join(', ')}}`))
    .join(', ');
}

const cellKey = (c: AccessCell): string => JSON.stringify([c.effect, c.reason, c.grants, c.conditions]);
const esc = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');

/**
 * The lines of one profile class. With `base` (the purpose's widest profile, already printed), only
 * the fields whose cell differs from it are listed, so the profiles of one purpose read as "the
 * same, except …".
 */
function classSection(m: AccessMatrix, k: ProfileClass, base?: ProfileClass): string[] {
  const denied = m.fields.length - k.released - k.conditional;
  const lines = [`### ${k.purpose} — ${k.label}`, '', `${k.released} released, ${k.conditional} conditional on the row, ${denied} denied${base ? `; as ${base.label} except:` : '.'}`, ''];
  const groups = new Map<string, { cell: AccessCell; fields: AccessField[] }>();
  k.cells.forEach((cell, i) => {
    const f = m.fields[i];
    if (!f) return;
    if (base && cellKey(base.cells[i] ?? cell) === cellKey(cell)) return;
    const key = cellKey(cell);
    const g = groups.get(key) ?? { cell, fields: [] };
    g.fields.push(f);
    groups.set(key, g);
  });
  const open = [...groups.values()].filter((g) => g.cell.effect !== 'denied');
  if (open.length > 0) {
    lines.push('| fields | access | grant | row condition |', '|---|---|---|---|');
    for (const g of open.sort((a, b) => a.cell.effect.localeCompare(b.cell.effect))) {
      lines.push(`| ${esc(compactFields(g.fields, m.fields))} | ${g.cell.effect} | ${esc(g.cell.grants.join(', '))} | ${esc(g.cell.conditions.join(' — or — '))} |`);
    }
    lines.push('');
  }
  const byReason = new Map<string, AccessField[]>();
  for (const g of groups.values()) {
    if (g.cell.effect !== 'denied') continue;
    byReason.set(g.cell.reason ?? '', [...(byReason.get(g.cell.reason ?? '') ?? []), ...g.fields]);
  }
  for (const [reason, fields] of byReason) {
    lines.push(`- denied \`${reason}\` (${fields.length}): ${reason === 'NO_AGREEMENT' || reason === 'PURPOSE_NOT_COVERED' ? ownersSummary(fields) : compactFields(fields, m.fields)}`);
  }
  lines.push('');
  return lines;
}

/** For the long, dull denials: counted by the agency that owns the data. */
function ownersSummary(fields: readonly AccessField[]): string {
  const counts = new Map<string, number>();
  for (const f of fields) counts.set(f.owner, (counts.get(f.owner) ?? 0) + 1);
  return [...counts].map(([owner, n]) => `${n} of ${owner}'s fields`).join(', ');
}

/** The whole matrix as Markdown. */
export function accessMatrixToMarkdown(m: AccessMatrix): string {
  const lines = [`# Effective access — policy ${m.policyVersion}, at ${m.at}`, ''];
  lines.push(
    'Each profile is a role held alone (or none) at a clearance level; a principal with several roles sees, field by field, the most any one of them sees. ' +
      'Case memberships matter only on rows (see the row conditions).',
    '',
  );
  for (const agency of m.agencies) {
    lines.push(`## ${agency}`, '');
    const classes = m.classes.filter((c) => c.agency === agency);
    const nothing = classes.filter((c) => c.released + c.conditional === 0);
    for (const purpose of m.purposes) {
      const open = classes.filter((c) => c.purpose === purpose && c.released + c.conditional > 0).sort((a, b) => b.released + b.conditional - (a.released + a.conditional));
      const [widest, ...rest] = open;
      if (!widest) continue;
      lines.push(...classSection(m, widest));
      for (const k of rest) lines.push(...classSection(m, k, widest));
    }
    if (nothing.length > 0) lines.push(`Nothing released for: ${[...new Set(nothing.map((c) => c.purpose))].join(', ')}${nothing.length > new Set(nothing.map((c) => c.purpose)).size ? ' (some profiles)' : ''}.`, '');
  }
  const cited = Object.values(m.grants).sort((a, b) => a.id.localeCompare(b.id));
  if (cited.length > 0) {
    lines.push('## Grants cited', '', '| grant | intent | legal basis | valid | requires |', '|---|---|---|---|---|');
    for (const g of cited) {
      lines.push(`| ${g.id} | ${esc(g.intent)} | ${esc(g.legalBasis)} | ${g.validity.from} – ${g.validity.to ?? 'open'} | ${esc(g.requires.join(', ') || '—')} |`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
