/**
 * Need-to-know after execution, in one pass over the response and in place (no copies):
 * withholds rows whose label fails, nulls the fields a row's verdict denies, strips the
 * injected selections (their keys are left `undefined`, which JSON leaves out), puts `null` + a `FORBIDDEN` error where denied fields were asked for,
 * propagates nulls the way GraphQL does for non-null fields, and collects what the audit needs
 * (released entities by key, grants used, withheld rows by key — never values).
 */
import { GraphQLError, GraphQLList, GraphQLNonNull, type GraphQLOutputType } from 'graphql';
import type { FieldDenial, ReleasedEntity, RowDenial } from './enforcement-report';
import type { DenyReason, GrantRef, RowLabel, RowVerdict } from '../policy';
import { conditionsHold } from './conditions';
import type { EnforcementPlan, FieldPlan, SelectionPlan, TypePlan } from './enforcement-plan';
import { ErrorPathIndex, type ErrorPathNode } from './error-path-index';
import { readRowLabel } from './read-row-label';

/** A response as the gateway returns it. */
export interface ExecutionOutput {
  readonly data?: Record<string, unknown> | null;
  readonly errors?: readonly GraphQLError[];
}

/** The response to send and the parts of the enforcement report found in it. */
export interface PostProcessResult {
  readonly data: Record<string, unknown> | null | undefined;
  readonly errors: GraphQLError[];
  /** Fields nulled on visible rows by the row verdict (concrete paths with list indexes). */
  readonly fieldDenials: FieldDenial[];
  readonly rowDenials: RowDenial[];
  readonly released: ReleasedEntity[];
  readonly grants: GrantRef[];
}

/** Returned for an object that must become null (a non-null field in it was nulled). */
const NULLED = Symbol('nulled');

/** Returned for a row whose label the principal fails. */
class Withheld {
  constructor(
    readonly reason: DenyReason,
    readonly secret: boolean,
  ) {}
}

const UNREADABLE_LABEL: RowVerdict = { visible: false, reason: 'NOT_RELEASABLE', secret: false };

/** The last readable label a type's rows had in this walk, and what it was read and decided to. */
interface LastLabel {
  readonly raw: JsonObject;
  readonly label: RowLabel;
  readonly verdict: RowVerdict;
}

/**
 * Whether the label `raw` holds exactly the values `seen` held in every subfield the rules read:
 * the same string, boolean or null, or lists of the same strings in the same order. Anything
 * else (another value, another type, a missing subfield) is not the same, and is read afresh.
 */
function sameLabel(seen: JsonObject, raw: unknown, subfields: readonly string[]): boolean {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return false;
  const r = raw as JsonObject;
  for (const f of subfields) {
    const a = seen[f];
    const b = r[f];
    if (a === b) continue;
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  }
  return true;
}

type JsonObject = Record<string, unknown>;

function forbidden(message: string, path: readonly (string | number)[], reason: DenyReason): GraphQLError {
  // A denial's stack trace says nothing (it is never shown) and capturing it is most of the
  // cost of an error: a list of denied rows would spend more on stacks than on enforcement.
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 0;
  try {
    return new GraphQLError(message, { path, extensions: { code: 'FORBIDDEN', reason } });
  } finally {
    Error.stackTraceLimit = limit;
  }
}

class Walk {
  readonly path: (string | number)[] = [];
  readonly errors: GraphQLError[] = [];
  readonly fieldDenials: FieldDenial[] = [];
  readonly rowDenials: RowDenial[] = [];
  /** Released entities in the order met; deduplicated by type, then key (no per-row key string to build). */
  readonly released: ReleasedEntity[] = [];
  readonly releasedKeys = new Map<string, Set<string>>();
  readonly grantFields = new Set<FieldPlan>();
  /** Grants of row-conditional fields by identity (row rules hand out one object per grant); merged by name in {@link grants}. */
  readonly rowGrants = new Set<GrantRef>();
  /**
   * Per type, the last label read: rows of one answer mostly share their label, and a verdict is a
   * function of the label's subfields alone (the subject and the grants are this walk's), so a row
   * whose label holds the very same values gets the same verdict without reading and deciding again
   * (bench list-1000: 2,000 labels a request, a twentieth of the main thread).
   */
  private readonly lastLabels = new Map<TypePlan, LastLabel>();

  constructor(
    readonly variables: Readonly<Record<string, unknown>> | undefined,
    readonly errIndex: ErrorPathIndex | null,
  ) {}

