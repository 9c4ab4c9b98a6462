/**
 * The oracle's operations as plain data (what fast-check generates and shrinks), and their
 * printing to GraphQL text plus variables. Structure only: which fields, aliases, fragments and
 * directives; the schema and the argument values come from the generators.
 */

/** `@skip` / `@include` with a literal, or with a Boolean variable (with or without a default, given or not). */
export type Condition =
  | { readonly directive: 'skip' | 'include'; readonly literal: boolean }
  /** `value` is what the request gives (none: the default applies; the generator then always sets a default). */
  | { readonly directive: 'skip' | 'include'; readonly defaultValue?: boolean; readonly value?: boolean };

/** One argument: a literal in the text, or a variable of `type`. */
export interface Arg {
  readonly name: string;
  /** GraphQL type of a variable carrying it, e.g. `ContainerNumber!`. */
  readonly type: string;
  readonly value: string | number;
  readonly asVariable: boolean;
}

export interface FieldSelection {
  readonly kind: 'field';
  readonly name: string;
  readonly alias?: string;
  readonly args?: readonly Arg[];
  readonly condition?: Condition;
  /** Present exactly when the field's type is composite. */
  readonly selections?: readonly Selection[];
}

export interface InlineFragment {
  readonly kind: 'inline';
  /** `... on T` when set, a bare `...` otherwise. */
  readonly onType?: string;
  readonly condition?: Condition;
  readonly selections: readonly Selection[];
}

/** A named fragment, defined once and spread `times` times in place. */
export interface FragmentSpread {
  readonly kind: 'spread';
  readonly onType: string;
  readonly times: number;
  readonly condition?: Condition;
  readonly selections: readonly Selection[];
}

export type Selection = FieldSelection | InlineFragment | FragmentSpread;

/** A query operation: the selections on `Query`. */
export interface OracleOperation {
  readonly selections: readonly Selection[];
}

/** An operation as sent: text and variables. */
export interface PrintedOperation {
  readonly query: string;
  readonly variables: Record<string, unknown>;
}

function literal(value: string | number): string {
  return typeof value === 'number' ? String(value) : JSON.stringify(value);
}

/** Prints `op`; identical fragment bodies share one definition (and so are spread several times). */
export function printOperation(op: OracleOperation): PrintedOperation {
  const variableDefs: string[] = [];
  const variables: Record<string, unknown> = {};
  const fragments = new Map<string, string>();
  let next = 0;

  const condition = (c: Condition | undefined): string => {
    if (!c) return '';
    if ('literal' in c) return ` @${c.directive}(if: ${String(c.literal)})`;
    const name = `c${++next}`;
    variableDefs.push(`$${name}: Boolean${c.defaultValue === undefined ? '!' : ` = ${String(c.defaultValue)}`}`);
    if (c.value !== undefined) variables[name] = c.value;
    return ` @${c.directive}(if: $${name})`;
  };

  const args = (list: readonly Arg[] | undefined): string => {
    if (!list || list.length === 0) return '';
    const parts = list.map((a) => {
      if (!a.asVariable) return `${a.name}: ${literal(a.value)}`;
      const name = `v${++next}`;
      variableDefs.push(`$${name}: ${a.type}`);
      variables[name] = a.value;
      return `${a.name}: $${name}`;
    });
    return `(${parts.join(', ')})`;
  };

  const body = (sels: readonly Selection[]): string => `{ ${sels.map(selection).join(' ')} }`;

  function selection(s: Selection): string {
    if (s.kind === 'field') {
      const head = `${s.alias ? `${s.alias}: ` : ''}${s.name}${args(s.args)}${condition(s.condition)}`;
      return s.selections ? `${head} ${body(s.selections)}` : head;
    }
    if (s.kind === 'inline') return `...${s.onType ? ` on ${s.onType}` : ''}${condition(s.condition)} ${body(s.selections)}`;
    const text = body(s.selections);
    const key = `${s.onType} ${text}`;
    let name = [...fragments.entries()].find(([, v]) => v === key)?.[0];
    if (!name) {
      name = `F${fragments.size + 1}`;
      fragments.set(name, key);
    }
    const spread = `...${name}${condition(s.condition)}`;
    return Array.from({ length: s.times }, () => spread).join(' ');
  }

  const root = body(op.selections);
  const defs = [...fragments.entries()].map(([name, key]) => {
    const space = key.indexOf(' ');
    return `fragment ${name} on ${key.slice(0, space)} ${key.slice(space + 1)}`;
  });
  const head = variableDefs.length > 0 ? `query Oracle(${variableDefs.join(', ')}) ` : 'query Oracle ';
  return { query: [head + root, ...defs].join('\n'), variables };
}
