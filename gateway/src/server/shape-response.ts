/**
 * @apollo/gateway shapes every response from the merged subgraph answers with `computeResponse`
 * (its `resultShaping` module): a generic walk of federation-internals' `Operation` that, per
 * value, re-reads the selection's directives, goes through the package's re-export getters and
 * allocates a result record and a path entry. On a list of 1,000 rows that walk was about a third
 * of Pactum's main thread (bench list-1000, CPU profile), more than the enforcement itself.
 *
 * Here the walk is compiled once per operation into plain steps (response name, wrappers, leaf
 * check, child steps, type conditions, `@skip`/`@include`) and run without those costs. It is
 * our own code written from the behaviour of @apollo/gateway 2.x, not a copy, and it only takes
 * the common case: a value that is null where the schema forbids it, a leaf that fails its type,
 * an unknown `__typename`, a malformed answer, a variable that is not a Boolean — anything that
 * would make the original report an error or bubble a null — abandons the fast walk and the
 * original `computeResponse` shapes the same (unmodified) input, so those cases keep the
 * original's results exactly. Operations with introspection fields, directives other than
 * `@skip`/`@include` or a response name `Object.prototype` answers (`constructor`, `__proto__`)
 * are always left to the original.
 *
 * Where it can, the walk shapes a row in the answer's own object rather than a copy: when the
 * object's keys hold the selected fields in selection order (enforcement's injected fields may
 * sit anywhere), the keys outside the selection are left `undefined` — JSON leaves them out — and
 * the object itself is returned; an answer object met at a second position is copied, so no two
 * positions share one (counted only where the operation's plan can put one object at two
 * positions, {@link planMayShareObjects}: on a 1,000-row list the count was 4 % of the main
 * thread). Each execution gets a tree of its own of every subgraph answer (deduplicated calls
 * too, `SharedReading`), and @apollo/gateway reads its merged answer no more once it is
 * shaped, so nobody else sees the change. Every write into the answer waits until the whole walk has succeeded: a walk that
 * gives up leaves the answer exactly as it came, for the original. On the bench's 1,000-row list
 * this took the gateway's CPU per request from 31.3 to 25.6 ms at 10 connections and the large
 * dossier's from 12.8 to 10.5 ms at 50 (one alternating run); the rows now live from the fetch to
 * the response, so the peak RSS rose by 15–20 MB.
 *
 * Only operations Pactum's executor marked ({@link shapeQuickly}) take the fast walk; any other
 * @apollo/gateway in the process (the tests' bare reference gateways) keeps the original.
 * Installed like {@link reuseBuiltOperations}: the one exported function @apollo/gateway's
 * executor reads from the module's exports on each call is wrapped.
 */
import type { CompositeType, NamedType, Operation, Schema, SelectionSet, Type } from '@apollo/federation-internals';
import type { OperationDefinitionNode } from 'graphql';
import { RESERVED_ALIAS_PREFIX } from '../enforce';
import { builtOperationSource, reuseBuiltOperations } from './reuse-built-operations';

interface ShapeInput {
  readonly operation: Operation;
  readonly variables: Record<string, unknown> | undefined;
  readonly input: Record<string, unknown> | null | undefined;
  readonly introspectionHandling: unknown;
}
interface ShapeOutput {
  readonly data: Record<string, unknown> | null | undefined;
  readonly errors: unknown[];
}
type ComputeResponse = ((args: ShapeInput) => ShapeOutput) & { readonly pactumShapesQuickly?: true };

/** `@skip(if:)` / `@include(if:)`: a literal, or a variable name. */
interface Condition {
  readonly include: boolean;
  readonly value: boolean | string;
}

/**
 * A selection that can be shaped in the answer's own object: fields only (no fragment, no
 * `@skip`/`@include`), each response name once. `ordered`: the client's fields, in selection
 * order; `loose`: the fields enforcement injected (`__pactum…` aliases, which no client may use),
 * whose place does not matter since post-processing strips them from every row. An answer that
 * joins several subgraphs gets the injected label with the first subgraph's fields, before the
 * later subgraphs' ones that the selection lists first.
 */
