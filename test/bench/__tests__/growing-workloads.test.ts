/**
 * The workloads that grow ask what their names say: `list-n` asks exactly n rows over pages of at
 * most 100 (the subgraph's cap) in distinct bench ports, and `principals-n` cycles n distinct
 * subjects with the same claims. Bad sizes are refused.
 */
import { parse, type FieldNode, type OperationDefinitionNode } from 'graphql';
import { BENCH_PORTS, ROWS_PER_PORT } from '../bench-seed';
import { allWorkloads, LIST_SIZES, principalsOf, PRINCIPAL_COUNTS, seizureListQuery, selectWorkloads } from '../workloads';

function pages(query: string): { port: string; first: number }[] {
  const op = parse(query).definitions[0] as OperationDefinitionNode;
  return op.selectionSet.selections.map((s) => {
    const field = s as FieldNode;
    const arg = (name: string): string => {
      const value = field.arguments?.find((a) => a.name.value === name)?.value;
      if (!value || (value.kind !== 'StringValue' && value.kind !== 'IntValue')) throw new Error(`no ${name}`);
      return value.value;
    };
    expect(field.name.value).toBe('seizures');
    return { port: arg('port'), first: Number(arg('first')) };
  });
}

test.each(LIST_SIZES)('list-%i asks that many rows, at most 100 per page, each page its own port', (n) => {
  const workload = selectWorkloads([`list-${n}`])[0];
  const asked = pages(workload?.query ?? '');
  expect(asked.reduce((sum, p) => sum + p.first, 0)).toBe(n);
  expect(asked.every((p) => p.first <= ROWS_PER_PORT)).toBe(true);
  expect(new Set(asked.map((p) => p.port)).size).toBe(asked.length);
  expect(asked.every((p) => (BENCH_PORTS as readonly string[]).includes(p.port))).toBe(true);
  // The per-row federation join: each row's container asks the police subgraph's hit.
  expect(workload?.query).toContain('policeHit');
});

test.each([0, 1.5, BENCH_PORTS.length * ROWS_PER_PORT + 1])('a list of %p rows is refused', (n) => {
  expect(() => seizureListQuery(n)).toThrow(/list size must be 1\.\.1000/);
});

test.each(PRINCIPAL_COUNTS)('principals-%i cycles that many distinct subjects with the same claims', (n) => {
  const workload = allWorkloads().find((w) => w.name === `principals-${n}`);
  if (!workload) throw new Error('missing workload');
  const principals = principalsOf(workload);
  expect(principals).toHaveLength(n);
  expect(new Set(principals.map((p) => p.sub)).size).toBe(n);
  expect(new Set(principals.map((p) => JSON.stringify({ ...p, sub: '' }))).size).toBe(1);
});

test('every workload name is unique', () => {
  const names = allWorkloads().map((w) => w.name);
  expect(new Set(names).size).toBe(names.length);
});