  denyField(key: string | number, coordinate: string, reason: DenyReason): void {
    this.path.push(key);
    this.errors.push(forbidden(`Not released: ${coordinate} (${reason})`, this.path.slice(), reason));
    this.path.pop();
  }

  object(obj: JsonObject, sel: SelectionPlan, errNode: ErrorPathNode | undefined): JsonObject | typeof NULLED | Withheld {
    const tp = sel.single ?? sel.byType.get(String(obj[sel.typenameAlias ?? '']));
    if (!tp) throw new Error('enforcement: response object of a type the plan does not know');
    let verdict: RowVerdict | undefined;
    let label: RowLabel | undefined;
    if (tp.row) {
      const raw = obj[tp.row.alias];
      const subfields = tp.row.rules.labelSubfields;
      const last = this.lastLabels.get(tp);
      if (last && sameLabel(last.raw, raw, subfields)) {
        label = last.label;
        verdict = last.verdict;
      } else {
        label = readRowLabel(raw, subfields);
        verdict = label ? tp.row.rules.evaluate(label) : UNREADABLE_LABEL;
        if (label) this.lastLabels.set(tp, { raw: raw as JsonObject, label, verdict });
      }
    }
    const key = tp.entity ? entityKey(obj, tp) : undefined;
    const owner = label?.owner || tp.owner || 'unknown';
    if (verdict && !verdict.visible) {
      this.rowDenials.push({ type: tp.typeName, ...(key !== undefined ? { key } : {}), owner, path: this.path.join('.'), reason: verdict.reason });
      return new Withheld(verdict.reason, verdict.secret);
    }
    for (const alias of tp.injected) {
      if (errNode) {
        const n = errNode.children?.get(alias);
        if (n) this.errIndex?.drop(n);
      }
      // Set to undefined rather than deleted: JSON serialisation leaves such keys out, while a
      // `delete` turns every object of the response into a slow dictionary (post-processing
      // measured twice as slow, and the server's JSON.stringify pays again).
      obj[alias] = undefined;
    }
    let nullSelf = false;
    let released = false;
    for (const f of tp.fields) {
      const v = obj[f.key];
      if (v === undefined) continue; // skipped by @skip/@include
      this.path.push(f.key);
      const n = errNode?.children?.get(f.key);
      if (n) this.errIndex?.reach(n, this.path);
      if (f.rowConditional) {
        // `verdict` is set: a row-conditional field always comes with the type's row plan.
        const fv = verdict?.visible ? verdict.field(f.fieldName) : { allowed: false as const, reason: 'NOT_IN_POLICY' as const };
        if (!fv.allowed) {
          this.path.pop();
          if (n) this.errIndex?.drop(n);
          obj[f.key] = null;
          this.denyField(f.key, f.coordinate, fv.reason);
          this.fieldDenials.push({ path: [...this.path, f.key].join('.'), coordinate: f.coordinate, reason: fv.reason });
          if (f.type instanceof GraphQLNonNull) nullSelf = true;
          continue;
        }
        this.rowGrants.add(fv.grant);
      } else if (f.grant) {
        this.grantFields.add(f);
      }
      released = true;
      if (f.child && v !== null) {
        const r = this.value(v, nullable(f.type), f.child, n, false);
        if (r === NULLED) {
          obj[f.key] = null;
          if (f.type instanceof GraphQLNonNull) nullSelf = true;
        } else if (r !== v) obj[f.key] = r;
      }
      this.path.pop();
    }
    let out = obj;
    if (tp.denied.length > 0) {
      const r = this.putBackDenied(obj, tp);
      out = r.obj;
      nullSelf ||= r.nullSelf;
    }
    if (released && key !== undefined) {
      let keys = this.releasedKeys.get(tp.typeName);
      if (!keys) this.releasedKeys.set(tp.typeName, (keys = new Set()));
      if (!keys.has(key)) {
        keys.add(key);
        this.released.push({ type: tp.typeName, key, owner });
      }
    }
    return nullSelf ? NULLED : out;
  }