interface InPlace {
  readonly ordered: readonly string[];
  readonly loose: ReadonlySet<string>;
  readonly selected: ReadonlySet<string>;
}

/** How a value of one (wrapped) type is shaped. */
interface Shape {
  readonly nonNull: boolean;
  readonly hasSelection: boolean;
  readonly item?: Shape;
  readonly steps?: readonly Step[];
  readonly inPlace?: InPlace;
  readonly named?: NamedType;
  readonly leaf?: (v: unknown) => boolean;
}

interface FieldStep {
  readonly field: true;
  readonly responseName: string;
  readonly typename: boolean;
  readonly shape: Shape;
  readonly conditions: readonly Condition[] | undefined;
  /** Its response name occurs more than once in the selection (fragments flattened): its values are merged, so never shaped in place. */
  readonly repeated: boolean;
}
interface FragmentStep {
  readonly field: false;
  readonly condition: CompositeType | undefined;
  readonly steps: readonly Step[];
  readonly conditions: readonly Condition[] | undefined;
  /** Whether the condition applies, by runtime type name. */
  readonly applies: Map<string, boolean>;
}
type Step = FieldStep | FragmentStep;

interface Program {
  readonly root: readonly Step[];
  readonly rootType: NamedType;
  readonly defaults: Readonly<Record<string, unknown>>;
  readonly hasConditions: boolean;
}

/** Thrown inside the fast walk for anything the original must handle. */
class LeaveToOriginal extends Error {}
const LEAVE = new LeaveToOriginal('left to the original computeResponse');

class Unsupported extends Error {}

interface Internals {
  isSubtype(type: Type, maybeSubType: Type): boolean;
}

const SAFE_ID = /^[_A-Za-z][_0-9A-Za-z]*$/;

function leafCheck(type: NamedType): (v: unknown) => boolean {
  if (type.kind === 'EnumType') return (v) => typeof v === 'string' && type.value(v) !== undefined;
  switch (type.name) {
    case 'Boolean':
      return (v) => typeof v === 'boolean';
    case 'String':
      return (v) => typeof v === 'string';
    case 'Float':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    // Stricter than the original (which accepts any integer-looking number): a value refused
    // here is left to it, never refused by us.
    case 'Int':
      return (v) => Number.isSafeInteger(v);
    case 'ID':
      return (v) => typeof v === 'string' || Number.isSafeInteger(v);
    default:
      return () => true; // custom scalars: the original accepts any value
  }
}

function conditionsOf(element: { readonly appliedDirectives: readonly { readonly name: string; arguments(): Record<string, unknown> }[] }): Condition[] | undefined {
  let out: Condition[] | undefined;
  for (const d of element.appliedDirectives) {
    if (d.name !== 'skip' && d.name !== 'include') throw new Unsupported(`directive @${d.name}`);
    const arg = d.arguments()['if'];
    let value: boolean | string;
    if (typeof arg === 'boolean') value = arg;
    else if (typeof arg === 'object' && arg !== null && 'name' in arg && typeof arg.name === 'string') value = arg.name;
    else throw new Unsupported(`@${d.name} without a Boolean or a variable`);
    (out ??= []).push({ include: d.name === 'include', value });
  }
  return out;
}

function compileShape(type: Type, selectionSet: SelectionSet | undefined, state: { conditions: boolean }): Shape {
  if (type.kind === 'NonNullType') return { ...compileShape(type.ofType, selectionSet, state), nonNull: true };
  const hasSelection = selectionSet !== undefined;
  if (type.kind === 'ListType') return { nonNull: false, hasSelection, item: compileShape(type.ofType, selectionSet, state) };
  if (type.kind === 'ObjectType' || type.kind === 'InterfaceType' || type.kind === 'UnionType') {
    if (!selectionSet) throw new Unsupported(`composite ${type.name} without a selection`);
    const steps = compileSteps(selectionSet, state);
    return { nonNull: false, hasSelection, named: type, steps, inPlace: inPlaceOf(steps) };
  }
  if (selectionSet) throw new Unsupported(`leaf ${type.name} with a selection`);
  return { nonNull: false, hasSelection, named: type, leaf: leafCheck(type) };
}

