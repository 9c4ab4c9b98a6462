import { containerCheckDigit, imoCheckDigit } from '@pactum/subgraph-kit';
import { Prng } from './prng';
import { COMPANY_STEMS, COMPANY_SUFFIX, GIVEN_NAMES, SURNAMES } from './names';
import { ANALYSIS_PROJECTS, PARTNER_POLICE, STORY_CASE, STORY_CONTAINERS, STORY_INVESTIGATIONS, STORY_VESSELS } from './story';

/** The seed of the shared world; each subgraph seeds its own details with its own fixed seed. */
export const WORLD_SEED = 20211208; // the December 2021 joint statement

export interface WorldContainer { number: string; ownerCode: string; sizeType: string; reefer: boolean }
export interface WorldVessel { imo: string; name: string; flag: string }
export interface WorldCompany { euid: string; name: string; country: string; vatNumber: string; frontCompany: boolean }
/** A synthetic person; `key` is internal to the generator, each agency gives its own pseudonymous id. */
export interface WorldPerson { key: number; name: string; dateOfBirth: string; nationality: string; documentNumbers: string[] }
export interface WorldInvestigation {
  localId: string;
  codeName: string;
  offence: string;
  openedAt: string;
  containers: string[];
  /** Keys of the persons suspected. */
  suspects: number[];
  europolSupport: boolean;
  analysisProject: string | null;
  /** Eurojust case linking it, and that case's JIT, when any. */
  judicialCase: string | null;
  jit: string | null;
}
export interface WorldJudicialCase {
  localId: string;
  title: string;
  countries: string[];
  openedAt: string;
  jit: { id: string; name: string; members: string[]; validFrom: string; validTo: string } | null;
  nationalCases: { agency: string; localId: string; country: string }[];
  /** Keys of persons subject of arrest warrants in this case. */
  warrantSubjects: number[];
}
/** Everything the four agencies' data have in common: the keys that federate. */
export interface DemoWorld {
  containers: WorldContainer[];
  vessels: WorldVessel[];
  companies: WorldCompany[];
  persons: WorldPerson[];
  investigations: WorldInvestigation[];
  judicialCases: WorldJudicialCase[];
  /** Person keys Europol knows as members of organised crime groups. */
  europolPersons: number[];
}

const OWNER_CODES = ['MSCU', 'MAEU', 'HLXU', 'CMAU', 'TGHU', 'CSQU', 'ONEU', 'EGLU', 'HDMU', 'ZIMU', 'SEGU', 'TRIU'];
const SIZE_TYPES = ['45R1', '42R1', '22R1', '45G1', '42G1', '22G1'];
const OFFENCES = ['drug trafficking', 'drug trafficking', 'drug trafficking', 'money laundering', 'participation in a criminal organisation'];
const CODE_WORDS = ['ZEEMEEUW', 'KOPERSLAG', 'MISTHOORN', 'PALMBOOM', 'IJSBERG', 'DRAAIKOLK', 'KADEMUUR', 'LOODS', 'SLUISDEUR', 'STUURHUT'];
const COUNTRY_OF: Readonly<Record<string, string>> = { 'NL-POLICE': 'NL', 'BE-POLICE': 'BE', 'FR-POLICE': 'FR', 'ES-POLICE': 'ES' };

let cached: DemoWorld | undefined;

/** The deterministic demo world (built once per process; treat as read-only). */
export function demoWorld(): DemoWorld {
  cached ??= buildDemoWorld(WORLD_SEED);
  return cached;
}

/** Builds the world from a seed; the same seed always gives the same world. */
export function buildDemoWorld(seed: number): DemoWorld {
  const rng = new Prng(seed);
  const containers = buildContainers(rng);
  const vessels = buildVessels(rng);
  const companies = buildCompanies(rng);
  const persons = buildPersons(rng, 420);
  const investigations = buildInvestigations(rng, containers, persons);
  const judicialCases = buildJudicialCases(rng, investigations, persons);
  // Europol knows 140 persons: 70 the police also suspect (so person hits exist), 70 only it knows.
  const suspected = [...new Set(investigations.flatMap((i) => i.suspects))].sort((a, b) => a - b);
  const unsuspected = persons.map((p) => p.key).filter((k) => !suspected.includes(k));
  const europolPersons = [...rng.sample(suspected, 70), ...rng.sample(unsuspected, 70)].sort((a, b) => a - b);
  return { containers, vessels, companies, persons, investigations, judicialCases, europolPersons };
}

function buildContainers(rng: Prng): WorldContainer[] {
  const seen = new Set<string>(STORY_CONTAINERS);
  const out: WorldContainer[] = STORY_CONTAINERS.map((number) => ({ number, ownerCode: number.slice(0, 3), sizeType: '45R1', reefer: true }));
  while (out.length < 500) {
    const first10 = `${rng.pick(OWNER_CODES)}${rng.digits(6)}`;
    const number = `${first10}${containerCheckDigit(first10)}`;
    if (seen.has(number)) continue;
    seen.add(number);
    const sizeType = rng.chance(0.7) ? rng.pick(SIZE_TYPES.slice(0, 3)) : rng.pick(SIZE_TYPES.slice(3));
    out.push({ number, ownerCode: number.slice(0, 3), sizeType, reefer: sizeType.includes('R') });
  }
  return out;
}

