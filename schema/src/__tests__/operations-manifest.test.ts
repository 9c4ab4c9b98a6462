import { readFileSync } from 'node:fs';
import {
  buildOperationsManifest,
  loadOperations,
  manifestPath,
  normaliseOperation,
  operationId,
  parseOperationsManifest,
  serialiseOperationsManifest,
  sha256Hex,
} from '../index';

const manifest = buildOperationsManifest();

describe('the trusted operations manifest', () => {
  it('matches the committed schema/operations/manifest.json (run `npm run compose` when this fails)', () => {
    expect(readFileSync(manifestPath, 'utf8')).toBe(serialiseOperationsManifest(manifest));
  });

  it('has one entry per operation file, each id the sha256 of its printed body', () => {
    expect(manifest.operations.map((o) => o.name)).toEqual(Object.keys(loadOperations()).sort());
    for (const op of manifest.operations) {
      expect(op.id).toBe(sha256Hex(op.body));
      expect(op.id).toMatch(/^[0-9a-f]{64}$/);
    }
  });

  it('normalisation ignores comments, commas and layout, but not the document', () => {
    const a = 'query Q($n: ContainerNumber!) { container(number: $n) { number sizeType } }';
    const b = '# a comment\nquery   Q(\n  $n: ContainerNumber!,\n) {\n container(number: $n) {number,, sizeType}}\n';
    expect(operationId(b)).toBe(operationId(a));
    expect(normaliseOperation(b)).toBe(normaliseOperation(a));
    expect(operationId('query Q($n: ContainerNumber!) { container(number: $n) { sizeType number } }')).not.toBe(operationId(a));
    expect(operationId('query Q($n: ContainerNumber!) { container(number: $n) { number sizeType: number } }')).not.toBe(operationId(a));
  });

  it('a file with two operations or a misnamed operation is refused at build', () => {
    expect(() => buildOperationsManifest({ Two: 'query Two { a } query Other { b }' })).toThrow('operation Two: must hold exactly one operation, found 2');
    expect(() => buildOperationsManifest({ Named: 'query Other { a }' })).toThrow('operation Named: the operation must be named Named, found Other');
  });

  describe('parseOperationsManifest refuses a manifest it cannot trust, naming the entry', () => {
    const good = manifest.operations[0];
    const withEntry = (entry: unknown) => ({ format: 'apollo-persisted-query-manifest', version: 1, operations: [entry] });
    it.each<[string, unknown, string]>([
      ['not an object', [], 'm.json: (root): must be a JSON object'],
      ['another format', { format: 'x', version: 1, operations: [] }, 'm.json: format: must be "apollo-persisted-query-manifest"'],
      ['another version', { format: 'apollo-persisted-query-manifest', version: 2, operations: [] }, 'm.json: version: must be 1'],
      ['an id that is not hex', withEntry({ ...good, id: 'z'.repeat(64) }), 'm.json: operations[0].id: must be 64 lowercase hex digits (sha256)'],
      ['an id of the wrong length', withEntry({ ...good, id: 'ab' }), 'm.json: operations[0].id: must be 64 lowercase hex digits (sha256)'],
      ['an id of another document', withEntry({ ...good, body: '{ containers { number } }' }), 'm.json: operations[0].id: is not the sha256 of the normalised body'],
      ['a body that is not GraphQL', withEntry({ ...good, body: '{ unclosed' }), 'm.json: operations[0].body: is not GraphQL'],
      ['a missing name', withEntry({ ...good, name: '' }), 'm.json: operations[0].name: must be a non-empty string'],
      ['a duplicate', { ...withEntry(good), operations: [good, good] }, 'm.json: operations[1].id: appears twice'],
    ])('%s', (_what, value, message) => {
      expect(() => parseOperationsManifest(value, 'm.json')).toThrow(message);
    });

    it('accepts the committed manifest and keeps every entry', () => {
      expect(parseOperationsManifest(JSON.parse(readFileSync(manifestPath, 'utf8')), 'm.json')).toEqual(manifest);
    });
  });
});