/** Response names of `steps` with fragments flattened, as often as they occur. */
function flatNames(steps: readonly Step[], out: string[] = []): string[] {
  for (const step of steps) {
    if (step.field) out.push(step.responseName);
    else flatNames(step.steps, out);
  }
  return out;
}

function inPlaceOf(steps: readonly Step[]): InPlace | undefined {
  const names: string[] = [];
  for (const step of steps) {
    if (!step.field || step.conditions || step.repeated) return undefined;
    names.push(step.responseName);
  }
  const injected = (name: string): boolean => name.startsWith(RESERVED_ALIAS_PREFIX);
  return { ordered: names.filter((n) => !injected(n)), loose: new Set(names.filter(injected)), selected: new Set(names) };
}

function compileSteps(selectionSet: SelectionSet, state: { conditions: boolean }): Step[] {
  const steps = collectSteps(selectionSet, state);
  // A response name met twice at one level (a field selected twice, or in two fragments) has its values merged.
  const counts = new Map<string, number>();
  for (const name of flatNames(steps)) counts.set(name, (counts.get(name) ?? 0) + 1);
  const mark = (list: readonly Step[]): Step[] =>
    list.map((step) => (step.field ? { ...step, repeated: (counts.get(step.responseName) ?? 0) > 1 } : { ...step, steps: mark(step.steps) }));
  return mark(steps);
}

function collectSteps(selectionSet: SelectionSet, state: { conditions: boolean }): Step[] {
  const steps: Step[] = [];
  for (const selection of selectionSet.selections()) {
    const conditions = conditionsOf(selection.element);
    if (conditions) state.conditions = true;
    if (selection.kind === 'FieldSelection') {
      const field = selection.element;
      if (field.definition.isSchemaIntrospectionField()) throw new Unsupported('introspection');
      const responseName = field.responseName();
      // Objects here are plain ones (faster to build, read and serialise than the original's
      // prototype-less ones): a response name an inherited property answers is left to it.
      if (!SAFE_ID.test(responseName) || responseName in Object.prototype) throw new Unsupported(`response name ${responseName}`);
      const typename = field.name === '__typename';
      const type = field.definition.type;
      if (!typename && !type) throw new Unsupported(`field ${responseName} without a type`);
      steps.push({
        field: true,
        responseName,
        typename,
        shape: typename || !type ? { nonNull: true, hasSelection: false } : compileShape(type, selection.selectionSet, state),
        conditions,
        repeated: false,
      });
    } else {
      steps.push({ field: false, condition: selection.element.typeCondition, steps: collectSteps(selection.selectionSet, state), conditions, applies: new Map() });
    }
  }
  return steps;
}

function compile(operation: Operation): Program | null {
  try {
    const state = { conditions: false };
    const root = compileSteps(operation.selectionSet, state);
    const rootType = operation.schema().schemaDefinition.rootType(operation.rootKind);
    if (!rootType) return null;
    return { root, rootType, defaults: operation.collectDefaultedVariableValues() as Record<string, unknown>, hasConditions: state.conditions };
  } catch (err) {
    if (err instanceof Unsupported) return null;
    throw err;
  }
}

class FastWalk {
  /**
   * Writes into the answer's own objects and arrays, as (target, key, value) triples, made only
   * once the whole walk has succeeded: until then the answer stays exactly as it came, for the
   * original to shape if the walk gives up half-way.
   */
  readonly writes: unknown[] = [];
  /** Objects and arrays already shaped in place: met again (one answer object at two positions), they are copied. */
  private reached: Set<object> | undefined;

  constructor(
    readonly schema: Schema,
    readonly internals: Internals,
    readonly variables: Readonly<Record<string, unknown>> | undefined,
    /** Whether one answer object may sit at two positions (see {@link planMayShareObjects}); false: nothing is counted. */
    private readonly guarded: boolean,
  ) {}

  /** Whether `value` may be shaped in place: it was not met before (and is now taken). */
  private claim(value: object): boolean {
    if (!this.guarded) return true;
    const reached = (this.reached ??= new Set());
    if (reached.has(value)) return false;
    reached.add(value);
    return true;
  }

