/**
 * `npm run oracle -- --cases 20000 [--seed N] [--path P] [--depth D]`: the need-to-know oracle on
 * demand. Boots the whole system in this process, runs the cases, prints cases per second, the
 * seed, and on a failure fast-check's minimal counterexample; exits 1 on a failure.
 */
import { parseArgs } from 'node:util';
import { runOracle } from './run-oracle';
import { startOracle } from './start-oracle';

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '1000' },
      seed: { type: 'string' },
      path: { type: 'string' },
      depth: { type: 'string' },
    },
  });
  const cases = Number(values.cases);
  const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed);
  const depth = values.depth === undefined ? undefined : Number(values.depth);
  if (!Number.isInteger(cases) || cases < 1) throw new Error(`--cases must be a positive integer, not ${values.cases}`);
  if (!Number.isInteger(seed)) throw new Error(`--seed must be an integer, not ${values.seed}`);
  if (depth !== undefined && !(Number.isInteger(depth) && depth >= 0)) throw new Error(`--depth must be a non-negative integer, not ${values.depth}`);

  process.stdout.write(`need-to-know oracle: ${cases} cases, seed ${seed}\n`);
  const oracle = await startOracle();
  try {
    const report = await runOracle(oracle, {
      cases,
      seed,
      ...(values.path ? { path: values.path } : {}),
      ...(depth !== undefined ? { shape: { maxDepth: depth } } : {}),
      log: (line) => process.stdout.write(`  ${line}\n`),
    });
    const c = report.coverage;
    process.stdout.write(`${report.cases} cases in ${report.seconds.toFixed(1)} s: ${report.casesPerSecond.toFixed(1)} cases/s (seed ${report.seed})\n`);
    process.stdout.write(
      `cases that released an entity ${c.released}, had a FORBIDDEN error ${c.denied}, dropped rows from a list ${c.withheldInLists}, withheld a single row ${c.withheldSingle}\n`,
    );
    if (report.failed) {
      process.stdout.write(`${report.failure ?? ''}\n`);
      process.stdout.write(`replay: npm run oracle -- --cases ${cases} --seed ${seed}${report.path ? ` --path "${report.path}"` : ''}\n`);
      return 1;
    }
    process.stdout.write('passed: the gateway released exactly what the rules allow, and audited every released entity\n');
    return 0;
  } finally {
    await oracle.stop();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    process.stderr.write(`need-to-know oracle: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exit(2);
  },
);
