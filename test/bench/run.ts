/**
 * `npm run bench`: Pactum side by side with bare @apollo/gateway on the same subgraphs, then
 * the component micro-benchmarks. Progress goes to stderr; the table to stdout; the figures to
 * `test/bench/results/latest.json` (and the components to `components-latest.json`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { formatComparison, readReport } from './bench-compare';
import { HELP, parseBenchOptions, type BenchOptions } from './bench-options';
import { formatTable } from './bench-table';
import { formatComponents, runComponentBench } from './components';
import { runGatewayBench } from './run-gateway-bench';

function writeJson(file: string, value: unknown): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}

async function main(argv: string[]): Promise<number> {
  let options: BenchOptions | undefined;
  try {
    options = parseBenchOptions(argv);
  } catch (err) {
    process.stderr.write(`bench: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (!options) {
    process.stdout.write(HELP);
    return 0;
  }
  const log = (line: string): void => {
    process.stderr.write(`${line}\n`);
  };
  if (options.compare) {
    const { before, after } = options.compare;
    const shown = (file: string): string => path.relative(process.cwd(), file);
    process.stdout.write(`${formatComparison(readReport(before), readReport(after), { before: shown(before), after: shown(after) })}\n`);
    return 0;
  }
  let failed = false;
  if (options.parts.gateways) {
    const report = await runGatewayBench(options, log);
    writeJson(options.output, report);
    // Each run is kept too, so any two can be compared later (--compare).
    const stamp = report.startedAt.replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z');
    const history = path.join(path.dirname(options.output), `run-${stamp}-${(report.gitCommit ?? 'nogit').slice(0, 7)}.json`);
    writeJson(history, report);
    process.stdout.write(`\n${formatTable(report)}\n\nwritten ${path.relative(process.cwd(), options.output)} and ${path.relative(process.cwd(), history)}\n`);
    failed ||= report.rows.some((r) => r.flagged);
  }
  if (options.parts.components) {
    const components = await runComponentBench(log);
    const file = path.join(path.dirname(options.output), 'components-latest.json');
    writeJson(file, components);
    process.stdout.write(`\n${formatComponents(components)}\n\nwritten ${path.relative(process.cwd(), file)}\n`);
    failed ||= components.some((c) => c.error !== undefined);
  }
  // A run with failures is reported in full but does not pass for a clean one.
  return failed ? 1 : 0;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    process.stderr.write(`bench: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    process.exitCode = 1;
  },
);