  /**
   * Shapes `obj` in place when its keys hold the selection's fields in selection order (other
   * keys in between are left `undefined`, which JSON leaves out, as post-processing does with
   * injected fields; a `delete` would turn the object into a slow dictionary); returns undefined
   * to have it copied instead. The answer's objects are otherwise thrown away after shaping, so
   * reusing them spares an object per row and the collector the copies (bench list-1000: the
   * copy was about a fifth of the gateway's CPU per request).
   */
  private inPlace(obj: Record<string, unknown>, plan: InPlace, steps: readonly Step[], type: NamedType): Record<string, unknown> | undefined {
    const mark = this.writes.length;
    let next = 0;
    let loose = 0;
    for (const key in obj) {
      if (key === plan.ordered[next]) next++;
      else if (plan.loose.has(key)) loose++;
      else if (plan.selected.has(key)) {
        this.writes.length = mark; // out of selection order
        return undefined;
      } else this.writes.push(obj, key, undefined);
    }
    if (next !== plan.ordered.length || loose !== plan.loose.size) {
      this.writes.length = mark; // a selected field is missing: it would be added last, out of order
      return undefined;
    }
    for (const step of steps as readonly FieldStep[]) {
      const name = step.responseName;
      const current = obj[name];
      if (step.typename) {
        const typename = this.typenameOf(obj, name, type);
        if (current !== typename) this.writes.push(obj, name, typename);
        continue;
      }
      const shaped = this.value(undefined, step.shape, current ?? null, true);
      if (shaped !== current) this.writes.push(obj, name, shaped);
    }
    return obj;
  }

  /** The value of a `__typename` selection (response name `name`) on the answer object `input` of static type `parentType`. */
  private typenameOf(input: Record<string, unknown>, name: string, parentType: NamedType): string {
    let v = Object.hasOwn(input, name) ? (input[name] ?? null) : null;
    if (v === null && name !== '__typename') v = input['__typename'] ?? null;
    const type = typeof v === 'string' ? (this.schema.type(v) ?? parentType) : parentType;
    if (type.kind !== 'ObjectType') throw LEAVE;
    return type.name;
  }

  skipped(conditions: readonly Condition[]): boolean {
    for (const c of conditions) {
      let v = c.value;
      if (typeof v === 'string') {
        const x = this.variables?.[v];
        if (typeof x !== 'boolean') throw LEAVE;
        v = x;
      }
      if (v !== c.include) return true;
    }
    return false;
  }

  set(input: Record<string, unknown>, steps: readonly Step[], output: Record<string, unknown>, parentType: NamedType): void {
    for (const step of steps) {
      if (step.conditions && this.skipped(step.conditions)) continue;
      if (step.field) {
        const name = step.responseName;
        if (step.typename) {
          if (output[name] === undefined) output[name] = this.typenameOf(input, name, parentType);
          continue;
        }
        output[name] = this.value(output[name], step.shape, Object.hasOwn(input, name) ? (input[name] ?? null) : null, !step.repeated);
        continue;
      }
      const typename = input['__typename'];
      if (typename !== undefined && typename !== null && typeof typename !== 'string') throw LEAVE;
      if (step.condition) {
        let runtime: NamedType = parentType;
        if (typename) {
          const t = this.schema.type(typename);
          if (!t) continue;
          runtime = t;
        }
        let applies = step.applies.get(runtime.name);
        if (applies === undefined) step.applies.set(runtime.name, (applies = this.internals.isSubtype(step.condition, runtime)));
        if (!applies) continue;
        this.set(input, step.steps, output, step.condition);
      } else {
        this.set(input, step.steps, output, parentType);
      }
    }
  }

