/**
 * Federation field sets (`@key(fields:)`, `@provides(fields:)`) read the way ownership needs
 * them: names only, nested selections kept as a tree.
 */

/** First-level field names of a `@key` field set (`"agency localId"` → both; nested selections skipped). */
export function topLevelKeyFields(fieldSet: string): string[] {
  const out: string[] = [];
  let depth = 0;
  for (const token of fieldSet.replace(/([{}])/g, ' $1 ').split(/[\s,]+/).filter(Boolean)) {
    if (token === '{') depth++;
    else if (token === '}') depth--;
    else if (depth === 0) out.push(token);
  }
  return out;
}

/** A parsed field set: each field with its sub-selection (`"a b { c }"` → a, b → c). */
export type FieldSetTree = Map<string, FieldSetTree>;

/**
 * Parses a field set into a tree of field names. Selections under a type condition
 * (`... on T { x }`) are left out of the tree: a field provided only on some concrete type keeps
 * the owners it has (more agencies answering for a field only ever narrows what is released).
 */
export function parseFieldSet(fieldSet: string): FieldSetTree {
  const root: FieldSetTree = new Map();
  const stack: FieldSetTree[] = [root];
  let last: string | undefined;
  let typeCondition = false;
  for (const token of fieldSet.replace(/([{}])/g, ' $1 ').split(/[\s,]+/).filter(Boolean)) {
    const top = stack[stack.length - 1] ?? root;
    if (token === '{') {
      const child: FieldSetTree = new Map();
      if (last !== undefined) top.set(last, child);
      stack.push(child);
      last = undefined;
    } else if (token === '}') {
      stack.pop();
      last = undefined;
    } else if (token === '...' || token === 'on') {
      typeCondition = true;
      last = undefined;
    } else if (typeCondition) {
      typeCondition = false; // the condition's type name; its selection set is detached
    } else {
      top.set(token, new Map());
      last = token;
    }
  }
  return root;
}
