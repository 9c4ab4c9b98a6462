/**
 * Micro-benchmark of the per-request cost of authentication (not a test; no assertions on time):
 * agency-token verification, the full header stage, and context-token signing (fresh and reused).
 *
 *   node --import tsx gateway/src/auth/bench/verify-token.bench.ts [iterations]
 *
 * Uses throw-away keys and a temporary registry, never the repository's `.pactum/`.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  authenticateRequest,
  createContextTokenSigner,
  createTokenVerifier,
  ensureGatewayKeys,
  issueDevToken,
  loadPurposes,
  loadTrustRegistry,
  repoRoot,
} from '../index';

async function measure(name: string, iterations: number, fn: (i: number) => Promise<unknown>): Promise<void> {
  for (let i = 0; i < Math.min(500, iterations); i++) await fn(i); // warm-up: JIT, key import, JWKS cache
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) await fn(i);
  const ns = Number(process.hrtime.bigint() - start);
  const us = ns / 1000 / iterations;
  console.log(`${name.padEnd(44)} ${Math.round(1e6 / us).toString().padStart(8)} ops/s ${us.toFixed(1).padStart(8)} µs/op`);
}

async function main(): Promise<void> {
  const iterations = Number(process.argv[2] ?? 5000);
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pactum-auth-bench-'));
  try {
    const file = path.join(dir, 'agencies.yaml');
    writeFileSync(
      file,
      "agencies:\n  - { id: NL-POLICE, name: Dutch police, country: NL, subgraph: police, identityProvider: { issuer: 'https://idp.nl-police.bench', jwks: 'file:NL-POLICE.jwks.json', audience: pactum, algorithms: [EdDSA] } }\n",
    );
    const registry = loadTrustRegistry(file);
    const purposes = loadPurposes(path.join(repoRoot(), 'policies', 'purposes.yaml'));
    const token = await issueDevToken({
      registry, dir, agency: 'NL-POLICE', sub: 'j.devries', roles: ['investigator'], clearance: 'CONFIDENTIAL',
      purposes: ['drug-trafficking'], cases: ['NL-ONB-2024-0456'], ttl: '1h',
    });
    const verifier = createTokenVerifier({ registry });
    const uncachedVerifier = createTokenVerifier({ registry, cacheSize: 0 });
    const headers = { authorization: `Bearer ${token}`, 'x-purpose': 'drug-trafficking', 'x-case-ref': 'NL-ONB-2024-0456' };
    const keys = ensureGatewayKeys(path.join(dir, 'keys'));
    const fresh = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid, memoSize: 0 });
    const reused = createContextTokenSigner({ privateKey: keys.privateKey, kid: keys.kid });
    const principal = await verifier.verify(token);
    const purpose = { code: 'drug-trafficking' };

    console.log(`auth micro-benchmark, ${iterations} iterations, node ${process.version}`);
    await measure('agency token verify, full (EdDSA signature)', iterations, () => uncachedVerifier.verify(token));
    await measure('agency token verify, token seen before', iterations, () => verifier.verify(token));
    await measure('authenticateRequest (headers + verify)', iterations, () => authenticateRequest(headers, { verifier, purposes }));
    await measure('context token sign (fresh)', iterations, () => fresh.sign({ audience: 'police', principal, purpose }));
    await measure('context token sign (reused, same caller)', iterations, () => reused.sign({ audience: 'police', principal, purpose }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
