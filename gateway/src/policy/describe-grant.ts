/**
 * A compiled grant told for people: who, what for, until when, under which legal basis and on
 * which rows. Read from the compiled grant (the object decisions run on), so a report shows the
 * conditions the engine checks, not a re-reading of the YAML.
 */
import type { CompiledGrant, CompiledRowConditions } from './policy-model';

/** What a report shows about one grant. */
export interface GrantInfo {
  /** `agreement/grant`. */
  readonly id: string;
  readonly agreement: string;
  readonly grant: string;
  readonly title: string;
  readonly intent: string;
  readonly legalBasis: string;
  readonly provider: string;
  readonly recipients: readonly string[];
  readonly purposes: readonly string[];
  readonly validity: { readonly from: string; readonly to?: string };
  /** `roles: a | b`, `clearance ≥ SECRET`. */
  readonly requires: readonly string[];
  /** One sentence per row condition, empty when the grant has none. */
  readonly rows: readonly string[];
  readonly hitOnly: boolean;
  /** `agreements/x.yaml:12`. */
  readonly source: string;
}

/** `agreement/grant`, the id reports and tests name a grant by. */
export const grantId = (g: { readonly ref: { readonly agreement: string; readonly grant: string } }): string => `${g.ref.agreement}/${g.ref.grant}`;

/**
 * One sentence per row condition. Conditions this file does not know yet (a new kind added to
 * the engine) are still listed, by name and value, so a report never hides a condition.
 */
export function describeRowConditions(rows: CompiledRowConditions | undefined): string[] {
  if (!rows) return [];
  const out: string[] = [];
  for (const [key, value] of Object.entries(rows) as [string, unknown][]) {
    switch (key) {
      case 'excludeHandling':
        if (Array.isArray(value) && value.length > 0) out.push(`row carries none of the handling codes ${value.join(', ')}`);
        break;
      case 'releasableToRecipient':
        if (value === true) out.push("row released by its owner to the principal's agency");
        break;
      case 'europolSupport':
        if (value === true) out.push('row flagged for Europol support');
        break;
      case 'caseMember':
        if (value && typeof value === 'object') {
          const pattern = (value as { refPattern?: RegExp }).refPattern;
          out.push(`principal is a member of one of the row's cases${pattern ? ` matching ${pattern.source}` : ''}`);
        }
        break;
      case 'linkedCase':
        if (value instanceof RegExp) out.push(`row linked to a case matching ${value.source}`);
        break;
      case 'allowRestrictedNotes':
        if (value instanceof Set && value.size > 0) out.push(`H3 rows pass when their note is one of: ${[...value].map((n) => JSON.stringify(n)).join(', ')}`);
        break;
      case 'existenceSecret':
        if (value === true) out.push("a failing row's existence is secret");
        break;
      default:
        if (value !== undefined && value !== false) out.push(`${key}: ${value instanceof RegExp ? value.source : JSON.stringify(value instanceof Set ? [...value] : value)}`);
    }
  }
  return out;
}

/** The report's view of a compiled grant. */
export function describeGrant(g: CompiledGrant): GrantInfo {
  const requires: string[] = [];
  if (g.requiredRoles) requires.push(`roles: ${[...g.requiredRoles].join(' | ')}`);
  if (g.minClearanceName !== undefined) requires.push(`clearance ≥ ${g.minClearanceName}`);
  return {
    id: grantId(g),
    agreement: g.ref.agreement,
    grant: g.ref.grant,
    title: g.agreementTitle,
    intent: g.intent,
    legalBasis: g.legalBasis,
    provider: g.provider,
    recipients: [...g.recipients],
    purposes: [...g.purposes],
    validity: { from: g.validityText.from, ...(g.validityText.to !== undefined ? { to: g.validityText.to } : {}) },
    requires,
    rows: describeRowConditions(g.rows),
    hitOnly: g.hitOnly,
    source: `${g.file}:${g.line}`,
  };
}
