/**
 * Component micro-benchmarks: the pieces of a Pactum request on their own, through the areas'
 * public doors — a field decision, the rewrite of ContainerDossier (uncached and cached), the
 * post-processing of its result, agency-token verification, context-token signing and one
 * durable audit append. Each is timed in a loop after a warm-up; a failing piece is reported
 * with its error and does not stop the others.
 */
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse, TypeInfo, visit, visitWithTypeInfo, getNamedType, type DocumentNode } from 'graphql';
import { loadApiSchema, loadOperations, loadSupergraphSdl } from '@pactum/schema';
import { openAuditTrail } from '../../gateway/src/audit';
import { benchAuditEvent } from '../../gateway/src/audit/bench/bench-event';
import {
  createContextTokenSigner,
  createTokenVerifier,
  ensureGatewayKeys,
  issueDevToken,
  loadTrustRegistry,
  type DeclaredPurpose,
  type Principal,
} from '../../gateway/src/auth';
import { createRewriteCache, postProcess, rewriteOperation } from '../../gateway/src/enforce';
import { loadPolicy } from '../../gateway/src/policy';
import { REPO_ROOT } from './child-service';
import { fakeResult } from './fake-result';
import type { BenchLog } from './run-gateway-bench';
import { allWorkloads, type BenchPrincipal } from './workloads';

export interface ComponentResult {
  readonly name: string;
  /** Operations timed. */
  readonly ops?: number;
  readonly opsPerSec?: number;
  readonly microsPerOp?: number;
  /** Free text: what one op is. */
  readonly note?: string;
  readonly error?: string;
}

/** How long each piece is timed (after a warm-up of a fifth of it). */
const TIME_MS = 1000;

async function timeLoop(name: string, note: string, op: (i: number) => unknown | Promise<unknown>, opsPerCall = 1): Promise<ComponentResult> {
  const run = async (ms: number): Promise<{ ops: number; elapsed: number }> => {
    const start = performance.now();
    let calls = 0;
    while (performance.now() - start < ms) {
      // Batches of 16 calls keep the clock out of the timing of sub-microsecond operations.
      for (let k = 0; k < 16; k++) {
        const r = op(calls++);
        if (r instanceof Promise) await r;
      }
    }
    return { ops: calls * opsPerCall, elapsed: performance.now() - start };
  };
  await run(TIME_MS / 5);
  const { ops, elapsed } = await run(TIME_MS);
  return { name, note, ops, opsPerSec: (ops / elapsed) * 1000, microsPerOp: (elapsed * 1000) / ops };
}

function principalOf(p: BenchPrincipal): Principal {
  return {
    subject: p.sub,
    agency: p.agency,
    issuer: `bench:${p.agency}`,
    roles: new Set(p.roles),
    clearance: p.clearance,
    purposes: new Set(p.purposes),
    cases: new Set(p.cases),
  };
}

/** Every (type, field) coordinate an operation selects, in order. */
function coordinatesOf(schema: ReturnType<typeof loadApiSchema>, document: DocumentNode): [string, string][] {
  const info = new TypeInfo(schema);
  const out: [string, string][] = [];
  visit(
    document,
    visitWithTypeInfo(info, {
      Field(node) {
        const parent = info.getParentType();
        if (parent && !node.name.value.startsWith('__')) out.push([getNamedType(parent).name, node.name.value]);
      },
    }),
  );
  return out;
}

async function piece(results: ComponentResult[], log: BenchLog, name: string, body: () => Promise<ComponentResult | ComponentResult[]>): Promise<void> {
  try {
    const r = await body();
    for (const one of Array.isArray(r) ? r : [r]) {
      results.push(one);
      log(`components: ${one.name}: ${one.microsPerOp?.toFixed(2)} µs/op (${one.opsPerSec?.toFixed(0)}/s)`);
    }
  } catch (err) {
    results.push({ name, error: (err as Error).message });
    log(`components: ${name}: FAILED ${(err as Error).message}`);
  }
}

