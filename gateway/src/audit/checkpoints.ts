/**
 * Signed checkpoints over a store: signing chain heads (at intervals, on shutdown, on export),
 * pruning by retention behind a signed checkpoint, and what `verify` learns from the stored
 * checkpoints — where a pruned chain starts, and which signed heads each chain must still
 * contain (so a truncation that also moves the anchor back is caught without `--expect-head`).
 *
 * Fail closed: a checkpoint whose signature does not verify, whose columns differ from what was
 * signed, or that cannot be checked for want of a key fails the chain (`bad-signature`); a chain
 * is pruned only after it verifies.
 */
import type { JWK } from 'jose';
import { AuditUnavailableError } from '../errors';
import { verifyCheckpointJws, type CheckpointKind, type CheckpointSigner, type CheckpointStatement, type SignedCheckpoint } from './chain/checkpoint-statement';
import { verifyChains, type ChainCheckpoints, type VerifyOptions, type VerifyReport } from './chain/verify-chain';
import { defaultVerifyWorkers, parallelVerifier } from './chain/verify-workers';
import type { AuditStore, StoredCheckpoint } from './stores/audit-store';

/** What the stored checkpoints mean for verification, per chain. */
export interface CheckpointPlan {
  readonly chains: readonly string[];
  of(chain: string): ChainCheckpoints;
}

const NO_KEY = "the trail has signed checkpoints but no public key was given to check them (--key <gateway.public.jwk or JWKS>, or PACTUM_GATEWAY_PUBLIC_KEY_FILE)";

function matches(cp: StoredCheckpoint, s: CheckpointStatement): boolean {
  return s.chain === cp.chain && s.seq === cp.seq && s.hash === cp.hash && s.id === cp.id && s.kind === cp.kind && s.prunedThrough === cp.prunedThrough;
}

/** Checks every stored checkpoint's signature and turns them into per-chain expectations. */
export async function planCheckpoints(store: AuditStore, keys: readonly JWK[] | undefined): Promise<CheckpointPlan> {
  const all = await store.checkpoints();
  const byChain = new Map<string, StoredCheckpoint[]>();
  for (const cp of all) byChain.set(cp.chain, [...(byChain.get(cp.chain) ?? []), cp]);
  const plans = new Map<string, ChainCheckpoints>();
  for (const [chain, cps] of byChain) {
    let plan: ChainCheckpoints = { expectations: [] };
    const statements: { s: CheckpointStatement; kid: string }[] = [];
    for (const cp of cps) {
      const where = `signed ${cp.kind} checkpoint of record ${cp.seq} (${new Date(cp.signedAtMs).toISOString()})`;
      if (!keys || keys.length === 0) {
        plan = { expectations: [], badSignature: { seq: cp.seq, id: cp.id, detail: NO_KEY } };
        break;
      }
      const check = await verifyCheckpointJws(cp.jws, keys);
      if (!check.ok) {
        plan = { expectations: [], badSignature: { seq: cp.seq, id: cp.id, detail: `${where}: ${check.reason}` } };
        break;
      }
      if (!matches(cp, check.statement)) {
        plan = { expectations: [], badSignature: { seq: cp.seq, id: cp.id, detail: `${where}: the stored columns differ from what was signed` } };
        break;
      }
      statements.push({ s: check.statement, kid: check.kid });
    }
    if (!plan.badSignature && statements.length > 0) {
      const retention = statements.map((x) => x.s).filter((s) => s.kind === 'retention' && s.prunedThrough === s.seq).sort((a, b) => b.seq - a.seq)[0];
      const newest = [...statements].sort((a, b) => b.s.seq - a.s.seq)[0];
      plan = {
        ...(retention ? { start: { seq: retention.seq, hash: retention.hash, id: retention.id, ...(retention.prunedBefore ? { before: retention.prunedBefore } : {}) } } : {}),
        expectations: statements.map(({ s }) => ({ seq: s.seq, hash: s.hash, source: `the signed ${s.kind} checkpoint of ${s.at}` })),
        ...(newest ? { signedHead: { seq: newest.s.seq, at: newest.s.at, kind: newest.s.kind, kid: newest.kid } } : {}),
      };
    }
    plans.set(chain, plan);
  }
  return { chains: [...byChain.keys()], of: (chain) => plans.get(chain) ?? { expectations: [] } };
}