function buildVessels(rng: Prng): WorldVessel[] {
  const out: WorldVessel[] = STORY_VESSELS.map((v) => ({ ...v }));
  const names = ['Maersk', 'MSC', 'Hapag', 'CMA CGM', 'Cosco', 'Evergreen'];
  const places = ['Valparaiso', 'Guayaquil', 'Cartagena', 'Santos', 'Balboa', 'Manzanillo', 'Callao', 'Buenaventura'];
  const seen = new Set(out.map((v) => v.imo));
  while (out.length < 24) {
    const first6 = `9${rng.digits(5)}`;
    const imo = `${first6}${imoCheckDigit(first6)}`;
    if (seen.has(imo)) continue;
    seen.add(imo);
    out.push({ imo, name: `${rng.pick(names)} ${rng.pick(places)}`, flag: rng.pick(['PA', 'LR', 'MT', 'PT', 'MH', 'SG', 'DE', 'DK']) });
  }
  return out;
}

function buildCompanies(rng: Prng): WorldCompany[] {
  const out: WorldCompany[] = [];
  const seen = new Set<string>();
  while (out.length < 60) {
    const country = rng.pick(['NL', 'NL', 'BE', 'FR', 'ES']);
    const euid =
      country === 'NL' ? `NLNHR.${rng.digits(8)}` : country === 'BE' ? `BEKBOBCE.0${rng.digits(9)}`
        : country === 'FR' ? `FRRCS.${rng.digits(9)}` : `ESRMC.B${rng.digits(8)}`;
    if (seen.has(euid)) continue;
    seen.add(euid);
    const id = euid.split('.')[1] ?? '';
    const vatNumber = country === 'NL' ? `NL${rng.digits(9)}B01` : country === 'BE' ? `BE${id}` : country === 'FR' ? `FR${rng.digits(2)}${id}` : `ES${id}`;
    const name = `${rng.pick(COMPANY_STEMS)} ${COMPANY_SUFFIX[country] ?? ''}`.trim();
    out.push({ euid, name, country, vatNumber, frontCompany: rng.chance(0.25) });
  }
  return out;
}

function buildPersons(rng: Prng, count: number): WorldPerson[] {
  const out: WorldPerson[] = [];
  const seen = new Set<string>();
  while (out.length < count) {
    const name = `${rng.pick(GIVEN_NAMES)} ${rng.pick(SURNAMES)}`;
    const dateOfBirth = rng.date('1962-01-01', '2003-12-31');
    if (seen.has(`${name}|${dateOfBirth}`)) continue;
    seen.add(`${name}|${dateOfBirth}`);
    const nationality = rng.pick(['NL', 'NL', 'NL', 'BE', 'BE', 'FR', 'ES', 'CO', 'EC', 'MA', 'AL']);
    const documents = [`${nationality}${rng.pick(['P', 'X', 'N'])}${rng.digits(7)}`];
    if (rng.chance(0.3)) documents.push(`${rng.pick(['NL', 'BE', 'ES'])}I${rng.digits(7)}`);
    out.push({ key: out.length + 1, name, dateOfBirth, nationality, documentNumbers: documents });
  }
  return out;
}

function buildInvestigations(rng: Prng, containers: WorldContainer[], persons: WorldPerson[]): WorldInvestigation[] {
  const out: WorldInvestigation[] = [];
  const used = new Set<string>();
  // Containers police take an interest in: the story six plus about a third of the rest.
  const pool = containers.slice(STORY_CONTAINERS.length).map((c) => c.number);
  let personCursor = 0;
  const nextSuspects = (n: number) => {
    const keys: number[] = [];
    for (let i = 0; i < n; i++) keys.push((persons[(personCursor++) % 300] as WorldPerson).key);
    return keys;
  };
  for (const story of STORY_INVESTIGATIONS) {
    used.add(story.localId);
    out.push({
      localId: story.localId, codeName: story.codeName, offence: 'drug trafficking', openedAt: story.localId.endsWith('0456') ? '2024-03-11' : '2024-02-02',
      containers: [...story.containers, ...rng.sample(pool, 2)], suspects: nextSuspects(5), europolSupport: true, analysisProject: 'AP-COLA',
      judicialCase: STORY_CASE.localId, jit: STORY_CASE.jitId,
    });
  }
  while (out.length < 100) {
    const year = rng.pick([2021, 2022, 2023, 2024, 2025]);
    const localId = `NL-ONB-${year}-${rng.digits(4)}`;
    if (used.has(localId)) continue;
    used.add(localId);
    const offence = rng.pick(OFFENCES);
    const europolSupport = rng.chance(0.45);
    out.push({
      localId, codeName: `${rng.pick(CODE_WORDS)}-${rng.int(1, 99)}`, offence, openedAt: rng.date(`${year}-01-01`, `${year}-12-31`),
      containers: offence === 'drug trafficking' ? rng.sample(pool, rng.int(1, 5)) : rng.sample(pool, rng.int(0, 1)),
      // 98 investigations x ~3 suspects walk through all 300 suspected persons (some in two cases).
      suspects: nextSuspects(rng.int(3, 4)),
      europolSupport,
      analysisProject: europolSupport ? (offence === 'money laundering' ? 'AP-SUSTRANS' : rng.pick(ANALYSIS_PROJECTS).id) : null,
      judicialCase: null, jit: null,
    });
  }
  return out;
}

