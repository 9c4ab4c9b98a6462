import { canonicalJson } from './src/audit/canonical-json';
import { deriveIndexRows } from './src/audit/chain/record-content';
import { benchAuditEvent } from './src/audit/bench/bench-event';
const e = benchAuditEvent(1);
const released = Array.from({ length: 2000 }, (_, i) => ({ type: i % 2 ? 'Person' : 'Alert', key: `K-${i}-abcdefgh`, owner: 'NL-POLICE' }));
const ev = { ...e, enforcement: { ...e.enforcement!, released } };
for (const [name, f] of [['canonical', () => canonicalJson(ev)], ['derive', () => deriveIndexRows(ev)]] as const) {
  for (let i = 0; i < 200; i++) f();
  const t = process.hrtime.bigint(); for (let i = 0; i < 500; i++) f();
  console.log(name, (Number(process.hrtime.bigint() - t) / 1e6 / 500).toFixed(3), 'ms');
}
