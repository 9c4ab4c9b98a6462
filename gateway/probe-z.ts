import { canonicalJson } from './src/audit/canonical-json';
import { benchAuditEvent } from './src/audit/bench/bench-event';
import { dictionaryFor, packContent, shapeTextOf } from './src/audit/chain/content-codec';
import { contentHashOf } from './src/audit/chain/chain-hash';
const e = benchAuditEvent(1);
const released = Array.from({ length: 2000 }, (_, i) => ({ key: `PER-${100000 + i}`, owner: 'NL-POLICE', type: i % 2 ? 'Person' : 'Alert' }));
const ev = { ...e, enforcement: { ...e.enforcement!, released } };
const text = canonicalJson(ev); const dict = dictionaryFor(shapeTextOf(ev));
console.log('text bytes', text.length, 'packed', packContent(text, dict).length);
for (const [name, f] of [['deflate', () => packContent(text, dict)], ['hash', () => contentHashOf(text)]] as const) {
  for (let i = 0; i < 50; i++) f();
  const t = process.hrtime.bigint(); for (let i = 0; i < 200; i++) f();
  console.log(name, (Number(process.hrtime.bigint() - t) / 1e6 / 200).toFixed(3), 'ms');
}