function buildJudicialCases(rng: Prng, investigations: WorldInvestigation[], persons: WorldPerson[]): WorldJudicialCase[] {
  const out: WorldJudicialCase[] = [];
  const storyInvestigations = investigations.slice(0, STORY_INVESTIGATIONS.length);
  out.push({
    localId: STORY_CASE.localId, title: STORY_CASE.title, countries: ['NL', 'BE', 'FR', 'ES'], openedAt: '2024-04-02',
    jit: { id: STORY_CASE.jitId, name: STORY_CASE.jitName, members: [...STORY_CASE.jitMembers], validFrom: '2024-06-01', validTo: '2026-05-31' },
    nationalCases: [
      ...storyInvestigations.map((i) => ({ agency: 'NL-POLICE', localId: i.localId, country: 'NL' })),
      { agency: 'BE-POLICE', localId: 'BE-FGP-ANT-2024-117', country: 'BE' },
      { agency: 'FR-POLICE', localId: 'FR-OFAST-2024-0931', country: 'FR' },
      { agency: 'ES-POLICE', localId: 'ES-UDYCO-2024-0452', country: 'ES' },
    ],
    warrantSubjects: storyInvestigations.flatMap((i) => i.suspects.slice(0, 2)),
  });
  // About 40 other NL investigations are linked to a Eurojust case; the rest stay national.
  const linkable = rng.sample(investigations.slice(STORY_INVESTIGATIONS.length), 40);
  const usedIds = new Set<string>([STORY_CASE.localId]);
  let jitCounter = 1;
  while (out.length < 50) {
    const year = rng.pick([2021, 2022, 2023, 2024, 2025]);
    const localId = `EJ-${year}-${rng.digits(4)}`;
    if (usedIds.has(localId)) continue;
    usedIds.add(localId);
    const partners = rng.sample(PARTNER_POLICE, rng.int(1, 3));
    const countries = ['NL', ...partners.map((a) => COUNTRY_OF[a] ?? 'NL')].sort();
    const linked = out.length <= 40 ? [linkable[out.length - 1]].filter((i): i is WorldInvestigation => i !== undefined) : [];
    const hasJit = rng.chance(0.55);
    if (jitCounter === 7) jitCounter++; // JIT-2024-07 belongs to the story case
    const jitYear = Math.max(year, 2021);
    const jit = hasJit
      ? {
          id: `JIT-${jitYear}-${String(jitCounter++).padStart(2, '0')}`,
          name: `JIT ${rng.pick(['Harbour', 'Quay', 'Tide', 'Lighthouse', 'Anchor', 'Crane'])} ${rng.int(1, 9)}`,
          members: ['NL-POLICE', 'NL-OM', ...partners, 'EUROJUST', ...(rng.chance(0.6) ? ['EUROPOL'] : [])],
          validFrom: `${jitYear}-${String(rng.int(1, 9)).padStart(2, '0')}-01`,
          // A quarter of JITs have expired: agreements past their end date grant nothing.
          validTo: rng.chance(0.25) ? `${jitYear + 1}-12-31` : `${Math.max(jitYear + 2, 2026)}-12-31`,
        }
      : null;
    for (const inv of linked) {
      inv.judicialCase = localId;
      inv.jit = jit?.id ?? null;
    }
    out.push({
      localId, title: `${rng.pick(['Cocaine', 'Proceeds', 'Precursors', 'Reefer', 'Port'])} ${rng.pick(['network', 'route', 'laundering scheme', 'corridor'])} ${countries.join('-')}`,
      countries, openedAt: rng.date(`${year}-01-01`, `${year}-12-31`), jit,
      nationalCases: [
        ...linked.map((i) => ({ agency: 'NL-POLICE', localId: i.localId, country: 'NL' })),
        ...partners.map((a) => ({ agency: a, localId: `${COUNTRY_OF[a] ?? 'XX'}-${rng.digits(3)}-${year}-${rng.digits(4)}`, country: COUNTRY_OF[a] ?? 'XX' })),
      ],
      warrantSubjects: linked.flatMap((i) => i.suspects.slice(0, 1)).concat(rng.chance(0.5) ? [(rng.pick(persons.slice(300))).key] : []),
    });
  }
  return out;
}
