/**
 * `pactum dev`: `pactum start` plus the dev loop. It watches each registered subgraph's `src/`
 * folder; after a burst of changes settles it recomposes the supergraph from the working tree.
 * A valid composition restarts the changed subgraphs (so they serve their new resolvers) and then
 * writes the dev supergraph, which the gateway (run with `PACTUM_SUPERGRAPH_WATCH=1`) checks
 * against the policy and swaps in without a restart. An invalid composition is printed as one
 * block and nothing is written or restarted: the last good supergraph keeps serving. So is one
 * the policy is not valid against (a grant names a field that is gone).
 *
 * The dev supergraph lives in the state folder (`<PACTUM_STATE_DIR>/dev/supergraph.graphql`), not
 * in the committed `schema/supergraph.graphql`: an experiment in progress never shows up as a diff
 * of the reviewed schema (`npm run compose` writes that one when the change is done).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { agencySubgraphs, composeSupergraph, formatCompositionProblems, loadSubgraphRegistry, type RegisteredSubgraph } from '@pactum/schema';
import { loadGatewayConfig } from '../../config/gateway-config';
import { loadPolicy } from '../../policy';
import { superviseStack, type StackControl } from './start';
import { snapshotSources, changedSources, type SourceSnapshot } from './watch-sources';

const HELP = `usage: pactum dev [--debounce <ms>]

As \`pactum start\`, and watches each registered subgraph's src/ folder. After a change
(bursts are debounced) it recomposes; a valid supergraph restarts the changed subgraphs and
is written to <PACTUM_STATE_DIR>/dev/supergraph.graphql, which the gateway swaps in without
a restart (policies rechecked against it). An invalid one is printed and refused: the last
good supergraph keeps serving.

options:
  --debounce <ms>       quiet time after the last change before recomposing (default 300)

environment: as \`pactum start\` (see \`pactum start --help\`).
`;

/** How often the sources are scanned for changes. */
const SCAN_MS = 250;

/** Writes via a temporary file and a rename: the gateway's poll never reads half a supergraph. */
function writeAtomically(file: string, text: string): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
}

/**
 * Forgets the loaded modules of a subgraph's folder, so composing reads its edited `src/schema.ts`
 * (and what it imports from its own folder) again rather than the first version loaded.
 */
function forgetModules(entry: RegisteredSubgraph): void {
  const dirs = new Set([entry.dir, fs.realpathSync(entry.dir)].map((d) => d + path.sep));
  for (const key of Object.keys(require.cache)) {
    if ([...dirs].some((d) => key.startsWith(d))) delete require.cache[key];
  }
}