/** Runs every component benchmark; never throws for a single failing piece. */
export async function runComponentBench(log: BenchLog): Promise<ComponentResult[]> {
  const results: ComponentResult[] = [];
  const schema = loadApiSchema();
  const dossierText = loadOperations()['ContainerDossier'];
  if (!dossierText) throw new Error('schema/operations/ContainerDossier.graphql not found');
  const dossier = parse(dossierText);
  const workloads = allWorkloads().filter((w) => w.name.startsWith('dossier-'));
  const at = new Date();

  let policy: ReturnType<typeof loadPolicy> | undefined;
  await piece(results, log, 'policy: load + compile', async () => {
    const t0 = performance.now();
    policy = loadPolicy({ dir: path.join(REPO_ROOT, 'policies'), supergraphSdl: loadSupergraphSdl() });
    const ms = performance.now() - t0;
    return { name: 'policy: load + compile', ops: 1, opsPerSec: 1000 / ms, microsPerOp: ms * 1000, note: 'once at start' };
  });

  for (const w of workloads) {
    const principal = principalOf(w.principal);
    const purpose: DeclaredPurpose = { code: w.purpose.code, ...(w.purpose.caseRef ? { caseRef: w.purpose.caseRef } : {}) };
    const tag = `(${w.principal.agency})`;

    await piece(results, log, `policy: profile lookup ${tag}`, async () => {
      if (!policy) throw new Error('policy did not load');
      const p = policy;
      return timeLoop(`policy: profile lookup ${tag}`, 'profileFor(principal, purpose, now), cached', () => p.profileFor(principal, purpose, at));
    });

    await piece(results, log, `policy: field decision ${tag}`, async () => {
      if (!policy) throw new Error('policy did not load');
      const profile = policy.profileFor(principal, purpose, at);
      const coords = coordinatesOf(schema, dossier);
      return timeLoop(
        `policy: field decision ${tag}`,
        `profile.field(type, field) over ContainerDossier's ${coords.length} fields`,
        () => {
          for (const [t, f] of coords) profile.field(t, f);
        },
        coords.length,
      );
    });

    await piece(results, log, `enforce: rewrite ContainerDossier ${tag}`, async () => {
      if (!policy) throw new Error('policy did not load');
      const p = policy;
      const profile = p.profileFor(principal, purpose, at);
      const input = { schema, document: dossier, operationName: 'ContainerDossier', profile, facts: p.facts };
      const cache = createRewriteCache();
      const queryHash = crypto.createHash('sha256').update(dossierText).digest('hex');
      return [
        await timeLoop(`enforce: rewrite ContainerDossier uncached ${tag}`, 'rewriteOperation (walk, decide, inject, print, hash)', () => rewriteOperation(input)),
        await timeLoop(`enforce: rewrite ContainerDossier cached ${tag}`, 'rewrite cache hit by (queryHash, operation, profile)', () => cache.rewrite({ ...input, queryHash })),
      ];
    });

    await piece(results, log, `enforce: post-process ContainerDossier ${tag}`, async () => {
      if (!policy) throw new Error('policy did not load');
      const p = policy;
      const profile = p.profileFor(principal, purpose, at);
      const rewrite = rewriteOperation({ schema, document: dossier, operationName: 'ContainerDossier', profile, facts: p.facts });
      if (!rewrite.document) throw new Error('nothing left to execute for this principal');
      const template = JSON.stringify(fakeResult(schema, rewrite.document, { ownerOf: (t) => p.facts.owningAgency(t) }));
      // postProcess mutates its input: fresh copies are made before the clock starts.
      const copies = Array.from({ length: 4096 }, () => JSON.parse(template) as Record<string, unknown>);
      let next = 0;
      const result = await timeLoop(
        `enforce: post-process ContainerDossier ${tag}`,
        `one pass over a ${template.length} B result (3 items per list)`,
        () => {
          if (next === copies.length) {
            for (let i = 0; i < copies.length; i++) copies[i] = JSON.parse(template) as Record<string, unknown>;
            next = 0;
          }
          return postProcess({ data: copies[next++] ?? null }, rewrite.plan, { number: 'MSCU1234566' });
        },
      );
      return result;
    });
  }

  await piece(results, log, 'auth: agency token verify', async () => {
    const registry = loadTrustRegistry(path.join(REPO_ROOT, 'policies', 'agencies.yaml'));
    const verifier = createTokenVerifier({ registry });
    const w = workloads[0];
    if (!w) throw new Error('no workload');
    // Distinct tokens, each verified once: the signature check a new client token costs.
    const fresh = await Promise.all(Array.from({ length: 300 }, () => issueDevToken({ ...w.principal, ttl: '1h' })));
    await verifier.verify(fresh[0] as string);
    const t0 = performance.now();
    for (let i = 1; i < fresh.length; i++) await verifier.verify(fresh[i] as string);
    const ms = performance.now() - t0;
    const cold: ComponentResult = {
      name: 'auth: agency token verify, new token',
      note: `createTokenVerifier().verify of ${fresh.length - 1} distinct EdDSA tokens, each once (JWKS cached)`,
      ops: fresh.length - 1,
      opsPerSec: ((fresh.length - 1) / ms) * 1000,
      microsPerOp: (ms * 1000) / (fresh.length - 1),
    };
    const token = fresh[0] as string;
    const repeat = await timeLoop('auth: agency token verify, same token again', "verify of a token already seen (whatever the verifier caches)", () => verifier.verify(token));
    return [cold, repeat];
  });

  const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'pactum-components-'));
  try {
    await piece(results, log, 'auth: context token sign', async () => {
      const keys = ensureGatewayKeys(path.join(scratch, 'keys'));
      const fresh = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid, memoSize: 0 });
      const reusing = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid });
      const principal = principalOf(allWorkloads()[0]?.principal ?? ({} as BenchPrincipal));
      const purpose = { code: 'drug-trafficking' };
      const signed = await timeLoop('auth: context token sign', 'a new Ed25519 signature (first call of a caller, or every 30 s)', () =>
        fresh.sign({ audience: 'customs', principal, purpose }),
      );
      const reused = await timeLoop('auth: context token, reused', 'the same caller again within half the token lifetime', () =>
        reusing.sign({ audience: 'customs', principal, purpose }),
      );
      return [signed, reused];
    });

    await piece(results, log, 'audit: append (SQLite)', async () => {
      const trail = await openAuditTrail({ file: path.join(scratch, 'audit.sqlite') });
      try {
        const one = await timeLoop('audit: append, 1 at a time (SQLite)', 'durable append, awaited before the next', (i) => trail.append(benchAuditEvent(i)));
        const fifty = await timeLoop(
          'audit: append, 50 concurrent (SQLite)',
          'per record, 50 appends in flight (group commit)',
          (i) => Promise.all(Array.from({ length: 50 }, (_, k) => trail.append(benchAuditEvent(i * 50 + k)))),
          50,
        );
        return [one, fifty];
      } finally {
        await trail.close();
      }
    });
  } finally {
    fs.rmSync(scratch, { recursive: true, force: true });
  }
  return results;
}

/** The component results as a table. */
export function formatComponents(results: readonly ComponentResult[]): string {
  const lines = [`${'component'.padEnd(58)}  ${'µs/op'.padStart(10)}  ${'ops/s'.padStart(10)}  what one op is`, '-'.repeat(120)];
  for (const r of results) {
    if (r.error !== undefined) {
      lines.push(`${r.name.padEnd(58)}  FAILED: ${r.error}`);
      continue;
    }
    lines.push(`${r.name.padEnd(58)}  ${(r.microsPerOp ?? NaN).toFixed(2).padStart(10)}  ${(r.opsPerSec ?? NaN).toFixed(0).padStart(10)}  ${r.note ?? ''}`);
  }
  return lines.join('\n');
}
