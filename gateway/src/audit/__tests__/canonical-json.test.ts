import { canonicalJson } from '../canonical-json';
import { newAuditId } from '../audit-id';
import { parseEntity, parseTime } from '../report/parse-time';
import { csvCell } from '../report/format-records';

describe('canonicalJson', () => {
  test('sorts keys at every depth, drops undefined properties, keeps array order', () => {
    expect(canonicalJson({ b: 1, a: { d: [3, 1, { z: true, y: null }], c: 'x' }, u: undefined })).toBe(
      '{"a":{"c":"x","d":[3,1,{"y":null,"z":true}]},"b":1}',
    );
  });

  test('the same content in a different key order hashes to the same text', () => {
    expect(canonicalJson({ agency: 'NL-POLICE', subject: 's' })).toBe(canonicalJson({ subject: 's', agency: 'NL-POLICE' }));
  });

  test('dates become ISO strings; unicode and quotes are escaped as JSON', () => {
    expect(canonicalJson({ t: new Date(Date.UTC(2025, 0, 10)), s: 'Zoë "q"' })).toBe('{"s":"Zoë \\"q\\"","t":"2025-01-10T00:00:00.000Z"}');
  });

  test('values JSON cannot carry exactly are refused with their path', () => {
    expect(() => canonicalJson({ a: { b: Number.NaN } })).toThrow('non-finite number at $.a.b');
    expect(() => canonicalJson({ a: [1, undefined] })).toThrow('undefined at $.a[1]');
    expect(() => canonicalJson({ a: new Map() })).toThrow('unsupported object at $.a');
    expect(() => canonicalJson({ a: 10n })).toThrow('unsupported bigint at $.a');
    expect(() => canonicalJson({ d: new Date('x') })).toThrow('invalid date at $.d');
    // eslint-disable-next-line no-sparse-arrays
    expect(() => canonicalJson({ a: { list: [1, , 3] } })).toThrow('undefined at $.a.list[1]');
    expect(() => canonicalJson([{ ok: 1 }, { f: () => 1 }])).toThrow('unsupported function at $[1].f');
    expect(() => canonicalJson(Symbol('s'))).toThrow('unsupported symbol at $');
    expect(() => canonicalJson({ a: Infinity })).toThrow(TypeError);
  });

  test('agrees with JSON.stringify on plain data whose keys are already sorted', () => {
    const value = { a: [1, 2.5, -0.001, 1e21, 'x\n\u2028"', true, null, { b: [], c: {} }], z: { y: [[[]]] }, é: 'ü' };
    expect(canonicalJson(value)).toBe(JSON.stringify(value));
  });

  test('a column of strings or numbers (encoded by the engine at once) is the same text as element by element', () => {
    const strings = ['a', 'x\n\u2028"', '\ud800', 'Zoë', '', '\u0007'];
    const numbers = [0, -0, 1.5, 1e21, -3];
    expect(canonicalJson({ s: strings, n: numbers })).toBe(`{"n":[${numbers.map((n) => JSON.stringify(n)).join(',')}],"s":[${strings.map((x) => JSON.stringify(x)).join(',')}]}`);
    expect(canonicalJson([1, 'a', null])).toBe('[1,"a",null]');
    expect(() => canonicalJson({ c: [1, 2, Number.NaN] })).toThrow('non-finite number at $.c[2]');
    expect(() => canonicalJson({ c: ['a', undefined] })).toThrow('undefined at $.c[1]');
  });

  test('a __proto__ key is data, not a prototype', () => {
    const value = JSON.parse('{"__proto__": {"x": 1}, "a": 2}') as unknown;
    expect(canonicalJson(value)).toBe('{"__proto__":{"x":1},"a":2}');
  });
});

describe('newAuditId', () => {
  test('26 Crockford base32 characters, sorted by time, unique', () => {
    const early = newAuditId(new Date(Date.UTC(2025, 0, 1)));
    const late = newAuditId(new Date(Date.UTC(2025, 0, 2)));
    expect(early).toMatch(/^[0-9A-HJKMNP-TV-Z]{26}$/);
    expect(early < late).toBe(true);
    expect(new Set(Array.from({ length: 1000 }, () => newAuditId())).size).toBe(1000);
  });
});

describe('command-line parsing helpers', () => {
  const now = new Date(Date.UTC(2025, 0, 10, 12));
  test('relative and ISO times', () => {
    expect(parseTime('24h', '--since', now).toISOString()).toBe('2025-01-09T12:00:00.000Z');
    expect(parseTime('7d', '--since', now).toISOString()).toBe('2025-01-03T12:00:00.000Z');
    expect(parseTime('2025-01-10T09:30:00Z', '--until', now).toISOString()).toBe('2025-01-10T09:30:00.000Z');
    expect(() => parseTime('-1h', '--since', now)).toThrow(/--since "-1h"/);
    expect(() => parseTime('10 days', '--since', now)).toThrow(expect.objectContaining({ code: 'BAD_USER_INPUT' }));
  });

  test('entities', () => {
    expect(parseEntity('Container:MSCU1234566')).toEqual({ type: 'Container', key: 'MSCU1234566' });
    expect(parseEntity('Investigation:NL-POLICE/NL-ONB-2024-0456')).toEqual({ type: 'Investigation', key: 'NL-POLICE/NL-ONB-2024-0456' });
    for (const bad of ['MSCU1234566', ':x', 'Container:', 'container:x']) expect(() => parseEntity(bad)).toThrow(/Type:Key/);
  });

  test('CSV cells are quoted and formulas defused', () => {
    expect(csvCell('plain')).toBe('plain');
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
  });
});
