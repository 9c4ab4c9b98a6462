import type Database from 'better-sqlite3';
import { ibanFor, labelToRow, nameKey, type RecordLabel } from '@pactum/subgraph-kit';
import { demoWorld, Prng, type WorldInvestigation } from '@pactum/demo-world';
import { policeLabel, STORY_THIRD_COUNTRY_SHARING, storyInvestigationLabel } from './police-label';

/** Fixed seed of the police-specific details. */
export const POLICE_SEED = 4001;

const ROLES = ['ORGANISER', 'EXTRACTOR', 'EXTRACTOR', 'LOGISTICS', 'LOGISTICS', 'MONEY_LAUNDERER', 'FACILITATOR'] as const;

/** A pseudonymous police person id; never derived from a national ID number. */
export function suspectId(personKey: number): string {
  return `NLP-S-${String(personKey).padStart(5, '0')}`;
}

/**
 * Fills an empty police store: 100 investigations (the two story ones first), 300 suspects,
 * the containers each investigation concerns and seized assets with valid IBANs.
 * Deterministic; the kit runs it in one transaction. No hit references: those are random and
 * issued when a hit is answered (see `POLICE_HIT_REFERENCES`).
 */
export function seedPolice(db: Database.Database): void {
  const world = demoWorld();
  const rng = new Prng(POLICE_SEED);
  const jitMembersOf = new Map<string, string[]>();
  for (const c of world.judicialCases) if (c.jit) jitMembersOf.set(c.jit.id, c.jit.members);
  const persons = new Map(world.persons.map((p) => [p.key, p]));

  const ins = {
    investigation: db.prepare(`INSERT INTO investigations (agency, local_id, code_name, offence, status, opened_at, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES ('NL-POLICE', @localId, @codeName, @offence, @status, @openedAt, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    suspect: db.prepare(`INSERT INTO suspects (id, name, name_key, date_of_birth, nationality, document_numbers, role, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, @name, @nameKey, @dateOfBirth, @nationality, @documents, @role, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
    link: db.prepare("INSERT INTO investigation_suspects (agency, local_id, suspect_id) VALUES ('NL-POLICE', ?, ?)"),
    container: db.prepare("INSERT INTO investigation_containers (agency, local_id, container_number) VALUES ('NL-POLICE', ?, ?)"),
    asset: db.prepare(`INSERT INTO seized_assets (id, agency, local_id, kind, iban, description, value_eur, owner, handling, handling_note, releasable_to, case_refs, europol_support)
      VALUES (@id, 'NL-POLICE', @localId, @kind, @iban, @description, @valueEur, @owner, @handling, @handling_note, @releasable_to, @case_refs, @europol_support)`),
  };

  const suspectLabel = new Map<number, RecordLabel>();
  let assetNo = 0;
  world.investigations.forEach((inv: WorldInvestigation, i) => {
    const jitMembers = inv.jit ? jitMembersOf.get(inv.jit) ?? [] : [];
    const label = storyInvestigationLabel(inv) ?? policeLabel(rng, inv, jitMembers);
    const status = i < 2 ? 'OPEN' : rng.pick(['OPEN', 'OPEN', 'OPEN', 'SUSPENDED', 'CLOSED']);
    ins.investigation.run({ ...inv, status, ...labelToRow(label) });
    for (const number of inv.containers) ins.container.run(inv.localId, number);
    for (const key of inv.suspects) {
      // A person in two investigations keeps the label of the first (their police file).
      if (!suspectLabel.has(key)) {
        const own = policeLabel(rng, inv, jitMembers, 0.25);
        // The story case's suspects go where its file goes, third countries included (no random draw: the seed stays as it was).
        const shared = STORY_THIRD_COUNTRY_SHARING.filter((a) => label.releasableTo.includes(a) && !own.releasableTo.includes(a));
        suspectLabel.set(key, { ...own, releasableTo: [...own.releasableTo, ...shared], caseRefs: label.caseRefs });
      }
    }
    for (let a = 0; a < rng.int(inv.offence === 'money laundering' ? 2 : 0, 3); a++) {
      assetNo++;
      const kind = rng.pick(['BANK_ACCOUNT', 'BANK_ACCOUNT', 'REAL_ESTATE', 'VEHICLE', 'CASH'] as const);
      const country = rng.pick(['NL', 'NL', 'BE', 'ES', 'FR']);
      const iban = kind === 'BANK_ACCOUNT' ? ibanFor(country, bban(rng, country)) : null;
      ins.asset.run({
        id: `NLP-A-${String(assetNo).padStart(5, '0')}`, localId: inv.localId, kind, iban,
        description: describeAsset(rng, kind, country), valueEur: rng.int(5, 2500) * 1000, ...labelToRow({ ...policeLabel(rng, inv, jitMembers), caseRefs: label.caseRefs }),
      });
    }
  });

  for (const [key, label] of [...suspectLabel].sort(([a], [b]) => a - b)) {
    const p = persons.get(key);
    if (!p) continue;
    const id = suspectId(key);
    ins.suspect.run({
      id, name: p.name, nameKey: nameKey(p.name), dateOfBirth: p.dateOfBirth, nationality: p.nationality,
      documents: JSON.stringify(p.documentNumbers), role: rng.pick(ROLES), ...labelToRow(label),
    });
  }
  world.investigations.forEach((inv) => inv.suspects.forEach((key) => ins.link.run(inv.localId, suspectId(key))));
}

/** A BBAN of the right shape for the country (bank codes are invented). */
function bban(rng: Prng, country: string): string {
  switch (country) {
    case 'NL': return `${rng.pick(['ABNA', 'INGB', 'RABO', 'TRIO', 'KNAB'])}${rng.digits(10)}`;
    case 'BE': return rng.digits(12);
    case 'FR': return `${rng.digits(10)}${rng.digits(11)}${rng.digits(2)}`;
    default: return rng.digits(20);
  }
}

function describeAsset(rng: Prng, kind: string, country: string): string {
  switch (kind) {
    case 'BANK_ACCOUNT': return `Frozen account of a front company (${country})`;
    case 'REAL_ESTATE': return `${rng.pick(['Villa', 'Apartment', 'Warehouse', 'Holiday home'])} in ${rng.pick(['Marbella', 'Antwerpen', 'Rotterdam', 'Dubai', 'Amsterdam', 'Lille'])}`;
    case 'VEHICLE': return `${rng.pick(['Armoured SUV', 'Sports car', 'Lorry with hidden compartment', 'Speedboat'])}`;
    default: return `Cash found in ${rng.pick(['a stash house', 'a car', 'a shipping container', 'a safe'])}`;
  }
}
