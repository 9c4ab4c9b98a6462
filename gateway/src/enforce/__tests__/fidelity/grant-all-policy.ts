/**
 * A policy directory granting everything to everyone, written for one fixture supergraph and
 * loaded through the real loader (`loadPolicy`: shape checks, cross-checks against the
 * supergraph, compilation), so the real decision path runs. Labelled types are granted with a
 * row condition every fixture row passes, so labels are injected and rows checked.
 */
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadPolicy, parseSupergraph, type LoadedPolicy } from '../../../policy';
import { fieldOwners } from '../../../policy/supergraph-model';
import { READER_AGENCY, type FidelitySubgraph } from './fidelity-suite';

/** The purpose every fidelity request declares. */
export const FIDELITY_PURPOSE = 'drug-trafficking';

const BASE = {
  'classification.yaml': `clearanceLevels: [RESTRICTED, CONFIDENTIAL, SECRET]
handlingCodes:
  H0: { meaning: law enforcement only }
  H2: { meaning: no onward transmission }
`,
  'roles.yaml': `roles:
  analyst: { description: analyses }
`,
};

function yamlList(items: readonly string[]): string {
  return `[${items.join(', ')}]`;
}

/**
 * Agreement files granting, from each subgraph's agency, every field it owns to every agency —
 * except the coordinates (`Type.field`) in `withhold`, which no grant names.
 */
export function grantAllAgreements(supergraphSdl: string, subgraphs: readonly FidelitySubgraph[], withhold: readonly string[] = []): Record<string, string> {
  const model = parseSupergraph(supergraphSdl);
  const agencyBySubgraph = new Map(subgraphs.map((s) => [s.name, s.agency]));
  const recipients = [READER_AGENCY, ...subgraphs.map((s) => s.agency)];
  const files: Record<string, string> = {};
  for (const s of subgraphs) {
    const labelled: string[] = [];
    const plain: string[] = [];
    for (const type of model.types.values()) {
      if (type.kind !== 'object' || type.sharedValueType) continue;
      const owned = [...type.fields.keys()].filter((f) => fieldOwners(agencyBySubgraph, type, f)?.includes(s.agency) === true);
      const granted = owned.filter((f) => !withhold.includes(`${type.name}.${f}`));
      if (granted.length === 0) continue;
      const spec = `${type.name}: ${granted.length === owned.length ? '"*"' : yamlList(granted)}`;
      if (type.labelled && agencyBySubgraph.get(type.owningGraph) === s.agency) labelled.push(spec);
      else plain.push(spec);
    }
    const grants: string[] = [];
    if (labelled.length > 0) {
      grants.push(`  - id: labelled-rows
    intent: every labelled row the reader may receive
    fields: { ${labelled.join(', ')} }
    rows: { releasableToRecipient: true }`);
    }
    if (plain.length > 0) {
      grants.push(`  - id: everything-else
    intent: every other field
    fields: { ${plain.join(', ')} }`);
    }
    if (grants.length === 0) continue;
    const id = `${s.name}-to-all`;
    files[`agreements/${id}.yaml`] = `id: ${id}
title: ${s.agency} shares everything
intent: The fidelity oracle's grant-all policy.
legalBasis: test
provider: ${s.agency}
recipients: ${yamlList(recipients)}
purposes: [${FIDELITY_PURPOSE}]
validity: { from: 2020-01-01 }
grants:
${grants.join('\n')}
`;
  }
  return files;
}

/** Writes `files` (plus classification and roles) to a temp policy dir and loads it with the real loader. */
export function loadPolicyFiles(supergraphSdl: string, subgraphs: readonly FidelitySubgraph[], files: Record<string, string>): LoadedPolicy {
  const dir = mkdtempSync(join(tmpdir(), 'pactum-fidelity-'));
  try {
    mkdirSync(join(dir, 'agreements'));
    for (const [rel, text] of Object.entries({ ...BASE, ...files })) writeFileSync(join(dir, rel), text);
    return loadPolicy({
      dir,
      supergraphSdl,
      registries: {
        agencies: new Map<string, string | undefined>([[READER_AGENCY, undefined], ...subgraphs.map((s): [string, string] => [s.agency, s.name])]),
        purposes: new Set([FIDELITY_PURPOSE]),
      },
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The grant-all policy of a fixture, loaded. */
export function loadGrantAllPolicy(supergraphSdl: string, subgraphs: readonly FidelitySubgraph[]): LoadedPolicy {
  return loadPolicyFiles(supergraphSdl, subgraphs, grantAllAgreements(supergraphSdl, subgraphs));
}
