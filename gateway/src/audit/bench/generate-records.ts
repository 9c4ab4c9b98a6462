/**
 * Realistic audit records in bulk, for the trail benchmark and for tests that need many: a
 * deterministic mix (seeded) of ContainerDossier reads that release a container and some of its
 * seizures, single-entity lookups, partial releases with field and row denials, and refusals
 * (expired token, purpose not permitted) — across six agencies, their officers, five purposes,
 * a few thousand distinct entities with a long tail, at times that advance about `intervalMs`
 * per record with jitter. Keys and paths only, as the gateway writes them.
 */
import type { AuditEvent } from '../audit-event';

/** Options of the generator. */
export interface GeneratorOptions {
  /** Time of the first record (default 2026-01-05T08:00Z). */
  readonly start?: Date;
  /** Mean time between records in ms (default 20: 50 requests/s). */
  readonly intervalMs?: number;
  /** Distinct containers (default 3000); seizures and persons scale with it. */
  readonly entities?: number;
  /** PRNG seed (default 1). */
  readonly seed?: number;
}

const AGENCIES = [
  { agency: 'NL-POLICE', officers: 40 },
  { agency: 'NL-CUSTOMS', officers: 30 },
  { agency: 'BE-POLICE', officers: 25 },
  { agency: 'EUROPOL', officers: 15 },
  { agency: 'EUROJUST', officers: 6 },
  { agency: 'CO-FISCALIA', officers: 4 },
] as const;
const PURPOSES = ['drug-trafficking', 'money-laundering', 'organised-crime', 'terrorism', 'customs-risk'] as const;
const CASES = ['NL-ONB-2024-0456', 'BE-ANT-2024-0112', 'EJ-2024-0871', 'EP-OAP-2024-17', 'NL-DOU-2025-0031'] as const;

const DOSSIER_FIELDS = [
  'Query.container', 'Container.number', 'Container.reefer', 'Container.owner', 'Container.seizures', 'Seizure.seizedAt', 'Seizure.substance',
  'Seizure.quantityKg', 'Container.investigations', 'Investigation.localId', 'Investigation.codeName', 'Container.movements', 'Movement.port', 'Movement.at',
];
const LOOKUP_FIELDS = ['Query.person', 'Person.id', 'Person.nationality', 'Person.alerts', 'Alert.kind'];

/** A small seeded PRNG (mulberry32): the same seed gives the same trail. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** A ULID-shaped id for record `n` at `ms` (time prefix, then the counter and random bits: unique per generator). */
function idFor(ms: number, n: number, rnd: () => number): string {
  let out = '';
  let t = ms;
  for (let i = 0; i < 10; i++) {
    out = CROCKFORD[t % 32] + out;
    t = Math.floor(t / 32);
  }
  let c = n;
  let tail = '';
  for (let i = 0; i < 8; i++) {
    tail = CROCKFORD[c % 32] + tail;
    c = Math.floor(c / 32);
  }
  for (let i = 0; i < 8; i++) tail += CROCKFORD[Math.floor(rnd() * 32)];
  return out + tail;
}

/** Generates events one by one; `next()` returns record n = 0, 1, 2, … */
export class RecordGenerator {
  private readonly rnd: () => number;
  private readonly intervalMs: number;
  private readonly entities: number;
  private ms: number;
  private n = 0;

  constructor(options: GeneratorOptions = {}) {
    this.rnd = prng(options.seed ?? 1);
    this.intervalMs = options.intervalMs ?? 20;
    this.entities = options.entities ?? 3000;
    this.ms = (options.start ?? new Date(Date.UTC(2026, 0, 5, 8))).getTime();
  }

  /** A long-tailed pick in [0, n): a few entities are asked about very often, most rarely. */
  private skewed(n: number): number {
    return Math.min(n - 1, Math.floor(n * this.rnd() ** 3));
  }

  private pick<T>(list: readonly T[]): T {
    return list[Math.floor(this.rnd() * list.length)] as T;
  }

