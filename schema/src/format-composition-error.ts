import type { GraphQLError } from 'graphql';

/** A composition error reduced to what a schema author needs to fix it. */
export interface CompositionProblem {
  /** Federation error code, e.g. `INVALID_GRAPHQL` or `FIELD_TYPE_MISMATCH`. */
  readonly code: string;
  /** Subgraphs the error points at (from the AST locations, or the `[name]` prefix of the message). */
  readonly subgraphs: readonly string[];
  /** Schema coordinate the message names first (`Type` or `Type.field`), when it names one. */
  readonly coordinate?: string;
  readonly message: string;
}

/** Turns a composition `GraphQLError` into a {@link CompositionProblem}. */
export function toCompositionProblem(error: GraphQLError): CompositionProblem {
  const code = typeof error.extensions['code'] === 'string' ? error.extensions['code'] : 'COMPOSITION_ERROR';
  const subgraphs = new Set<string>();
  for (const node of error.nodes ?? []) {
    // Composition names each subgraph's parsed source after the subgraph.
    const name = node.loc?.source.name;
    if (name && name !== 'GraphQL request') subgraphs.add(name);
  }
  for (const match of error.message.matchAll(/\[([a-z][a-z0-9_-]*)\]/gi)) {
    if (match[1]) subgraphs.add(match[1]);
  }
  // Composition also names subgraphs in prose: `in subgraph "customs"`, `from subgraphs "a" and "b"`.
  for (const match of error.message.matchAll(/subgraphs? ((?:"[^"]+"(?:, | and )?)+)/g)) {
    for (const name of match[1]?.matchAll(/"([^"]+)"/g) ?? []) if (name[1]) subgraphs.add(name[1]);
  }
  const coordinate = /"([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)?(?:\([^)]*\))?)"/.exec(error.message)?.[1];
  return { code, subgraphs: [...subgraphs].sort(), ...(coordinate ? { coordinate } : {}), message: error.message };
}

/** One line per problem: `CODE [police, customs] Container.number: message`. */
export function formatCompositionProblems(problems: readonly CompositionProblem[]): string {
  return problems
    .map((p) => {
      const where = p.subgraphs.length > 0 ? ` [${p.subgraphs.join(', ')}]` : '';
      const coordinate = p.coordinate ? ` ${p.coordinate}:` : '';
      return `${p.code}${where}${coordinate} ${p.message}`;
    })
    .join('\n');
}