  /** `reuse`: the value may be shaped in the answer's own object or array (it is not merged with another). */
  value(output: unknown, shape: Shape, input: unknown, reuse: boolean): unknown {
    if (input === undefined) throw LEAVE;
    if (output === null || (output !== undefined && !shape.hasSelection)) return output;
    if (input === null) {
      if (shape.nonNull) throw LEAVE; // the original reports it and bubbles the null
      return null;
    }
    if (shape.item) {
      if (!Array.isArray(input)) throw LEAVE;
      if (output !== undefined && (!Array.isArray(output) || output.length !== input.length)) throw LEAVE;
      // A list of leaves is never written to, here or by post-processing: no claim needed.
      if (output === undefined && reuse && (shape.item.leaf !== undefined || this.claim(input))) {
        for (let i = 0; i < input.length; i++) {
          const item: unknown = input[i];
          const shaped = this.value(undefined, shape.item, item, true);
          if (shaped !== item) this.writes.push(input, i, shaped);
        }
        return input;
      }
      const previous = output as unknown[] | undefined;
      const out = new Array<unknown>(input.length);
      for (let i = 0; i < input.length; i++) out[i] = this.value(previous?.[i], shape.item, input[i], previous === undefined);
      return out;
    }
    if (shape.steps) {
      if (typeof input !== 'object' || Array.isArray(input)) throw LEAVE;
      if (output !== undefined && (typeof output !== 'object' || Array.isArray(output))) throw LEAVE;
      const obj = input as Record<string, unknown>;
      const typename = obj['__typename'];
      let type = shape.named as NamedType;
      if (typename !== undefined) {
        if (typeof typename !== 'string') throw LEAVE;
        if (typename !== '') {
          const t = this.schema.type(typename);
          if (!t || (t.kind !== 'ObjectType' && t.kind !== 'InterfaceType' && t.kind !== 'UnionType')) throw LEAVE;
          type = t;
        }
      }
      if (output === undefined && reuse && shape.inPlace && this.claim(obj)) {
        const same = this.inPlace(obj, shape.inPlace, shape.steps, type);
        if (same) return same;
      }
      const out = (output as Record<string, unknown> | undefined) ?? {};
      this.set(obj, shape.steps, out, type);
      return out;
    }
    if (!shape.leaf?.(input)) throw LEAVE;
    return input;
  }
}

/** Operation definitions Pactum's executor runs, whose responses take the fast walk. */
const marked = new WeakSet<OperationDefinitionNode>();
/** Compiled programs by built operation; `null`: left to the original. */
const programs = new WeakMap<Operation, Program | null>();

/** Marks an operation definition (the rewrite's, executed by Pactum) for the fast walk. */
export function shapeQuickly(operation: OperationDefinitionNode): void {
  marked.add(operation);
}

/**
 * Shapes `input` for `operation` without the original, or returns undefined when the original
 * must (an unsupported operation, or an answer that would make it report an error).
 */
export function shapeFast(
  operation: Operation,
  variables: Record<string, unknown> | undefined,
  input: Record<string, unknown>,
  internals: Internals,
  guarded = true,
): Record<string, unknown> | undefined {
  let program = programs.get(operation);
  if (program === undefined) programs.set(operation, (program = compile(operation)));
  if (!program) return undefined;
  const vars = program.hasConditions ? { ...program.defaults, ...variables } : undefined;
  const walk = new FastWalk(operation.schema(), internals, vars, guarded);
  const data: Record<string, unknown> = {};
  try {
    walk.set(input, program.root, data, program.rootType);
  } catch (err) {
    if (err === LEAVE) return undefined; // nothing was written: the original gets the answer as it came
    throw err;
  }
  const w = walk.writes;
  for (let i = 0; i < w.length; i += 3) (w[i] as Record<string | number, unknown>)[w[i + 1] as string | number] = w[i + 2];
  return data;
}

/**
 * How one answer object comes to sit at two positions: a fetch without `requires` at a nested
 * path (a `Query`-typed field reached again) is merged into every object at that path, so those
 * objects then share everything the one answer holds (`executeQueryPlan`'s `deepMerge` assigns
 * what the target lacks by reference). Root fetches merge into the one root object, and entity
 * fetches merge answer i into entity i: parsed JSON is a tree, so neither shares. Anything this
 * walk does not know (a node kind of a later version) counts as sharing.
 */
