/**
 * Argument values for the oracle's lookups: keys of the seeded demo world (containers, vessels,
 * companies, investigations, cases, JITs), keys only the subgraphs' own seeds hold (organised
 * crime groups, seized IBANs), found once by asking the bare gateway, hit references issued to
 * each agency (a reference resolves only for the agency it was issued to), and for
 * each kind a well-formed key that exists nowhere (valid check digits, so it is a lookup that
 * misses, not a bad input).
 */
import { demoWorld, EU_PORTS, STORY_CONTAINERS } from '@pactum/demo-world';
import { containerCheckDigit, ibanFor, imoCheckDigit } from '@pactum/subgraph-kit/src/identifiers';
import { INTERDICTIONS } from '@pactum/subgraph-maoc';
import { CALLER_HEADERS } from './bare-gateway';

export interface Person {
  readonly name: string;
  readonly dateOfBirth: string;
}

/** Values per kind of key, existing ones first, then the missing ones. */
export interface KeyPools {
  readonly container: readonly string[];
  readonly imo: readonly string[];
  readonly euid: readonly string[];
  readonly port: readonly string[];
  readonly investigation: readonly string[];
  readonly judicialCase: readonly string[];
  readonly jit: readonly string[];
  readonly ocg: readonly string[];
  readonly iban: readonly string[];
  readonly person: readonly Person[];
  readonly policeReference: readonly string[];
  readonly europolReference: readonly string[];
  readonly interdiction: readonly string[];
}

const MISSING_CONTAINER = `ZZZU999999${containerCheckDigit('ZZZU999999')}`;
const MISSING_IMO = `999999${imoCheckDigit('999999')}`;
const MISSING_IBAN = ibanFor('NL', 'ZZZZ0000000001');
const MISSING_PERSON: Person = { name: 'Nobody Known', dateOfBirth: '1900-01-01' };

type Post = (query: string) => Promise<Record<string, unknown>>;

function postTo(url: string, agency?: string): Post {
  const caller: Record<string, string> = agency
    ? { [CALLER_HEADERS.agency]: agency, [CALLER_HEADERS.subject]: `oracle.${agency.toLowerCase()}`, [CALLER_HEADERS.purpose]: 'drug-trafficking' }
    : {};
  return async (query) => {
    const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', ...caller }, body: JSON.stringify({ query }) });
    const body = (await res.json()) as { data?: Record<string, unknown>; errors?: unknown[] };
    if (!body.data || body.errors) throw new Error(`key discovery failed: ${JSON.stringify(body.errors)}`);
    return body.data;
  };
}

/** Every string found under `key` anywhere in `value`. */
function stringsAt(value: unknown, key: string): string[] {
  if (Array.isArray(value)) return value.flatMap((v) => stringsAt(v, key));
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value as Record<string, unknown>).flatMap(([k, v]) => (k === key && typeof v === 'string' ? [v] : stringsAt(v, key)));
}

const uniq = <T>(xs: readonly T[]): T[] => [...new Set(xs)];

/** Builds the pools; `bareUrl` is the unrestricted bare gateway over the seeded subgraphs, `agencies` the registry's. */
export async function discoverKeys(bareUrl: string, agencies: readonly string[]): Promise<KeyPools> {
  const world = demoWorld();
  const post = postTo(bareUrl);
  const investigations = world.investigations.slice(0, 10);
  const containers = uniq([...STORY_CONTAINERS, ...world.containers.slice(0, 6).map((c) => c.number)]);
  const suspects = uniq(investigations.slice(0, 3).flatMap((i) => i.suspects.slice(0, 2)))
    .map((k) => world.persons.find((p) => p.key === k))
    .filter((p): p is NonNullable<typeof p> => p !== undefined)
    .map(({ name, dateOfBirth }) => ({ name, dateOfBirth }));

  const intel = await post(
    `{ ${STORY_CONTAINERS.map((n, i) => `c${i}: container(number: "${n}") { intelligenceReports { organisedCrimeGroup { id members { name dateOfBirth } } } }`).join(' ')}
       ${investigations.map((inv, i) => `i${i}: investigation(localId: "${inv.localId}") { seizedAssets { iban } }`).join(' ')} }`,
  );
  const ocg = uniq(stringsAt(intel, 'id')).slice(0, 6);
  const members: Person[] = [];
  for (const name of uniq(stringsAt(intel, 'name')).slice(0, 3)) {
    const dob = JSON.stringify(intel).match(new RegExp(`"name":${JSON.stringify(name).replace(/[.*+?^${}()|[\]\\]/g, '\\$&')},"dateOfBirth":"([^"]+)"`))?.[1];
    if (dob) members.push({ name, dateOfBirth: dob });
  }
  const persons = [...suspects, ...members];
  const hitQuery = `{ ${persons.map((p, i) => `p${i}: policePersonHit(name: ${JSON.stringify(p.name)}, dateOfBirth: "${p.dateOfBirth}") { reference } e${i}: europolPersonHit(name: ${JSON.stringify(p.name)}, dateOfBirth: "${p.dateOfBirth}") { reference }`).join(' ')}
    ${STORY_CONTAINERS.slice(0, 2).map((n, i) => `c${i}: container(number: "${n}") { policeHit { reference } europolHit { reference } }`).join(' ')} }`;
  // A few references of each agency: asked as another agency, the same reference is a miss.
  const hitRefs: string[] = [];
  for (const agency of agencies) {
    const refs = uniq(stringsAt(await postTo(bareUrl, agency)(hitQuery), 'reference'));
    hitRefs.push(...refs.filter((r) => r.startsWith('HIT-NLP-')).slice(0, 2), ...refs.filter((r) => !r.startsWith('HIT-NLP-')).slice(0, 2));
  }
  return {
    container: [...containers, MISSING_CONTAINER],
    imo: [...world.vessels.slice(0, 4).map((v) => v.imo), MISSING_IMO],
    euid: [...world.companies.slice(0, 4).map((c) => c.euid), 'NLNHR.99999999'],
    port: [...EU_PORTS, 'USNYC'],
    investigation: [...investigations.map((i) => i.localId), 'NL-ONB-2099-0001'],
    judicialCase: [...world.judicialCases.slice(0, 6).map((c) => c.localId), 'EJ-2099-0001'],
    jit: [...uniq(world.judicialCases.flatMap((c) => (c.jit ? [c.jit.id] : []))).slice(0, 5), 'JIT-2099-01'],
    ocg: [...ocg, 'OCG-9999'],
    iban: [...uniq(stringsAt(intel, 'iban')).slice(0, 5), MISSING_IBAN],
    person: [...persons, MISSING_PERSON],
    policeReference: [...uniq(hitRefs.filter((r) => r.startsWith('HIT-NLP-'))), 'HIT-NLP-0000000000000000'],
    europolReference: [...uniq(hitRefs.filter((r) => !r.startsWith('HIT-NLP-'))), 'HIT-EPL-0000000000000000'],
    interdiction: [...INTERDICTIONS.map((i) => i.id), 'MAOC-INT-2099-0001'],
  };
}