export async function runDevCommand(argv: string[]): Promise<number> {
  let values: { help?: boolean; debounce?: string };
  try {
    ({ values } = parseArgs({ args: argv, options: { help: { type: 'boolean', short: 'h' }, debounce: { type: 'string' } }, strict: true }));
  } catch (err) {
    process.stderr.write(`pactum dev: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(HELP);
    return 0;
  }
  const debounceMs = values.debounce === undefined ? 300 : Number(values.debounce);
  if (!/^\d+$/.test(values.debounce ?? '300') || debounceMs < 50 || debounceMs > 60_000) {
    process.stderr.write(`pactum dev: --debounce ${values.debounce}: must be a whole number of milliseconds between 50 and 60000\n`);
    return 2;
  }

  let registry: ReturnType<typeof loadSubgraphRegistry>;
  try {
    registry = loadSubgraphRegistry();
  } catch (err) {
    process.stderr.write(`pactum dev: ${(err as Error).message}\n`);
    return 1;
  }
  const say = (line: string): void => void process.stdout.write(`${'[dev]'.padEnd(11)} ${line}\n`);
  let supergraphFile = '';
  let policyDir = '';
  let lastWritten = '';
  let timer: NodeJS.Timeout | undefined;
  let scanning: NodeJS.Timeout | undefined;

  const compose = (): { sdl: string } | { block: string } => {
    const result = composeSupergraph(agencySubgraphs(registry));
    return 'errors' in result ? { block: formatCompositionProblems(result.errors) } : result;
  };

  /** One round of the loop: recompose, then restart what changed, then hand the gateway the supergraph. */
  async function apply(control: StackControl, changed: readonly RegisteredSubgraph[]): Promise<void> {
    const names = changed.map((e) => e.name).join(', ');
    for (const entry of changed) forgetModules(entry);
    let composed: { sdl: string } | { block: string };
    try {
      composed = compose();
    } catch (err) {
      // A schema module that does not load (syntax error, bad import) is refused like a bad composition.
      composed = { block: (err as Error).message };
    }
    if ('block' in composed) {
      say(`${names} changed: composition refused; nothing written, the gateway keeps the last good supergraph\n${composed.block}`);
      return;
    }
    // The gateway would refuse it too, but only after the subgraphs were restarted on the new schema.
    try {
      loadPolicy({ dir: policyDir, supergraphSdl: composed.sdl });
    } catch (err) {
      say(`${names} changed: the policy is not valid against the new supergraph; nothing written, the gateway keeps the last good one\n${(err as Error).message}`);
      return;
    }
    // Restart first: the new supergraph may route fields only the restarted process resolves.
    for (const entry of changed) {
      say(`${entry.name} changed: restarting it`);
      try {
        await control.restartSubgraph(entry.name);
        say(`${entry.name} restarted`);
      } catch (err) {
        say(`${(err as Error).message}; it stays down until its next change`);
        return;
      }
    }
    if (composed.sdl === lastWritten) {
      say('supergraph unchanged');
      return;
    }
    writeAtomically(supergraphFile, composed.sdl);
    lastWritten = composed.sdl;
    say(`supergraph recomposed and written to ${supergraphFile}; the gateway swaps it in`);
  }

  function watch(control: StackControl): void {
    let snapshots = new Map<string, SourceSnapshot>(registry.subgraphs.map((e) => [e.name, snapshotSources(e.dir)]));
    const pending = new Set<string>();
    let busy: Promise<void> = Promise.resolve();
    const flush = (): void => {
      const changed = registry.subgraphs.filter((e) => pending.has(e.name));
      pending.clear();
      // One round at a time: changes during a round wait for the next one.
      busy = busy.then(() => apply(control, changed)).catch((err: Error) => say(`error: ${err.message}`));
    };
    scanning = setInterval(() => {
      const next = new Map<string, SourceSnapshot>();
      let seen = false;
      for (const entry of registry.subgraphs) {
        const now = snapshotSources(entry.dir);
        next.set(entry.name, now);
        if (changedSources(snapshots.get(entry.name), now)) {
          pending.add(entry.name);
          seen = true;
        }
      }
      snapshots = next;
      if (!seen) return;
      // Debounce: an editor's save or a formatter touches several files in a burst.
      if (timer) clearTimeout(timer);
      timer = setTimeout(flush, debounceMs);
    }, SCAN_MS);
    say(`watching ${registry.subgraphs.map((e) => `${e.workspace}/src`).join(', ')}`);
  }

  return superviseStack({
    command: 'pactum dev',
    prepare(env, stateDir) {
      const composed = compose();
      if ('block' in composed) throw new Error(`the subgraphs do not compose; fix them and start again\n${composed.block}`);
      fs.mkdirSync(path.join(stateDir, 'dev'), { recursive: true });
      supergraphFile = path.join(stateDir, 'dev', 'supergraph.graphql');
      writeAtomically(supergraphFile, composed.sdl);
      lastWritten = composed.sdl;
      env.PACTUM_SUPERGRAPH = supergraphFile;
      env.PACTUM_SUPERGRAPH_WATCH = '1';
      policyDir = loadGatewayConfig(env).policyDir;
    },
    onReady: watch,
    onStop() {
      if (timer) clearTimeout(timer);
      if (scanning) clearInterval(scanning);
    },
  });
}
