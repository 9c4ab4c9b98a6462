/**
 * Keeps the paths of errors that came from the subgraphs right while post-processing edits
 * the response: a list index shifts when rows before it are withheld, and errors under a
 * withheld row or an injected selection go with it (they could reveal the row exists).
 */
import { GraphQLError } from 'graphql';

/** One response position some error paths pass through. */
export interface ErrorPathNode {
  children?: Map<string | number, ErrorPathNode>;
  /** Indexes (into the original error list) of errors whose path ends here. */
  ends?: number[];
}

export class ErrorPathIndex {
  readonly root: ErrorPathNode = {};
  private readonly newPaths = new Map<number, (string | number)[]>();
  private readonly dropped = new Set<number>();

  private constructor(private readonly errors: readonly GraphQLError[]) {
    errors.forEach((e, i) => {
      if (!e.path || e.path.length === 0) return;
      let node = this.root;
      for (const seg of e.path) {
        node.children ??= new Map();
        let next = node.children.get(seg);
        if (!next) {
          next = {};
          node.children.set(seg, next);
        }
        node = next;
      }
      (node.ends ??= []).push(i);
    });
  }

  /** An index over `errors`, or null when none has a path (the common case: nothing to track). */
  static build(errors: readonly GraphQLError[] | undefined): ErrorPathIndex | null {
    if (!errors || !errors.some((e) => e.path && e.path.length > 0)) return null;
    return new ErrorPathIndex(errors);
  }

  /** Records where errors ending at `node` now sit. */
  reach(node: ErrorPathNode, path: readonly (string | number)[]): void {
    if (node.ends) for (const i of node.ends) this.newPaths.set(i, path.slice());
  }

  /** Drops every error at or under `node`. */
  drop(node: ErrorPathNode): void {
    if (node.ends) for (const i of node.ends) this.dropped.add(i);
    if (node.children) for (const c of node.children.values()) this.drop(c);
  }

  /** The errors that survive, with their updated paths. */
  apply(): GraphQLError[] {
    const out: GraphQLError[] = [];
    this.errors.forEach((e, i) => {
      if (this.dropped.has(i)) return;
      const p = this.newPaths.get(i);
      if (!p || !e.path || samePath(p, e.path)) {
        out.push(e);
        return;
      }
      out.push(
        new GraphQLError(e.message, {
          ...(e.nodes ? { nodes: e.nodes } : {}),
          ...(e.source ? { source: e.source } : {}),
          ...(e.positions ? { positions: e.positions } : {}),
          path: p,
          ...(e.originalError ? { originalError: e.originalError } : {}),
          extensions: e.extensions,
        }),
      );
    });
    return out;
  }
}

function samePath(a: readonly (string | number)[], b: readonly (string | number)[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