  next(): AuditEvent {
    const rnd = this.rnd;
    this.ms += Math.max(1, Math.round(this.intervalMs * 2 * rnd()));
    const n = this.n++;
    const time = new Date(this.ms);
    const who = this.pick(AGENCIES);
    const principal = { subject: `${who.agency.toLowerCase()}-officer-${Math.floor(rnd() * who.officers) + 1}`, agency: who.agency };
    const purpose = { code: this.pick(PURPOSES), justification: `case review ${this.pick(CASES)}`, caseRef: this.pick(CASES) };
    const base = { id: idFor(this.ms, n, rnd), time, requestId: `req-${n.toString(36)}`, principal, policyVersion: 'p-2026-01-01' as string | null };
    const kind = rnd();
    if (kind < 0.04) {
      const expired = rnd() < 0.5;
      return {
        ...base,
        outcome: 'refused',
        httpStatus: expired ? 401 : 403,
        principal: expired ? null : principal,
        purpose: expired ? null : purpose,
        operation: null,
        refusal: expired ? { code: 'UNAUTHENTICATED', reason: 'token_expired' } : { code: 'FORBIDDEN', reason: 'PURPOSE_NOT_PERMITTED' },
        policyVersion: null,
      };
    }
    const owner = who.agency === 'NL-POLICE' ? 'NL-POLICE' : 'NL-CUSTOMS';
    if (kind < 0.45) {
      const person = `P-${String(this.skewed(this.entities * 2)).padStart(6, '0')}`;
      const denied = rnd() < 0.2;
      return {
        ...base,
        outcome: denied ? 'partial' : 'released',
        httpStatus: 200,
        purpose,
        operation: { name: 'PersonLookup', hash: 'c'.repeat(64) },
        enforcement: {
          policyVersion: 'p-2026-01-01',
          fieldsRequested: LOOKUP_FIELDS,
          fieldDenials: denied ? [{ path: 'person.alerts', coordinate: 'Person.alerts', reason: 'NO_AGREEMENT' }] : [],
          rowDenials: [],
          released: [{ type: 'Person', key: person, owner: 'EUROPOL' }],
          grants: [{ agreement: 'europol-operational-2023', grant: 'person-basic' }],
        },
      };
    }
    const container = `MSCU${String(this.skewed(this.entities)).padStart(7, '0')}`;
    const seizures = Math.floor(rnd() * 3);
    const released = [{ type: 'Container', key: container, owner: 'NL-CUSTOMS' }];
    for (let i = 0; i < seizures; i++) released.push({ type: 'Seizure', key: `SZ-${String(this.skewed(this.entities * 2)).padStart(6, '0')}`, owner });
    const restricted = rnd() < 0.3;
    const noInvestigations = who.agency !== 'NL-POLICE';
    return {
      ...base,
      outcome: restricted || noInvestigations ? 'partial' : 'released',
      httpStatus: 200,
      purpose,
      operation: { name: 'ContainerDossier', hash: 'a'.repeat(64), executedHash: 'b'.repeat(64) },
      enforcement: {
        policyVersion: 'p-2026-01-01',
        fieldsRequested: DOSSIER_FIELDS,
        fieldDenials: noInvestigations ? [{ path: 'container.investigations', coordinate: 'Container.investigations', reason: 'NO_AGREEMENT' }] : [],
        rowDenials: restricted ? [{ type: 'Seizure', key: `SZ-${String(this.skewed(this.entities)).padStart(6, '0')}`, owner: 'NL-POLICE', path: 'container.seizures.0', reason: 'HANDLING_RESTRICTED' }] : [],
        released,
        grants: [{ agreement: 'nl-police-customs-2023', grant: 'seizures-hit-no-hit' }, { agreement: 'nl-customs-containers', grant: 'container-basic' }],
        executedOperationHash: 'b'.repeat(64),
      },
    };
  }
}
