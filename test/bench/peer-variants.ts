/**
 * The peers as bench variants, each against the same subgraphs as bare and Pactum:
 *
 * - `hive`, `hive-rust` — `peers/hive-gateway.ts` on the peers' Node.js 22, with the JavaScript or the
 *   Rust query planner, over the same supergraph; it signs its own context tokens, as bare does.
 * - `grafbase` — Grafbase's gateway (`grafbase dev`, the CLI's embedded gateway; the stand-alone
 *   `grafbase-gateway` binary is not on the npm registry), composed by Grafbase from the same
 *   subgraph SDLs the supergraph is composed from. Its header rules can only insert values fixed
 *   at start or forward what the client sent; a context token lives 60 s, which would mean a
 *   restart in the middle of the measurements, so the bench holds the tokens itself
 *   (`context-tokens.ts`) and sends each subgraph's as `x-bench-context-token-<subgraph>`,
 *   which a per-subgraph forward rule renames to `authorization` for that subgraph only. The
 *   headers are read afresh for every window (`headers()`), so each carries ≥ 45 s of lifetime.
 * - `*-no-dedup` — the same with in-flight deduplication of identical subgraph requests off
 *   (Hive: the HTTP transport's `deduplicateInflightRequests: false`; Grafbase:
 *   `traffic_shaping.inflight_deduplication = false`); the defaults have it on.
 */
import fs from 'node:fs';
import path from 'node:path';
import { print } from 'graphql';
import { agencySubgraphs } from '@pactum/schema';
import { startChildService } from './child-service';
import { ContextTokens } from './context-tokens';
import { peerGatewayArgs } from './gateway-node-args';
import type { GatewayEnvironment, RunningVariant } from './gateway-variants';
import { freePort } from '../src/free-port';
import { ensurePeersInstalled } from './peers/peers-install';

export const PEER_VARIANTS = ['hive', 'hive-no-dedup', 'hive-rust', 'hive-rust-no-dedup', 'grafbase', 'grafbase-no-dedup'] as const;
export type PeerVariantName = (typeof PEER_VARIANTS)[number];

export function isPeerVariant(name: string): name is PeerVariantName {
  return (PEER_VARIANTS as readonly string[]).includes(name);
}

/** The header that carries a subgraph's context token to Grafbase, which forwards it as `authorization`. */
export function grafbaseTokenHeader(subgraph: string): string {
  return `x-bench-context-token-${subgraph}`;
}

function toml(value: string): string {
  return JSON.stringify(value);
}

/** Grafbase's configuration (`grafbase.toml`) and the subgraph SDL files it names, written into `dir`. */
export function writeGrafbaseConfig(dir: string, subgraphUrls: Readonly<Record<string, string>>, dedup: boolean): string {
  fs.mkdirSync(dir, { recursive: true });
  const lines = [
    '# Written by test/bench/peer-variants.ts for one bench run.',
    '[graph]',
    'introspection = false',
    '',
    '[health]',
    'enabled = true',
    '',
    '[traffic_shaping]',
    `inflight_deduplication = ${dedup}`,
  ];
  for (const subgraph of agencySubgraphs()) {
    const url = subgraphUrls[subgraph.name];
    if (url === undefined) throw new Error(`grafbase: no URL for subgraph ${subgraph.name}`);
    const sdl = path.join(dir, `${subgraph.name}.graphql`);
    fs.writeFileSync(sdl, print(subgraph.typeDefs));
    lines.push(
      '',
      `[subgraphs.${subgraph.name}]`,
      `url = ${toml(url)}`,
      `schema_path = ${toml(sdl)}`,
      `[[subgraphs.${subgraph.name}.headers]]`,
      'rule = "forward"',
      `name = ${toml(grafbaseTokenHeader(subgraph.name))}`,
      'rename = "authorization"',
    );
  }
  const file = path.join(dir, 'grafbase.toml');
  fs.writeFileSync(file, `${lines.join('\n')}\n`);
  return file;
}

function gatewayEnvVars(env: GatewayEnvironment, port: number): Record<string, string> {
  const vars: Record<string, string> = { PACTUM_STATE_DIR: env.stateDir, PACTUM_HOST: '127.0.0.1', PACTUM_GATEWAY_PORT: String(port) };
  for (const [name, url] of Object.entries(env.subgraphUrls)) vars[`PACTUM_${name.toUpperCase()}_URL`] = url;
  return vars;
}

/** Starts one peer; an install or start failure is an error naming the peer and why. */
export async function startPeerVariant(name: PeerVariantName, env: GatewayEnvironment, timeoutMs: number): Promise<RunningVariant> {
  const install = ensurePeersInstalled();
  const port = await freePort();
  const dedup = !name.endsWith('-no-dedup');
  if (name.startsWith('hive')) {
    const service = await startChildService({
      name: `gateway:${name}`,
      script: 'test/bench/peers/hive-gateway.ts',
      nodeBinary: install.node22,
      // The same Node.js options as bare's and Pactum's (CPU profile when asked), but a larger heap ceiling.
      nodeArgs: peerGatewayArgs(),
      env: { ...gatewayEnvVars(env, port), BENCH_HIVE_PLANNER: name.startsWith('hive-rust') ? 'rust' : 'js', BENCH_HIVE_DEDUP: dedup ? 'on' : 'off' },
      ready: { stdoutLine: /^hive gateway ready at (\S+)/ },
      timeoutMs,
    });
    return { name, url: service.announcedUrl ?? `http://127.0.0.1:${port}/graphql`, service };
  }
  const config = writeGrafbaseConfig(path.join(env.workDir, `${name}-${port}`), env.subgraphUrls, dedup);
  const tokens = ContextTokens.forStateDir(env.stateDir, Object.keys(env.subgraphUrls));
  await tokens.start();
  let service;
  try {
    service = await startChildService({
      name: `gateway:${name}`,
      script: path.relative(process.cwd(), install.grafbase),
      executable: install.grafbase,
      args: ['dev', '--config', config, '--listen-address', `127.0.0.1:${port}`],
      // Its home (extensions cache, credentials) inside the scratch folder, never the user's.
      env: { HOME: path.join(env.workDir, `${name}-${port}`, 'home'), NO_COLOR: '1' },
      ready: { httpGet: `http://127.0.0.1:${port}/health` },
      timeoutMs,
    });
  } catch (err) {
    tokens.stop();
    throw err;
  }
  const stop = service.stop.bind(service);
  return {
    name,
    url: `http://127.0.0.1:${port}/graphql`,
    service: Object.assign(service, {
      stop: async (graceMs?: number) => {
        tokens.stop();
        await stop(graceMs);
      },
    }),
    headers: () => Object.fromEntries(Object.keys(env.subgraphUrls).map((s) => [grafbaseTokenHeader(s), `Bearer ${tokens.get(s)}`])),
  };
}
