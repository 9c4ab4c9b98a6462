import type Database from 'better-sqlite3';
import { labelToRow, type RecordLabel } from '@pactum/subgraph-kit';
import { customsLabel } from './customs-label';
import { demoWorld, EU_PORTS, ORIGIN_PORTS, Prng, STORY_CONTAINERS, STORY_VESSELS, type WorldInvestigation } from '@pactum/demo-world';

/** Fixed seed of the customs-specific details (labels, dates, goods). */
export const CUSTOMS_SEED = 4002;

const GOODS = [
  { description: 'Fresh bananas (Musa spp.), Cavendish', hsCode: '080390', reefer: true },
  { description: 'Fresh pineapples', hsCode: '080430', reefer: true },
  { description: 'Frozen shrimp', hsCode: '030617', reefer: true },
  { description: 'Green coffee beans, not roasted', hsCode: '090111', reefer: false },
  { description: 'Sawn tropical timber', hsCode: '440729', reefer: false },
  { description: 'Ceramic floor tiles', hsCode: '690721', reefer: false },
] as const;

const SUBSTANCES = ['cocaine', 'cocaine', 'cocaine', 'cocaine', 'cannabis resin', 'heroin', 'MDMA precursors'] as const;

/** Story overrides: each story seizure carries a different label so policies have something to decide. */
const STORY_SEIZURE_LABELS: Readonly<Record<string, Partial<RecordLabel>>> = {
  MSCU1234566: { handling: ['H0'] },
  MAEU8123457: { handling: ['H0', 'H1'] },
  HLXU7032104: { handling: ['H0', 'H2'] },
  CMAU4598214: { handling: ['H0', 'H3'], handlingNote: 'Controlled delivery in progress: do not disclose outside the owner until the operation ends' },
  TGHU6002137: { handling: ['H0'], europolSupport: false },
  CSQU3054383: { handling: ['H0', 'H1'] },
};

type Insert = Database.Statement;

/**
 * Third-country police forces of the ports the containers leave from (docs/demo-world.md): Customs
 * marks a voyage's port calls, its containers and their seizures releasable to the force of the
 * port of departure. Panama (PAMIT) has no partner in the registry.
 */
const DEPARTURE_PARTNER: Readonly<Record<string, string>> = { COBUN: 'CO-POLICE', ECGYE: 'EC-POLICE', BRSSZ: 'BR-PF' };

/** North Sea ports whose seizures Customs releases to the UK's NCA (a MAOC-N partner). */
const UK_NCA_PORTS: ReadonlySet<string> = new Set(['NLRTM', 'BEANR']);

/** Seizures at Antwerp reach Dutch Customs from Belgian police: the label says so (`origin`). */
const PROVIDED_AT: Readonly<Record<string, string>> = { BEANR: 'BE-POLICE' };

/** The label with the third-country partners it goes to, no random draw involved (the seeds stay as they were). */
function withPartners(label: RecordLabel, partners: readonly (string | undefined)[]): RecordLabel {
  const extra = partners.filter((p): p is string => p !== undefined && !label.releasableTo.includes(p));
  return extra.length === 0 ? label : { ...label, releasableTo: [...label.releasableTo, ...extra] };
}

/**
 * Fills an empty customs store with the demo world: 500 containers with declarations,
 * scans and port calls, 24 vessels, 60 companies and 200 seizures. Deterministic; the kit
 * runs it in one transaction.
 */
