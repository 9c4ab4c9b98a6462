import { createHmac } from 'node:crypto';

// A fixed per-agency salt: stable references for later follow-ups, meaningless without it.
const EUROPOL_HIT_SALT = 'pactum-demo/EUROPOL/hit-reference/v1';

/** The opaque reference a Europol hit returns: `HIT-EPL-` + 16 hex chars of an HMAC. */
export function europolHitReference(kind: 'person' | 'container', recordId: string): string {
  return `HIT-EPL-${createHmac('sha256', EUROPOL_HIT_SALT).update(`${kind}:${recordId}`).digest('hex').slice(0, 16).toUpperCase()}`;
}

/** How names are compared in a hit check: case, accents and spacing do not matter. */
export function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
