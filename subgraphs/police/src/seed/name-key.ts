import { createHmac } from 'node:crypto';

// A fixed per-agency salt: references are stable across restarts (a follow-up may come days
// later) yet reveal nothing about the record id without the salt.
const POLICE_HIT_SALT = 'pactum-demo/NL-POLICE/hit-reference/v1';

/** The opaque reference a police hit returns for a record: `HIT-NLP-` + 16 hex chars of an HMAC. */
export function policeHitReference(kind: 'person' | 'container', recordId: string): string {
  return `HIT-NLP-${createHmac('sha256', POLICE_HIT_SALT).update(`${kind}:${recordId}`).digest('hex').slice(0, 16).toUpperCase()}`;
}

/** How names are compared in a hit check: case, accents and spacing do not matter. */
export function nameKey(name: string): string {
  return name.normalize('NFKD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/\s+/g, ' ').trim();
}