export function seedCustoms(db: Database.Database): void {
  const world = demoWorld();
  const rng = new Prng(CUSTOMS_SEED);
  const investigationsOf = new Map<string, WorldInvestigation[]>();
  for (const inv of world.investigations) {
    for (const number of inv.containers) investigationsOf.set(number, [...(investigationsOf.get(number) ?? []), inv]);
  }
  const caseRefsOf = (number: string) => {
    // Customs records carry the references of cases with a JIT or Eurojust link: that is
    // where seizure reports are filed into a joint case.
    const refs = new Set<string>();
    for (const inv of investigationsOf.get(number) ?? []) {
      if (inv.judicialCase) {
        refs.add(inv.localId);
        refs.add(inv.judicialCase);
        if (inv.jit) refs.add(inv.jit);
      }
    }
    return [...refs];
  };
  const europolOf = (number: string) => (investigationsOf.get(number) ?? []).some((i) => i.europolSupport);
  const label = (number: string, shareWithPartners: boolean) =>
    labelToRow(customsLabel(rng, { caseRefs: caseRefsOf(number), europolSupport: europolOf(number), shareWithPartners }));
  const containerLabel = (number: string) => customsLabel(rng, { caseRefs: caseRefsOf(number), europolSupport: europolOf(number), shareWithPartners: true });

  const ins = {
    container: db.prepare(`INSERT INTO containers (number, owner_code, size_type, reefer, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@number, @ownerCode, @sizeType, @reefer, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    vessel: db.prepare('INSERT INTO vessels (imo, name, flag) VALUES (@imo, @name, @flag)'),
    company: db.prepare(`INSERT INTO companies (euid, name, country, vat_number, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@euid, @name, @country, @vatNumber, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    portCall: db.prepare(`INSERT INTO port_calls (id, vessel_imo, port, arrived_at, departed_at, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @imo, @port, @arrivedAt, @departedAt, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    containerCall: db.prepare('INSERT INTO container_port_calls (container_number, port_call_id) VALUES (?, ?)'),
    declaration: db.prepare(`INSERT INTO declarations (id, container_number, mrn, importer_euid, goods_description, hs_code, origin, destination, lodged_at, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @number, @mrn, @importer, @goods, @hsCode, @origin, @destination, @lodgedAt, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    scan: db.prepare(`INSERT INTO scans (id, container_number, scanned_at, port, result, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @number, @scannedAt, @port, @result, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    seizure: db.prepare(`INSERT INTO seizures (id, container_number, port, seized_at, substance, quantity_kg, owner, handling, handling_note, releasable_to, case_refs, europol_support, label_origin)
      VALUES (@id, @number, @port, @seizedAt, @substance, @quantityKg, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support, @label_origin)`),
  };

  for (const v of world.vessels) ins.vessel.run(v);
  for (const c of world.companies) {
    const l = customsLabel(rng, { caseRefs: [], europolSupport: false, shareWithPartners: false });
    ins.company.run({ ...c, ...labelToRow(l) });
  }
  // Labels drawn in the order they always were; inserted once the voyages say where each container left from.
  const containerLabels = world.containers.map((c) => containerLabel(c.number));

  const arrivals = seedPortCalls(rng, ins, world.vessels.map((v) => v.imo));
  const arrivalOf = new Map<string, { port: string; at: string; origin: string }>();
  const voyageOf = world.containers.map((c, i) => {
    // Story containers ride the story vessels; the rest spread over all voyages.
    const voyage = i < STORY_CONTAINERS.length
      ? arrivals.find((a) => a.imo === STORY_VESSELS[i % STORY_VESSELS.length]?.imo && a.arrivedAt >= '2024-01-10' && (i < 3 ? a.port === 'NLRTM' : a.port === 'BEANR')) ?? (arrivals[i] as Voyage)
      : rng.pick(arrivals);
    arrivalOf.set(c.number, { port: voyage.port, at: voyage.arrivedAt, origin: voyage.origin });
    return voyage;
  });
  world.containers.forEach((c, i) => {
    const l = containerLabels[i];
    const voyage = voyageOf[i];
    if (!l || !voyage) return;
    ins.container.run({ ...c, reefer: c.reefer ? 1 : 0, ...labelToRow(withPartners(l, [DEPARTURE_PARTNER[voyage.origin]])) });
    ins.containerCall.run(c.number, voyage.originCallId);
    ins.containerCall.run(c.number, voyage.callId);
  });

  const frontCompanies = world.companies.filter((c) => c.frontCompany);
  let declarationNo = 0;
  let scanNo = 0;
  for (const c of world.containers) {
    const arrival = arrivalOf.get(c.number);
    if (!arrival) continue;
    const investigated = investigationsOf.has(c.number);
    const goods = rng.pick(GOODS.filter((g) => g.reefer === c.reefer));
    for (let d = 0; d < (rng.chance(0.4) ? 2 : 1); d++) {
      declarationNo++;
      const importer = investigated && rng.chance(0.6) ? rng.pick(frontCompanies) : rng.pick(world.companies);
      ins.declaration.run({
        id: `DEC-${String(declarationNo).padStart(5, '0')}`, number: c.number,
        mrn: `${arrival.at.slice(2, 4)}NL${rng.digits(4)}${String(declarationNo).padStart(9, '0')}${rng.digits(1)}`,
        importer: importer.euid, goods: goods.description, hsCode: goods.hsCode, origin: arrival.origin, destination: arrival.port,
        lodgedAt: shift(arrival.at, -rng.int(24, 96)), ...label(c.number, false),
      });
    }
    if (investigated || rng.chance(0.8)) {
      scanNo++;
      const result = investigated ? rng.pick(['ANOMALY', 'ANOMALY', 'INCONCLUSIVE', 'CLEAR']) : rng.pick(['CLEAR', 'CLEAR', 'CLEAR', 'INCONCLUSIVE']);
      ins.scan.run({ id: `SCN-${String(scanNo).padStart(5, '0')}`, number: c.number, scannedAt: shift(arrival.at, rng.int(2, 20)), port: arrival.port, result, ...label(c.number, true) });
    }
  }

  // 200 seizures: the six story containers, most of the investigated ones, and some chance finds.
  const investigated = world.containers.slice(STORY_CONTAINERS.length).map((c) => c.number).filter((n) => investigationsOf.has(n));
  const others = world.containers.slice(STORY_CONTAINERS.length).map((c) => c.number).filter((n) => !investigationsOf.has(n));
  const seized = [...STORY_CONTAINERS, ...rng.sample(investigated, 140), ...rng.sample(others, 54)];
  seized.forEach((number, i) => {
    const arrival = arrivalOf.get(number);
    if (!arrival) return;
    const substance = i < STORY_CONTAINERS.length ? 'cocaine' : rng.pick(SUBSTANCES);
    const base = customsLabel(rng, { caseRefs: caseRefsOf(number), europolSupport: europolOf(number), shareWithPartners: true });
    const story = STORY_SEIZURE_LABELS[number];
    const storied: RecordLabel = story ? { ...base, handlingNote: null, ...story } : base;
    const l = withPartners(
      { ...storied, origin: PROVIDED_AT[arrival.port] ?? null },
      [DEPARTURE_PARTNER[arrival.origin], UK_NCA_PORTS.has(arrival.port) ? 'UK-NCA' : undefined],
    );
    ins.seizure.run({
      id: `SEZ-${String(i + 1).padStart(4, '0')}`, number, port: arrival.port, seizedAt: shift(arrival.at, rng.int(4, 48)), substance,
      quantityKg: substance === 'cocaine' ? rng.int(20, 2400) + rng.int(0, 9) / 10 : rng.int(5, 800) + rng.int(0, 9) / 10, ...labelToRow(l),
    });
  });
}

interface Voyage { imo: string; callId: string; originCallId: string; port: string; origin: string; arrivedAt: string }

/** Each vessel sails ~12 voyages origin port → EU port between 2023 and mid-2025. */
function seedPortCalls(rng: Prng, ins: { portCall: Insert }, imos: string[]): Voyage[] {
  const voyages: Voyage[] = [];
  let callNo = 0;
  const nextId = () => `PC-${String(++callNo).padStart(5, '0')}`;
  for (const imo of imos) {
    let at = rng.instant('2023-01-01T00:00:00Z', '2023-03-01T00:00:00Z');
    for (let v = 0; v < 12; v++) {
      const origin = rng.pick(ORIGIN_PORTS);
      const port = v % 3 === 0 ? 'BEANR' : v % 5 === 0 ? rng.pick(EU_PORTS) : 'NLRTM';
      const partner = DEPARTURE_PARTNER[origin];
      const label = labelToRow({
        owner: 'NL-CUSTOMS', handling: ['H0'], handlingNote: null,
        releasableTo: ['NL-POLICE', 'NL-OM', 'NL-FIOD', 'BE-POLICE', 'FR-POLICE', 'ES-POLICE', 'EUROPOL', 'UK-NCA', ...(partner ? [partner] : [])],
        caseRefs: [], europolSupport: false,
      });
      const originCallId = nextId();
      ins.portCall.run({ id: originCallId, imo, port: origin, arrivedAt: at, departedAt: shift(at, rng.int(20, 60)), ...label });
      const arrivedAt = shift(at, rng.int(16, 24) * 24);
      const callId = nextId();
      ins.portCall.run({ id: callId, imo, port, arrivedAt, departedAt: shift(arrivedAt, rng.int(20, 72)), ...label });
      voyages.push({ imo, callId, originCallId, port, origin, arrivedAt });
      at = shift(arrivedAt, rng.int(20, 40) * 24);
    }
  }
  return voyages;
}

/** An ISO instant moved by a number of hours. */
function shift(iso: string, hours: number): string {
  return new Date(Date.parse(iso) + hours * 3_600_000).toISOString().replace('.000Z', 'Z');
}
