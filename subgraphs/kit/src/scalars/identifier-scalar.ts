import { GraphQLError, GraphQLScalarType, Kind, print, type ValueNode } from 'graphql';

/**
 * Builds a string-backed scalar whose every way in (variables, literals) and out
 * (serialised results) goes through `problemOf`. Input problems are `BAD_USER_INPUT`
 * with the checker's message; a bad value on the way OUT is a server-side data fault,
 * so it is reported as `INTERNAL_SERVER_ERROR` with a message naming the scalar only.
 */
export function stringScalar(options: {
  name: string;
  description: string;
  problemOf: (value: string) => string | null;
  specifiedByURL?: string;
  /** Turns non-string internal values (e.g. `Date`) into the string form before checking. */
  toOutput?: (value: unknown) => unknown;
}): GraphQLScalarType<string, string> {
  const { name, problemOf, toOutput } = options;
  const badInput = (message: string, node?: ValueNode) =>
    new GraphQLError(message, { ...(node ? { nodes: node } : {}), extensions: { code: 'BAD_USER_INPUT' } });

  return new GraphQLScalarType<string, string>({
    name,
    description: options.description,
    ...(options.specifiedByURL ? { specifiedByURL: options.specifiedByURL } : {}),
    serialize(output: unknown): string {
      const value = toOutput ? toOutput(output) : output;
      if (typeof value !== 'string' || problemOf(value) !== null) {
        throw new GraphQLError(`${name} cannot represent an invalid stored value`, {
          extensions: { code: 'INTERNAL_SERVER_ERROR' },
        });
      }
      return value;
    },
    parseValue(input: unknown): string {
      if (typeof input !== 'string') throw badInput(`${name} must be a string, got ${describe(input)}`);
      const problem = problemOf(input);
      if (problem !== null) throw badInput(problem);
      return input;
    },
    parseLiteral(node: ValueNode): string {
      if (node.kind !== Kind.STRING) {
        throw badInput(`${name} must be a string, got ${printShort(node)}`, node);
      }
      const problem = problemOf(node.value);
      if (problem !== null) throw badInput(problem, node);
      return node.value;
    },
  });
}

function describe(input: unknown): string {
  if (input === null) return 'null';
  if (Array.isArray(input)) return 'a list';
  return typeof input === 'object' ? 'an object' : typeof input;
}

function printShort(node: ValueNode): string {
  const text = print(node);
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}