export function planMayShareObjects(plan: unknown): boolean {
  const visit = (node: unknown, nested: boolean): boolean => {
    if (node === undefined || node === null) return false;
    const n = node as { kind?: unknown; nodes?: unknown; node?: unknown; requires?: unknown; ifClause?: unknown; elseClause?: unknown; path?: unknown };
    switch (n.kind) {
      case 'QueryPlan':
        return visit(n.node, nested);
      case 'Sequence':
      case 'Parallel':
        return !Array.isArray(n.nodes) || n.nodes.some((child) => visit(child, nested));
      case 'Flatten':
        return visit(n.node, nested || !Array.isArray(n.path) || n.path.length > 0);
      case 'Fetch':
        return nested && (!Array.isArray(n.requires) || n.requires.length === 0);
      case 'Condition':
        return visit(n.ifClause, nested) || visit(n.elseClause, nested);
      default:
        return true; // Defer, Subscription, or a kind not known here
    }
  };
  return visit(plan, false);
}

/**
 * Per operation definition (the executed document's), whether a plan it ran with may share
 * objects: `false` only once every plan seen for it was found not to. An operation no plan was
 * recorded for is walked with the guard on.
 */
const sharing = new WeakMap<OperationDefinitionNode, boolean>();
const planSharing = new WeakMap<object, boolean>();

/** Records the plan an operation definition is about to run with (sticky once it may share). */
export function notePlan(definition: OperationDefinitionNode, plan: object): void {
  let shares = planSharing.get(plan);
  if (shares === undefined) planSharing.set(plan, (shares = planMayShareObjects(plan)));
  if (shares) sharing.set(definition, true);
  else if (!sharing.has(definition)) sharing.set(definition, false);
}

function guardedFor(definition: OperationDefinitionNode): boolean {
  return sharing.get(definition) !== false;
}

type ExecuteQueryPlan = ((plan: object, services: unknown, request: unknown, context: { readonly operation?: OperationDefinitionNode }, ...rest: unknown[]) => Promise<unknown>) & {
  readonly pactumNotesPlans?: true;
};

let installed = false;

/** Installs the fast walk once per process (with {@link reuseBuiltOperations}, which it needs). */
export function installFastShaping(): boolean {
  if (installed) return true;
  if (!reuseBuiltOperations()) return false;
  const gatewayEntry = require.resolve('@apollo/gateway');
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const shaping = require(require.resolve('@apollo/gateway/dist/resultShaping', { paths: [gatewayEntry] })) as { computeResponse: ComputeResponse };
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const internals = require(require.resolve('@apollo/federation-internals', { paths: [gatewayEntry] })) as Internals;
  const original = shaping.computeResponse;
  if (typeof original !== 'function' || typeof internals.isSubtype !== 'function') return false;
  if (original.pactumShapesQuickly) {
    installed = true;
    return true;
  }
  const wrapped = (args: ShapeInput): ShapeOutput => {
    const source = args.input ? builtOperationSource(args.operation) : undefined;
    if (source && marked.has(source) && args.input) {
      const data = shapeFast(args.operation, args.variables, args.input, internals, guardedFor(source));
      if (data) return { data, errors: [] };
    }
    return original(args);
  };
  // The executor, wrapped to note each marked operation's plan before it runs (the same call
  // shapes its answer at the end, so the note is there when the walk asks).
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const execution = require(require.resolve('@apollo/gateway/dist/executeQueryPlan', { paths: [gatewayEntry] })) as { executeQueryPlan: ExecuteQueryPlan };
  const execute = execution.executeQueryPlan;
  if (typeof execute === 'function' && !execute.pactumNotesPlans) {
    const noting = (plan: object, services: unknown, request: unknown, context: { readonly operation?: OperationDefinitionNode }, ...rest: unknown[]): Promise<unknown> => {
      const definition = context?.operation;
      if (definition && plan && marked.has(definition)) notePlan(definition, plan);
      return execute(plan, services, request, context, ...rest);
    };
    execution.executeQueryPlan = Object.assign(noting, { pactumNotesPlans: true as const });
  }
  shaping.computeResponse = Object.assign(wrapped, { pactumShapesQuickly: true as const });
  installed = true;
  return true;
}