/** `verify` with the stored checkpoints taken into account. */
export async function verifyWithCheckpoints(store: AuditStore, options: VerifyOptions, keys: readonly JWK[] | undefined): Promise<VerifyReport> {
  const plan = await planCheckpoints(store, options.checkpointKeys ?? keys);
  const workers = options.workers ?? defaultVerifyWorkers();
  const parallel = workers > 1 ? parallelVerifier(store.reopen, workers, options.parallelMinRecords ?? 100_000) : undefined;
  return verifyChains(store, options, (chain) => plan.of(chain), plan.chains, parallel);
}

function toStored(signed: SignedCheckpoint): StoredCheckpoint {
  const s = signed.statement;
  return { chain: s.chain, seq: s.seq, hash: s.hash, id: s.id, kind: s.kind, prunedThrough: s.prunedThrough, signedAtMs: Date.parse(s.at), kid: signed.kid, jws: signed.jws };
}

/**
 * Signs and stores the current head of each chain in `chains` (all chains when undefined) that
 * has records. Resolves with what was signed.
 */
export async function signHeads(store: AuditStore, signer: CheckpointSigner, kind: CheckpointKind, now: Date, chains?: readonly string[]): Promise<SignedCheckpoint[]> {
  const out: SignedCheckpoint[] = [];
  for (const head of await store.heads()) {
    if (head.seq < 1 || (chains && !chains.includes(head.chain))) continue;
    const signed = await signer.sign({ v: 1, type: 'pactum.audit.checkpoint', chain: head.chain, seq: head.seq, hash: head.hash, id: head.id, at: now.toISOString(), kind, prunedThrough: 0 });
    await store.saveCheckpoint(toStored(signed));
    out.push(signed);
  }
  return out;
}

/** What retention did to one chain. */
export interface PruneResult {
  readonly chain: string;
  /** Records deleted now. */
  readonly deleted: number;
  /** The chain's records 1..throughSeq are gone (now or before). */
  readonly throughSeq: number;
  readonly checkpoint?: SignedCheckpoint;
}

/**
 * Deletes, in every chain, the records older than `cutoff`, leaving a signed retention
 * checkpoint of the last deleted record in the same transaction. A chain that does not verify
 * first is not touched: the call rejects naming it (`AuditUnavailableError('prune_refused')`),
 * since deleting records of a broken chain would destroy the evidence of what broke it.
 */
export async function pruneOlderThan(store: AuditStore, signer: CheckpointSigner, keys: readonly JWK[], cutoff: Date, now: Date): Promise<PruneResult[]> {
  const plan = await planCheckpoints(store, keys);
  const out: PruneResult[] = [];
  for (const chain of await store.chains()) {
    const already = plan.of(chain).start?.seq ?? 0;
    const through = await store.prunableThrough(chain, cutoff.getTime());
    if (through <= already) {
      out.push({ chain, deleted: 0, throughSeq: already });
      continue;
    }
    const report = await verifyChains(store, { chain }, (c) => plan.of(c), plan.chains);
    if (!report.ok) {
      throw new AuditUnavailableError('prune_refused', `retention: chain ${chain} does not verify (${report.firstBad?.problem} at seq ${report.firstBad?.seq}: ${report.firstBad?.detail}); nothing was pruned`);
    }
    const [last] = await store.readChain(chain, through - 1, 1);
    if (!last || last.seq !== through) throw new AuditUnavailableError('prune_refused', `retention: record ${through} of chain ${chain} is not there`);
    const signed = await signer.sign({
      v: 1, type: 'pactum.audit.checkpoint', chain, seq: through, hash: last.hash, id: last.id, at: now.toISOString(),
      kind: 'retention', prunedThrough: through, prunedBefore: cutoff.toISOString(),
    });
    const deleted = await store.prune(chain, through, toStored(signed));
    out.push({ chain, deleted, throughSeq: through, checkpoint: signed });
  }
  return out;
}
