import type Database from 'better-sqlite3';
import { labelToRow, nameKey, type RecordLabel } from '@pactum/subgraph-kit';
import { ANALYSIS_PROJECTS, demoWorld, H3_NOTES, PARTNER_POLICE, Prng, STORY_CONTAINERS } from '@pactum/demo-world';

/** Fixed seed of the Europol-specific details. */
export const EUROPOL_SEED = 4004;

const SENDERS = ['NL-POLICE', 'NL-POLICE', 'NL-CUSTOMS', 'BE-POLICE', 'FR-POLICE', 'ES-POLICE', 'EUROPOL'] as const;
const OCG_NAMES = ['Reefer Kings', 'Banana Connection', 'Scheldt Crew', 'Los del Puerto', 'Havenmafia', 'Atlantic Bridge', 'Costa Brava Cell',
  'Le Havre Dockers', 'Algeciras Line', 'Guayaquil Export', 'Zeeland Route', 'Balkan Cartel Branch', 'Moroccan Crossing', 'Andes Pipeline', 'Night Cranes'];
const ACTIVITIES = ['cocaine importation', 'port extraction', 'money laundering', 'corruption of port workers', 'violence', 'precursor trafficking'];

/** A Europol label: varied handling codes; recipients as given; always flagged for Europol support. */
function europolLabel(rng: Prng, releasableTo: readonly string[], caseRefs: readonly string[]): RecordLabel {
  const handling: RecordLabel['handling'] = ['H0'];
  if (rng.chance(0.25)) handling.push('H1');
  if (rng.chance(0.15)) handling.push('H2');
  const h3 = rng.chance(0.04);
  if (h3) handling.push('H3');
  return { owner: 'EUROPOL', handling, handlingNote: h3 ? rng.pick(H3_NOTES) : null, releasableTo: [...new Set(releasableTo)], caseRefs: [...caseRefs], europolSupport: true };
}

/**
 * Fills an empty Europol store: 3 analysis projects, 15 organised crime groups with 140
 * members (70 of them also police suspects, so person hits exist), 500 SIENA messages and
 * 500 intelligence reports about containers, and the investigations Europol supports.
 * No hit references: those are random and issued when a hit is answered.
 */
