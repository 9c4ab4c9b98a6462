import type Database from 'better-sqlite3';
import { labelToRow, type RecordLabel } from '@pactum/subgraph-kit';
import { demoWorld, H3_NOTES, Prng, STORY_CASE } from '@pactum/demo-world';

/** Fixed seed of the Eurojust-specific details. */
export const EUROJUST_SEED = 4003;

const AUTHORITIES: Readonly<Record<string, string[]>> = {
  NL: ['NL-OM', 'NL-POLICE'], BE: ['BE-POLICE'], FR: ['FR-POLICE'], ES: ['ES-POLICE'],
};

/** A Eurojust label: varied handling codes, released to the national authorities of the case's countries. */
function eurojustLabel(rng: Prng, countries: readonly string[], caseRefs: readonly string[], extra: readonly string[] = []): RecordLabel {
  const handling: RecordLabel['handling'] = ['H0'];
  if (rng.chance(0.3)) handling.push('H1');
  if (rng.chance(0.1)) handling.push('H2');
  const h3 = rng.chance(0.03);
  if (h3) handling.push('H3');
  const releasableTo = new Set([...countries.flatMap((c) => AUTHORITIES[c] ?? []), ...extra]);
  releasableTo.delete('EUROJUST');
  return { owner: 'EUROJUST', handling, handlingNote: h3 ? rng.pick(H3_NOTES) : null, releasableTo: [...releasableTo], caseRefs: [...caseRefs], europolSupport: extra.includes('EUROPOL') };
}

/**
 * Fills an empty Eurojust store: 50 judicial cases (EJ-2024-0173 first), their JITs
 * (JIT-2024-07 for the story case), national case links, MLA requests and European Arrest
 * Warrants. Deterministic; the kit runs it in one transaction.
 */
export function seedEurojust(db: Database.Database): void {
  const world = demoWorld();
  const rng = new Prng(EUROJUST_SEED);
  const persons = new Map(world.persons.map((p) => [p.key, p]));
  const ins = {
    jit: db.prepare(`INSERT INTO jits (id, name, members, valid_from, valid_to, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @name, @members, @validFrom, @validTo, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    case: db.prepare(`INSERT INTO judicial_cases (agency, local_id, title, countries, status, opened_at, jit_id, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES ('EUROJUST', @localId, @title, @countries, @status, @openedAt, @jitId, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    link: db.prepare('INSERT INTO national_case_links (case_local_id, agency, local_id, country) VALUES (?, ?, ?, ?)'),
    mla: db.prepare(`INSERT INTO mla_requests (id, case_local_id, from_country, to_country, subject, status, sent_at, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @caseId, @from, @to, @subject, @status, @sentAt, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    warrant: db.prepare(`INSERT INTO arrest_warrants (id, case_local_id, issuing_country, subject_name, subject_date_of_birth, offence, status, issued_at, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @caseId, @country, @name, @dob, @offence, @status, @issuedAt, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
  };
  let mlaNo = 0;
  let warrantNo = 0;
  world.judicialCases.forEach((c, i) => {
    const refs = [c.localId, ...(c.jit ? [c.jit.id] : [])];
    const jitMembers = c.jit?.members ?? [];
    const story = c.localId === STORY_CASE.localId;
    if (c.jit) {
      ins.jit.run({ ...c.jit, members: JSON.stringify(c.jit.members), ...labelToRow(eurojustLabel(rng, c.countries, refs, jitMembers)) });
    }
    const caseLabel = story
      ? { owner: 'EUROJUST', handling: ['H0'] as RecordLabel['handling'], handlingNote: null, releasableTo: [...STORY_CASE.jitMembers].filter((m) => m !== 'EUROJUST'), caseRefs: refs, europolSupport: true }
      : eurojustLabel(rng, c.countries, refs, jitMembers);
    ins.case.run({
      localId: c.localId, title: c.title, countries: JSON.stringify(c.countries), status: story || i % 7 !== 0 ? 'OPEN' : rng.pick(['COORDINATION_MEETING', 'CLOSED']),
      openedAt: c.openedAt, jitId: c.jit?.id ?? null, ...labelToRow(caseLabel),
    });
    for (const n of c.nationalCases) ins.link.run(c.localId, n.agency, n.localId, n.country);
    const year = Number(c.openedAt.slice(0, 4));
    for (let m = 0; m < rng.int(2, 3); m++) {
      const from = rng.pick(c.countries);
      const to = rng.pick(c.countries.filter((x) => x !== from).concat(from === 'NL' ? ['LU'] : ['NL']));
      ins.mla.run({
        id: `MLA-${year}-${String(++mlaNo).padStart(4, '0')}`, caseId: c.localId, from, to,
        subject: rng.pick(['Bank records of front companies', 'Hearing of a witness', 'Search of business premises', 'Telecom interception results', 'Freezing of real estate']),
        status: rng.pick(['SENT', 'RECEIVED', 'EXECUTED', 'EXECUTED', 'REFUSED']), sentAt: rng.date(c.openedAt, `${Math.min(year + 1, 2025)}-12-31`),
        ...labelToRow(eurojustLabel(rng, [from, to], refs, jitMembers)),
      });
    }
    for (const key of c.warrantSubjects) {
      const p = persons.get(key);
      if (!p) continue;
      const country = rng.pick(c.countries);
      ins.warrant.run({
        id: `EAW-${country}-${year}-${String(++warrantNo).padStart(4, '0')}`, caseId: c.localId, country, name: p.name, dob: p.dateOfBirth,
        offence: rng.pick(['illicit trafficking in narcotic drugs', 'participation in a criminal organisation', 'laundering of the proceeds of crime']),
        status: rng.pick(['ISSUED', 'ISSUED', 'EXECUTED', 'WITHDRAWN']), issuedAt: rng.date(c.openedAt, `${Math.min(year + 1, 2025)}-12-31`),
        ...labelToRow(eurojustLabel(rng, c.countries, refs, jitMembers)),
      });
    }
  });
}
