/**
 * A policy diff as Markdown to paste into a pull-request review: counts first, then per agency
 * and purpose what is gained, lost, or released on other row conditions or under another grant,
 * fields with the same change compacted by type; then the agreements whose validity changed.
 */
import type { AccessCell, AccessChange, AccessChangeKind, PolicyDiff } from '../../policy';

const TITLE: Record<AccessChangeKind, string> = {
  gained: '➕ gained',
  lost: '➖ lost',
  conditions: '✳️ row conditions changed',
  grant: '↔️ same access, another grant',
};

/** `allowed (grant)`, `conditional (grant: condition)`, `denied (REASON)`. */
export function cellText(c: AccessCell): string {
  if (c.effect === 'denied') return `denied (${c.reason ?? ''})`;
  if (c.effect === 'allowed') return `allowed (${c.grants.join(', ')})`;
  return `conditional (${c.grants.map((g, i) => `${g}: ${c.conditions[i] ?? ''}`).join(' — or — ')})`;
}

function compact(coords: readonly string[]): string {
  const byType = new Map<string, string[]>();
  for (const c of coords) {
    const [type = '', field = ''] = c.split('.');
    byType.set(type, [...(byType.get(type) ?? []), field]);
  }
  return [...byType].map(([t, fs]) => (fs.length === 1 ? `${t}.${fs[0]}` : `${t}.{${fs.join(', ')}}`)).join(', ');
}

const span = (v?: { from: string; to?: string }): string => (v ? `${v.from} – ${v.to ?? 'open'}` : '—');

/** The diff as Markdown; `label` names the two sides (`abc123 → working tree`). */
export function policyDiffToMarkdown(d: PolicyDiff, label: string): string {
  const lines = [`## Policy change: effective access (${label})`, ''];
  const { gained, lost, conditions, grant } = d.counts;
  if (d.changes.length === 0 && d.agreements.length === 0) {
    lines.push(`No change to effective access at ${d.at} (policy ${d.beforeVersion} → ${d.afterVersion}).`, '');
    return lines.join('\n');
  }
  lines.push(`**${gained} gained, ${lost} lost, ${conditions} with changed row conditions, ${grant} under another grant** — decided at ${d.at}, policy ${d.beforeVersion} → ${d.afterVersion}.`, '');
  const agencies = [...new Set(d.changes.map((c) => c.agency))];
  for (const agency of agencies) {
    lines.push(`### ${agency}`, '');
    const mine = d.changes.filter((c) => c.agency === agency);
    for (const purpose of [...new Set(mine.map((c) => c.purpose))]) {
      lines.push(`**${purpose}**`, '');
      const groups = new Map<string, { c: AccessChange; coords: string[] }>();
      for (const c of mine.filter((x) => x.purpose === purpose)) {
        const key = JSON.stringify([c.kind, c.profile, c.before, c.after]);
        const g = groups.get(key) ?? { c, coords: [] };
        g.coords.push(c.coordinate);
        groups.set(key, g);
      }
      const order: AccessChangeKind[] = ['gained', 'lost', 'conditions', 'grant'];
      for (const { c, coords } of [...groups.values()].sort((x, y) => order.indexOf(x.c.kind) - order.indexOf(y.c.kind))) {
        lines.push(`- ${TITLE[c.kind]} \`${compact(coords)}\` — ${c.profile}: ${cellText(c.before)} → ${cellText(c.after)}`);
      }
      lines.push('');
    }
  }
  if (d.agreements.length > 0) {
    lines.push('### Agreements', '');
    for (const a of d.agreements) {
      lines.push(a.kind === 'validity' ? `- \`${a.agreement}\`: validity ${span(a.before)} → ${span(a.after)}` : `- \`${a.agreement}\` ${a.kind} (validity ${span(a.after ?? a.before)})`);
    }
    lines.push('');
  }
  return lines.join('\n');
}
