/**
 * What the bench asks: each workload is one GraphQL request (operation, variables) made by one
 * development principal for one declared purpose. Every gateway variant gets the very same
 * bytes; the bare gateway simply ignores the headers it does not understand.
 */
import { parse, print, visit, type FieldNode } from 'graphql';
import { loadOperations } from '@pactum/schema';
import { BENCH_PORTS, LARGE_DOSSIER, LARGE_DOSSIER_CONTAINER, ROWS_PER_PORT } from './bench-seed';

/** The claims of the development token a workload is sent with. */
export interface BenchPrincipal {
  readonly agency: string;
  readonly sub: string;
  readonly roles: readonly string[];
  readonly clearance: string;
  readonly purposes: readonly string[];
  readonly cases: readonly string[];
}

export interface Workload {
  /** Stable name used on the command line and in results (`dossier-full`, …). */
  readonly name: string;
  /** One line for the table's legend. */
  readonly description: string;
  readonly operationName: string;
  readonly query: string;
  readonly variables: Readonly<Record<string, unknown>>;
  readonly principal: BenchPrincipal;
  /** `x-purpose`, `x-justification`, `x-case-ref`. */
  readonly purpose: { readonly code: string; readonly justification?: string; readonly caseRef?: string };
  /**
   * Distinct principals the requests cycle through (default 1): the same claims under as many
   * subjects (`<sub>.<n>`), one agency token each, so the per-principal caches are measured.
   */
  readonly principals?: number;
  /**
   * Why Pactum's answer is meant to differ from bare's (a principal the policies restrict): the
   * probe's data mismatch is then expected of the Pactum variants, and of them only.
   */
  readonly pactumDiffers?: string;
}

/** The list sizes of the `list-*` workloads. */
export const LIST_SIZES = [1, 10, 100, 1000] as const;
/** The principal counts of the `principals-*` workloads. */
export const PRINCIPAL_COUNTS = [1, 100, 10_000] as const;

/**
 * `n` bench seizures (`bench-seed.ts`), each with its container and the police's interest in that
 * container: Customs answers the list, then police resolves one Container entity per row, so the
 * federation join grows with the list. Pages are capped at 100, so past 100 rows the list is
 * split over the bench ports, 100 per aliased root field.
 */
export function seizureListQuery(n: number): string {
  if (!Number.isInteger(n) || n < 1 || n > BENCH_PORTS.length * ROWS_PER_PORT) {
    throw new RangeError(`list size must be 1..${BENCH_PORTS.length * ROWS_PER_PORT}, got ${n}`);
  }
  const pages: string[] = [];
  for (let left = n, p = 0; left > 0; left -= ROWS_PER_PORT, p++) {
    pages.push(
      `  p${p}: seizures(port: "${BENCH_PORTS[p]}", first: ${Math.min(left, ROWS_PER_PORT)}) {\n` +
        '    id port seizedAt substance quantityKg\n' +
        '    container { number ownerCode reefer policeHit { hit reference } }\n' +
        '  }',
    );
  }
  return `query SeizureList {\n${pages.join('\n')}\n}`;
}

/** A single-subgraph lookup of one entity: the floor of what a gateway adds to a request. */
const CONTAINER_LOOKUP = `query ContainerLookup($number: ContainerNumber!) {
  container(number: $number) { number ownerCode sizeType reefer }
}`;

function trustedOperation(name: string): string {
  const text = loadOperations()[name];
  if (!text) throw new Error(`schema/operations/${name}.graphql not found`);
  return text;
}

/**
 * The operation text without the selections at the given response paths (`container.sienaMessages`),
 * so a workload can ask exactly what a principal is granted. Fragments are inlined by path, which
 * suffices for the shipped operations (their only fragment, LabelFields, is never cut).
 */
export function withoutSelections(text: string, paths: readonly string[]): string {
  const cut = new Set(paths);
  const found = new Set<string>();
  const stack: string[] = [];
  const document = visit(parse(text), {
    Field: {
      enter(node: FieldNode) {
        const path = [...stack, node.alias?.value ?? node.name.value].join('.');
        if (cut.has(path)) {
          found.add(path);
          return null;
        }
        stack.push(node.alias?.value ?? node.name.value);
        return undefined;
      },
      leave() {
        stack.pop();
      },
    },
  });
  const missing = paths.filter((p) => !found.has(p));
  if (missing.length > 0) throw new Error(`withoutSelections: no selection at ${missing.join(', ')}`);
  return print(document);
}

/**
 * What the shipped policies deny an NL-POLICE investigator in ContainerDossier (policies/tests/operations.yaml).
 * Those fields are non-null lists, so asking for them nulls the whole container: the "fully granted"
 * workload leaves them out so that Pactum and bare do the same work and return the same data.
 */
const NOT_GRANTED_TO_NL_POLICE = [
  'container.sienaMessages',
  'container.intelligenceReports',
  'container.investigations.judicialCases',
  'container.investigations.europolSupport',
];

/** Investigator of the owning police force on the case the story container belongs to. */
const NL_INVESTIGATOR: BenchPrincipal = {
  agency: 'NL-POLICE',
  sub: 'bench.investigator',
  roles: ['investigator'],
  clearance: 'CONFIDENTIAL',
  purposes: ['drug-trafficking', 'money-laundering'],
  cases: ['NL-ONB-2024-0456'],
};