  /** Puts denied fields back as null + error, in query order (a shallow rebuild of this one object). */
  private putBackDenied(obj: JsonObject, tp: TypePlan): { obj: JsonObject; nullSelf: boolean } {
    let asked: Map<string, TypePlan['denied'][number]> | undefined;
    for (const d of tp.denied) {
      if (d.ifAbsent && obj[d.key] !== undefined) continue;
      if (conditionsHold(d.conditions, this.variables)) (asked ??= new Map()).set(d.key, d);
    }
    if (!asked) return { obj, nullSelf: false };
    let nullSelf = false;
    const out: JsonObject = {};
    for (const k of tp.order) {
      const d = asked.get(k);
      if (d) {
        out[k] = null;
        this.denyField(k, d.coordinate, d.reason);
        if (d.type instanceof GraphQLNonNull) nullSelf = true;
      } else if (obj[k] !== undefined) out[k] = obj[k];
    }
    // Keys outside the plan (`__typename`, introspection) keep their values.
    for (const k of Object.keys(obj)) if (!(k in out) && obj[k] !== undefined) out[k] = obj[k];
    return { obj: out, nullSelf };
  }

  value(v: unknown, type: GraphQLOutputType, sel: SelectionPlan, errNode: ErrorPathNode | undefined, inList: boolean): unknown {
    if (type instanceof GraphQLList) {
      if (!Array.isArray(v)) throw new Error('enforcement: a list field did not hold a list');
      const itemNonNull = type.ofType instanceof GraphQLNonNull;
      const itemType = nullable(type.ofType);
      let j = 0;
      for (let i = 0; i < v.length; i++) {
        const item: unknown = v[i];
        const n = errNode?.children?.get(i);
        this.path.push(j);
        if (n) this.errIndex?.reach(n, this.path);
        const r = item === null ? null : this.value(item, itemType, sel, n, true);
        this.path.pop();
        if (r instanceof Withheld) {
          // From a list a withheld row goes silently: its absence says nothing about its existence.
          if (n) this.errIndex?.drop(n);
          continue;
        }
        if (r === NULLED) {
          if (itemNonNull) return NULLED;
          v[j++] = null;
        } else v[j++] = r;
      }
      v.length = j;
      return v;
    }
    if (typeof v !== 'object' || v === null || Array.isArray(v)) throw new Error('enforcement: a composite field did not hold an object');
    const r = this.object(v as JsonObject, sel, errNode);
    if (!(r instanceof Withheld) || inList) return r;
    if (errNode) this.errIndex?.drop(errNode);
    if (!r.secret) this.errors.push(forbidden(`Not released: row withheld (${r.reason})`, this.path.slice(), r.reason));
    return NULLED;
  }

  grants(): GrantRef[] {
    const out = new Map<string, GrantRef>();
    for (const g of this.rowGrants) out.set(`${g.agreement}\u0000${g.grant}`, g);
    for (const f of this.grantFields) if (f.grant) out.set(`${f.grant.agreement}\u0000${f.grant.grant}`, f.grant);
    return [...out.values()];
  }
}

function nullable(type: GraphQLOutputType): GraphQLOutputType {
  return type instanceof GraphQLNonNull ? type.ofType : type;
}

function entityKey(obj: JsonObject, tp: TypePlan): string | undefined {
  if (tp.keyAliases.length === 1) {
    const v = obj[tp.keyAliases[0]?.[0] ?? ''];
    return v === null || v === undefined ? undefined : String(v);
  }
  const parts: string[] = [];
  for (const [alias] of tp.keyAliases) {
    const v = obj[alias];
    if (v === null || v === undefined) return undefined;
    parts.push(String(v));
  }
  return parts.join('/');
}

/**
 * Post-processes `result` (mutated in place) by `plan`. `variables` are the request's, for the
 * `@skip`/`@include` conditions of denied fields. Throws on a response that does not match the
 * plan: the caller must then release nothing.
 */
export function postProcess(
  result: ExecutionOutput,
  plan: EnforcementPlan,
  variables?: Readonly<Record<string, unknown>>,
): PostProcessResult {
  const errIndex = ErrorPathIndex.build(result.errors);
  const walk = new Walk(variables, errIndex);
  let data = result.data;
  if (data !== null && data !== undefined) {
    const r = walk.object(data, plan.root, errIndex?.root);
    if (r instanceof Withheld) throw new Error('enforcement: the operation root cannot be withheld');
    data = r === NULLED ? null : r;
  }
  const passed = errIndex ? errIndex.apply() : [...(result.errors ?? [])];
  return {
    data,
    errors: [...passed, ...walk.errors],
    fieldDenials: walk.fieldDenials,
    rowDenials: walk.rowDenials,
    released: walk.released,
    grants: walk.grants(),
  };
}