export function seedEuropol(db: Database.Database): void {
  const world = demoWorld();
  const rng = new Prng(EUROPOL_SEED);
  const persons = new Map(world.persons.map((p) => [p.key, p]));
  const supported = world.investigations.filter((i) => i.europolSupport);
  const caseRefsOf = new Map<string, string[]>();
  for (const inv of supported) {
    for (const n of inv.containers) {
      caseRefsOf.set(n, [...new Set([...(caseRefsOf.get(n) ?? []), inv.localId, ...(inv.judicialCase ? [inv.judicialCase] : []), ...(inv.jit ? [inv.jit] : [])])]);
    }
  }
  const label = (recipients: readonly string[], containers: readonly string[]) =>
    labelToRow(europolLabel(rng, recipients, [...new Set(containers.flatMap((n) => caseRefsOf.get(n) ?? []))]));

  const ins = {
    project: db.prepare(`INSERT INTO analysis_projects (id, name, focus, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @name, @focus, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    ocg: db.prepare(`INSERT INTO ocgs (id, name, activities, countries, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @name, @activities, @countries, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    member: db.prepare(`INSERT INTO ocg_members (id, ocg_id, name, name_key, date_of_birth, nationality, role, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @ocgId, @name, @nameKey, @dateOfBirth, @nationality, @role, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    message: db.prepare(`INSERT INTO siena_messages (id, sent_at, from_agency, to_agencies, subject, body, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @sentAt, @from, @to, @subject, @body, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    messageContainer: db.prepare('INSERT INTO message_containers (message_id, container_number) VALUES (?, ?)'),
    report: db.prepare(`INSERT INTO intelligence_reports (id, title, summary, source_reliability, information_accuracy, produced_at, ocg_id, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @title, @summary, @reliability, @accuracy, @producedAt, @ocgId, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    reportContainer: db.prepare('INSERT INTO report_containers (report_id, container_number) VALUES (?, ?)'),
    supported: db.prepare('INSERT INTO supported_investigations (agency, local_id, analysis_project_id) VALUES (?, ?, ?)'),
  };

  const everyone = ['NL-POLICE', 'NL-CUSTOMS', ...PARTNER_POLICE];
  for (const p of ANALYSIS_PROJECTS) ins.project.run({ ...p, ...labelToRow(europolLabel(rng, everyone, [])) });
  for (const inv of supported) ins.supported.run('NL-POLICE', inv.localId, inv.analysisProject);

  const ocgIds = OCG_NAMES.map((_, i) => `OCG-${String(i + 1).padStart(3, '0')}`);
  OCG_NAMES.forEach((name, i) => {
    ins.ocg.run({
      id: ocgIds[i], name, activities: JSON.stringify(rng.sample(ACTIVITIES, rng.int(1, 3))), countries: JSON.stringify(['NL', ...rng.sample(['BE', 'FR', 'ES', 'CO', 'EC'], rng.int(1, 3))]),
      ...labelToRow(europolLabel(rng, rng.sample(everyone, rng.int(2, 5)), [])),
    });
  });
  world.europolPersons.forEach((key, i) => {
    const p = persons.get(key);
    if (!p) return;
    const id = `EPL-P-${String(i + 1).padStart(5, '0')}`;
    ins.member.run({
      id, ocgId: ocgIds[i % ocgIds.length], name: p.name, nameKey: nameKey(p.name), dateOfBirth: p.dateOfBirth, nationality: p.nationality,
      role: rng.pick(['leader', 'broker', 'logistics', 'money mule', 'port insider', 'enforcer']), ...labelToRow(europolLabel(rng, rng.sample(everyone, rng.int(1, 4)), [])),
    });
  });

  // Containers Europol talks about: the story six (several times), those of supported investigations, and some others.
  const supportedContainers = [...new Set(supported.flatMap((i) => i.containers))].filter((n) => !(STORY_CONTAINERS as readonly string[]).includes(n));
  const allNumbers = world.containers.map((c) => c.number);
  const containersFor = (i: number): string[] => {
    if (i < STORY_CONTAINERS.length * 3) return [STORY_CONTAINERS[i % STORY_CONTAINERS.length] as string];
    return rng.chance(0.75) ? rng.sample(supportedContainers, rng.int(1, 2)) : rng.sample(allNumbers, 1);
  };
  for (let i = 0; i < 500; i++) {
    const containers = containersFor(i);
    const from = rng.pick(SENDERS);
    const to = rng.sample(['EUROPOL', 'NL-POLICE', 'NL-CUSTOMS', ...PARTNER_POLICE].filter((a) => a !== from), rng.int(1, 3));
    const id = `SIENA-${2023 + (i % 3)}-${String(i + 1).padStart(6, '0')}`;
    ins.message.run({
      id, sentAt: rng.instant('2023-01-01T00:00:00Z', '2025-06-30T23:59:59Z'), from, to: JSON.stringify(to),
      subject: `${rng.pick(['Request for information', 'Spontaneous exchange', 'Cross-match result', 'Operational update'])}: ${containers.join(', ')}`,
      body: `${from} reports ${rng.pick(['a suspicious declaration', 'an anomalous scan', 'a rip-off pattern', 'links to a known importer', 'a controlled delivery'])} concerning ${containers.join(', ')}.`,
      ...label([from, ...to], containers),
    });
    for (const n of containers) ins.messageContainer.run(id, n);
  }
  for (let i = 0; i < 500; i++) {
    const containers = i < STORY_CONTAINERS.length ? [STORY_CONTAINERS[i] as string] : rng.chance(0.6) ? containersFor(i + 100) : [];
    const id = `EPL-IR-${String(i + 1).padStart(5, '0')}`;
    const ocgId = rng.pick(ocgIds);
    ins.report.run({
      id, title: `${rng.pick(['Modus operandi', 'Network analysis', 'Financial flows', 'Port insider activity', 'Route assessment'])} ${ocgId}`,
      summary: `Assessment of ${ocgId} activity${containers.length ? ` involving ${containers.join(', ')}` : ''}.`,
      reliability: rng.pick(['A', 'B', 'B', 'C', 'X']), accuracy: rng.int(1, 4), producedAt: rng.instant('2023-01-01T00:00:00Z', '2025-06-30T23:59:59Z'),
      ocgId, ...label(rng.sample(everyone, rng.int(1, 5)), containers),
    });
    for (const n of containers) ins.reportContainer.run(id, n);
  }
}
