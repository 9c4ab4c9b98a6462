/**
 * The shape of one fidelity fixture: a few Federation 2 subgraphs over in-memory rows, the
 * agency owning each, and the queries whose answers Pactum (with a grant-all policy) must give
 * exactly as bare @apollo/gateway does.
 */

/** One subgraph of a fixture. */
export interface FidelitySubgraph {
  /** Subgraph name in the supergraph (`join__Graph`). */
  readonly name: string;
  /** Agency owning it (agencies registry `subgraph`). */
  readonly agency: string;
  readonly sdl: string;
  /** `@apollo/subgraph` resolver map. */
  readonly resolvers: object;
}

/** One query of a fixture, run through both gateways. */
export interface FidelityQuery {
  /** Reads as a sentence after the suite's name. */
  readonly name: string;
  readonly query: string;
  readonly variables?: Readonly<Record<string, unknown>>;
  readonly operationName?: string;
  /** Bare @apollo/gateway answers with errors too (a resolver fails): the paths must match. */
  readonly expectErrors?: boolean;
}

/** A fixture suite. */
export interface FidelitySuite {
  readonly name: string;
  readonly subgraphs: readonly FidelitySubgraph[];
  readonly queries: readonly FidelityQuery[];
}

export { RECORD_LABEL_SDL } from '../fixtures/fixture-subgraphs';

/** The agency the fidelity queries are asked by: it owns no subgraph, so every field it reads is shared with it. */
export const READER_AGENCY = 'XX-READER';

/** A label releasing a row to the reader (row checks run, and pass). */
export function readableLabel(owner: string, caseRefs: string[] = []): Record<string, unknown> {
  return { owner, handling: ['H0'], handlingNote: null, releasableTo: [READER_AGENCY], caseRefs, europolSupport: false };
}

/** Federation 2 `@link` with every directive the fixtures import. */
export const LINK =
  'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", "@shareable", "@external", "@requires", "@provides", "@override", "@inaccessible", "@interfaceObject"])';
