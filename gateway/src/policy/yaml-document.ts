/**
 * YAML parsing that remembers where each value came from, so every policy error can
 * name the file and line a compliance officer has to fix.
 */
import { LineCounter, parseDocument, isMap, isSeq, isScalar, type Node } from 'yaml';

/** A path into a parsed document: map keys and sequence indexes. */
export type DocPath = readonly (string | number)[];

/** A parsed YAML file with a line lookup. */
export interface YamlDocument {
  /** Path of the file as shown in messages (e.g. `policies/agreements/x.yaml`). */
  readonly file: string;
  readonly value: unknown;
  /** 1-based line of the node at `path` (or of its nearest existing ancestor). */
  lineOf(path: DocPath): number;
}

/** Thrown for YAML syntax errors; carries the position of the first one. */
export class YamlSyntaxError extends Error {
  constructor(
    readonly file: string,
    readonly line: number,
    detail: string,
  ) {
    super(`${file}:${line}: YAML syntax error: ${detail}`);
  }
}

/** Parses `text` (the contents of `file`) into a {@link YamlDocument}. */
export function parseYamlDocument(file: string, text: string): YamlDocument {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line ?? lineCounter.linePos(first.pos[0]).line;
    throw new YamlSyntaxError(file, line, first.message.split('\n')[0] ?? first.message);
  }
  const value: unknown = doc.toJS({ maxAliasCount: 50 });
  const lineOfNode = (node: Node | null | undefined): number | undefined =>
    node?.range ? lineCounter.linePos(node.range[0]).line : undefined;
  return {
    file,
    value,
    lineOf(path) {
      let node: unknown = doc.contents;
      let line = lineOfNode(doc.contents) ?? 1;
      for (const segment of path) {
        let next: unknown;
        if (isMap(node)) {
          const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
          if (!pair) break;
          // A key's line is where the author wrote the name; prefer it over the value's.
          line = (isScalar(pair.key) ? lineOfNode(pair.key) : undefined) ?? line;
          next = pair.value;
        } else if (isSeq(node) && typeof segment === 'number') {
          next = node.items[segment];
          line = lineOfNode(next as Node | undefined) ?? line;
        } else break;
        if (next === null || next === undefined) break;
        node = next;
      }
      return line;
    },
  };
}