/** A partner police officer under the 2021 joint statement: seizures and movements, no personal data. */
const BE_OFFICER: BenchPrincipal = {
  agency: 'BE-POLICE',
  sub: 'bench.officer',
  roles: ['investigator'],
  clearance: 'CONFIDENTIAL',
  purposes: ['drug-trafficking'],
  cases: [],
};

/** Every workload the bench knows, in table order. */
export function allWorkloads(): readonly Workload[] {
  const dossier = trustedOperation('ContainerDossier');
  const onTheCase = { code: 'drug-trafficking', caseRef: 'NL-ONB-2024-0456' } as const;
  const lists: Workload[] = LIST_SIZES.map((n) => ({
    name: `list-${n}`,
    description: `${n} bench seizure(s) with their containers and the police's hit on each (one police entity per row), as an NL-POLICE investigator`,
    operationName: 'SeizureList',
    query: seizureListQuery(n),
    variables: {},
    principal: NL_INVESTIGATOR,
    purpose: { ...onTheCase, justification: `bench: list of ${n}` },
  }));
  const principals: Workload[] = PRINCIPAL_COUNTS.map((n) => ({
    name: `principals-${n}`,
    description: `the lookup, by ${n} distinct NL-POLICE investigator(s) in turn (a token each): per-principal caches`,
    operationName: 'ContainerLookup',
    query: CONTAINER_LOOKUP,
    variables: { number: 'MAEU8123457' },
    principal: NL_INVESTIGATOR,
    purpose: { ...onTheCase, justification: 'bench: lookup' },
    principals: n,
  }));
  return [
    {
      name: 'dossier-full',
      description: 'ContainerDossier MSCU1234566 minus what NL-POLICE is not granted, as an NL-POLICE investigator on the case',
      operationName: 'ContainerDossier',
      query: withoutSelections(dossier, NOT_GRANTED_TO_NL_POLICE),
      variables: { number: 'MSCU1234566' },
      principal: NL_INVESTIGATOR,
      purpose: { code: 'drug-trafficking', justification: 'bench: dossier review', caseRef: 'NL-ONB-2024-0456' },
    },
    {
      name: 'dossier-restricted',
      description: 'the full ContainerDossier MSCU1234566 as a BE-POLICE officer outside any JIT (heavily restricted)',
      operationName: 'ContainerDossier',
      query: dossier,
      variables: { number: 'MSCU1234566' },
      principal: BE_OFFICER,
      purpose: { code: 'drug-trafficking', justification: 'bench: joint statement check' },
      pactumDiffers: 'a BE-POLICE officer outside any JIT is released far less than bare returns',
    },
    {
      name: 'lookup',
      description: 'one container by number, customs fields only (single subgraph, single entity)',
      operationName: 'ContainerLookup',
      query: CONTAINER_LOOKUP,
      variables: { number: 'MAEU8123457' },
      principal: NL_INVESTIGATOR,
      purpose: { code: 'drug-trafficking', justification: 'bench: lookup', caseRef: 'NL-ONB-2024-0456' },
    },
    {
      name: 'dossier-large',
      description: `dossier-full on a bench container holding ${LARGE_DOSSIER.seizures} seizures, ${LARGE_DOSSIER.scans} scans and ${LARGE_DOSSIER.declarations} declarations, linked to the story investigation`,
      operationName: 'ContainerDossier',
      query: withoutSelections(dossier, NOT_GRANTED_TO_NL_POLICE),
      variables: { number: LARGE_DOSSIER_CONTAINER },
      principal: NL_INVESTIGATOR,
      purpose: { code: 'drug-trafficking', justification: 'bench: large dossier review', caseRef: 'NL-ONB-2024-0456' },
    },
    ...lists,
    ...principals,
  ];
}

/** The principals a workload's requests cycle through: its principal under {@link Workload.principals} subjects. */
export function principalsOf(workload: Workload): BenchPrincipal[] {
  const n = workload.principals ?? 1;
  if (n === 1) return [workload.principal];
  return Array.from({ length: n }, (_, i) => ({ ...workload.principal, sub: `${workload.principal.sub}.${String(i).padStart(5, '0')}` }));
}

/** The workloads named, in the order asked; an unknown name is an error listing the known ones. */
export function selectWorkloads(names: readonly string[] | undefined): readonly Workload[] {
  const all = allWorkloads();
  if (!names) return all;
  return names.map((name) => {
    const found = all.find((w) => w.name === name);
    if (!found) throw new Error(`unknown workload "${name}"; known: ${all.map((w) => w.name).join(', ')}`);
    return found;
  });
}

/** Headers and body of a workload's request, given its agency token. */
export function requestOf(workload: Workload, token: string): { headers: Record<string, string>; body: string } {
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    authorization: `Bearer ${token}`,
    'x-purpose': workload.purpose.code,
  };
  if (workload.purpose.justification) headers['x-justification'] = workload.purpose.justification;
  if (workload.purpose.caseRef) headers['x-case-ref'] = workload.purpose.caseRef;
  const body = JSON.stringify({ query: workload.query, operationName: workload.operationName, variables: workload.variables });
  return { headers, body };
}
