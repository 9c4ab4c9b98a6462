/**
 * What need-to-know enforcement did for one request: asked, denied (with reasons), released
 * (by key, never by value), and under which policy and grants. The enforce stage returns it;
 * the audit record is mapped from it in one place (`server/audit-event.ts`).
 */
import type { GrantRef } from '../policy';

/** A field the principal asked for and did not get. */
export interface FieldDenial {
  /** Response path as a dotted string, e.g. `container.investigations` or `container.seizures.3.quantityKg`. */
  readonly path: string;
  /** Schema coordinate, e.g. `Container.investigations`. */
  readonly coordinate: string;
  /** Stable reason code (`NO_AGREEMENT`, `HANDLING_RESTRICTED`, …). */
  readonly reason: string;
}

/** A row withheld because its label failed the principal's conditions. Keys only, never values. */
export interface RowDenial {
  readonly type: string;
  /** Entity key as a string (`MSCU1234566`, `NL-POLICE/NL-ONB-2024-0456`), when the type has one. */
  readonly key?: string;
  readonly owner: string;
  readonly path: string;
  readonly reason: string;
}

/** An entity whose fields were released in the response. */
export interface ReleasedEntity {
  readonly type: string;
  readonly key: string;
  /** Owning agency id. */
  readonly owner: string;
}

/** What need-to-know enforcement did for one request. */
export interface EnforcementReport {
  readonly policyVersion: string;
  /** Schema coordinates the client asked for (`Container.number`, …), deduplicated. */
  readonly fieldsRequested: readonly string[];
  readonly fieldDenials: readonly FieldDenial[];
  readonly rowDenials: readonly RowDenial[];
  readonly released: readonly ReleasedEntity[];
  /** Agreements and grants that allowed something in this response, deduplicated. */
  readonly grants: readonly GrantRef[];
  /** Hash of the operation actually executed (the rewritten document). */
  readonly executedOperationHash?: string;
}
