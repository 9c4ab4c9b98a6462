/**
 * What the gateway hands the audit trail: one event per request, released or refused.
 * Keys and paths only — never the value of a field (data minimisation, Art. 25 LED).
 */

/**
 * What enforcement did, as the audit trail keeps it: the trail's own type (the gateway maps the
 * enforcement report onto it in one place), so the audit area imports nothing of the gateway's
 * request handling. Keys and paths only.
 */
export interface AuditEnforcement {
  readonly policyVersion: string;
  readonly fieldsRequested: readonly string[];
  readonly fieldDenials: readonly { readonly path: string; readonly coordinate: string; readonly reason: string }[];
  readonly rowDenials: readonly { readonly type: string; readonly key?: string; readonly owner: string; readonly path: string; readonly reason: string }[];
  readonly released: readonly { readonly type: string; readonly key: string; readonly owner: string }[];
  readonly grants: readonly { readonly agreement: string; readonly grant: string }[];
  readonly executedOperationHash?: string;
}

/**
 * A response that released personal data to a third-country (or international-organisation)
 * principal is a transfer under LED Chapter V: the record says so, with the terms it rested on,
 * for the documentation art. 37(3) and 38(3) require (`pactum audit transfers`). The justification,
 * case reference and released entity keys are the record's own; no value is ever kept.
 */
export interface AuditTransfer {
  /** The receiving authority (agency id). */
  readonly recipient: string;
  readonly country: string;
  /** Per agreement: a basis id of transfer-bases.yaml or `derogation:<ground>`, and the LED article. */
  readonly bases: readonly { readonly agreement: string; readonly terms: string; readonly article: string }[];
  /** Categories of personal data released (field groups). */
  readonly dataCategories: readonly string[];
  /** The onward-transfer condition the response carried. */
  readonly onwardTransfer: string;
}

/** How a request ended, from the audit's point of view. */
export type AuditOutcome = 'released' | 'partial' | 'denied' | 'refused' | 'error';

/** Every outcome, in a stable order (used by validation and statistics). */
export const AUDIT_OUTCOMES: readonly AuditOutcome[] = ['released', 'partial', 'denied', 'refused', 'error'];

/** One request, as the gateway reports it to the trail. */
export interface AuditEvent {
  /** Assigned at request start (see `newAuditId`); returned to the client as `extensions.auditId`. */
  readonly id: string;
  /** When the gateway received the request. */
  readonly time: Date;
  readonly requestId: string;
  readonly outcome: AuditOutcome;
  readonly httpStatus: number;
  /** Null when the request was not authenticated. */
  readonly principal: { readonly subject: string; readonly agency: string } | null;
  /** Null when no (acceptable) purpose was declared. */
  readonly purpose: { readonly code: string; readonly justification?: string; readonly caseRef?: string } | null;
  /** Operation name and hash of the client's document; `executedHash` of the rewritten one. */
  readonly operation: { readonly name: string | null; readonly hash: string | null; readonly executedHash?: string } | null;
  /** Why the request was refused (`UNAUTHENTICATED` / `token_expired`, `FORBIDDEN` / `PURPOSE_NOT_PERMITTED`, …). */
  readonly refusal?: { readonly code: string; readonly reason: string };
  /** What need-to-know enforcement requested, denied and released. */
  readonly enforcement?: AuditEnforcement;
  /** Present when personal data went to a third country (see {@link AuditTransfer}). */
  readonly transfer?: AuditTransfer;
  readonly policyVersion: string | null;
}

/** What `append` resolves with once the record is durable. */
export interface AuditReceipt {
  readonly id: string;
  /** The chain the record joined (one per gateway replica). */
  readonly chain: string;
  /** Position in that chain, from 1. */
  readonly seq: number;
  /** `sha256(prevHash || contentHash || seq)`, or for a sealed record `sha256(prevHash || contentHash || seal || seq)`, hex. */
  readonly hash: string;
}

/** A stored record: the event plus its place in the hash chain. */
export interface AuditRecord extends AuditReceipt {
  readonly prevHash: string;
  readonly contentHash: string;
  /** A sealed record's seal (layout 4, see docs/audit.md): what its stored parts hash to, chained into `hash`. */
  readonly seal?: string;
  readonly event: AuditEvent;
}
