/**
 * The transfer rules (LED Chapter V, docs/transfers.md) restated for the oracle from the policy
 * files alone — its own YAML reading, its own idea of who is a third country — sharing no code with
 * the gateway's engine or enforcement. Checked on what the gateway actually released (the entities
 * its audit record names, with the labels the bare gateway read for them):
 *
 * 1. a row another agency provided (label `origin`) reaches a third-country principal only if an
 *    authorisation of that agency (`authorisesTransfer`) covers the principal, the purpose, the
 *    date and the row's owner;
 * 2. a row whose owner shares with the principal only under derogations reaches it only for a
 *    request naming a case with a justification, and only when the row belongs to that case;
 * 3. an answer releasing anything to a third-country principal carries `extensions.transfer` for
 *    that recipient; an answer to anyone else carries none.
 */
import fs from 'node:fs';
import path from 'node:path';
import { parse } from 'yaml';
import { LABEL_KEY, TYPENAME_KEY, keyKey } from './augment-operation';
import type { OraclePrincipal } from './principal-arbitrary';

/** EU Member States and Schengen-associated states, as the oracle knows them. */
const INSIDE = new Set('AT BE BG HR CY CZ DK EE FI FR DE GR EL HU IE IT LV LT LU MT NL PL PT RO SK SI ES SE IS LI NO CH EU'.split(' '));

interface AgreementYaml {
  id: string;
  provider: string;
  recipients: string[];
  purposes: string[];
  validity: { from: string; to?: string };
  transfers?: Record<string, { basis?: string; derogation?: string }>;
  authorisesTransfer?: { of: string[] };
}

interface Label {
  owner: string;
  caseRefs: string[];
  origin?: string | null;
}

export interface TransferRules {
  /** Problems with what the gateway released to `p` at `at` (empty when the rules hold). */
  check(p: OraclePrincipal, at: Date, full: Record<string, unknown>, audited: ReadonlySet<string> | undefined, extensions: Record<string, unknown> | undefined): string[];
}

const inForce = (a: AgreementYaml, at: Date): boolean => {
  const from = Date.parse(`${a.validity.from}T00:00:00Z`);
  const to = a.validity.to === undefined ? Infinity : Date.parse(`${a.validity.to}T00:00:00Z`) + 86_400_000;
  return at.getTime() >= from && at.getTime() < to;
};

/** `Type:key` → label of every labelled entity in the bare gateway's full answer. */
function labelsOf(full: unknown, out = new Map<string, Label>()): Map<string, Label> {
  if (Array.isArray(full)) {
    for (const x of full) labelsOf(x, out);
    return out;
  }
  if (typeof full !== 'object' || full === null) return out;
  const o = full as Record<string, unknown>;
  const label = o[LABEL_KEY] as Label | null | undefined;
  const type = o[TYPENAME_KEY];
  if (label && typeof type === 'string') {
    // Key fields in the order augmentOperation added them (the entity's @key order), as the audit joins them.
    const ordered = Object.keys(o).filter((k) => k.startsWith(keyKey('')));
    if (ordered.length > 0) out.set(`${type}:${ordered.map((k) => String(o[k])).join('/')}`, label);
  }
  for (const [k, v] of Object.entries(o)) if (!k.startsWith(LABEL_KEY)) labelsOf(v, out);
  return out;
}

/** Reads the rules from a policy folder. */
export function loadTransferRules(policyDir: string): TransferRules {
  const registry = parse(fs.readFileSync(path.join(policyDir, 'agencies.yaml'), 'utf8')) as { agencies: { id: string; country: string; standing?: string }[] };
  const thirdCountry = new Map<string, string>();
  for (const a of registry.agencies) {
    const outside = a.standing ? a.standing === 'third-country' || a.standing === 'international-organisation' : !INSIDE.has(a.country);
    if (outside) thirdCountry.set(a.id, a.country);
  }
  const dir = path.join(policyDir, 'agreements');
  const agreements = fs.readdirSync(dir).filter((f) => f.endsWith('.yaml')).map((f) => parse(fs.readFileSync(path.join(dir, f), 'utf8')) as AgreementYaml);

  return {
    check(p, at, full, audited, extensions) {
      const problems: string[] = [];
      const transfer = extensions?.transfer as { recipient?: unknown } | undefined;
      const released = audited ?? new Set<string>();
      if (!thirdCountry.has(p.agency)) {
        if (transfer !== undefined) problems.push(`transfers: an answer to ${p.agency}, inside the Union, carries extensions.transfer`);
        return problems;
      }
      const labels = labelsOf(full);
      // An agency reading rows it owns itself transfers nothing (an international organisation's own subgraph, MAOC-N's).
      const foreign = [...released].filter((e) => labels.get(e)?.owner !== p.agency);
      if (foreign.length > 0 && transfer?.recipient !== p.agency) problems.push(`transfers: an answer releasing ${foreign[0]} to ${p.agency} carries no extensions.transfer for it`);
      const named = p.caseRef;
      for (const entity of released) {
        const label = labels.get(entity);
        if (!label) continue; // an unlabelled entity: no row rule applies
        const origin = label.origin ?? null;
        if (origin !== null && origin !== label.owner && origin !== p.agency) {
          const ok = agreements.some((a) => a.authorisesTransfer && a.provider === origin && a.authorisesTransfer.of.includes(label.owner)
            && a.recipients.includes(p.agency) && a.purposes.includes(p.purpose) && inForce(a, at));
          if (!ok) problems.push(`transfers: ${entity} was provided by ${origin}, which authorised no transfer to ${p.agency}, and was released (art. 35(1)(c))`);
        }
        if (label.owner === p.agency) continue;
        const terms = agreements
          .filter((a) => a.provider === label.owner && a.recipients.includes(p.agency) && a.purposes.includes(p.purpose) && inForce(a, at))
          .map((a) => a.transfers?.[p.agency]);
        if (terms.length > 0 && terms.every((t) => t?.derogation !== undefined)) {
          if (named === undefined) problems.push(`transfers: ${entity} went to ${p.agency} under a derogation only, for a request naming no case (art. 38)`);
          else if (!label.caseRefs.includes(named)) problems.push(`transfers: ${entity} went to ${p.agency} under a derogation for case ${named}, but is not part of it (art. 38)`);
        }
      }
      return problems;
    },
  };
}
