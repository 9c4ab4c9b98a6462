/**
 * The one per-request context every gateway stage shares. Stages read it and each writes
 * only its own part (authentication fills the identity, enforcement its report); none
 * reaches into another stage's internals.
 */
import type { DeclaredPurpose, Principal } from './auth/principal';

/** Names the agreement and grant that allowed a release. */
export interface GrantRef {
  readonly agreement: string;
  readonly grant: string;
}

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

/** What need-to-know enforcement did for one request; the audit record is built from it. */
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

/** The per-request context, available to Apollo plugins/executors as `contextValue.pactum`. */
export interface PactumRequestContext {
  readonly requestId: string;
  /** Id of this request's audit record, assigned up front so the response can carry it. */
  readonly auditId: string;
  readonly receivedAt: Date;
  readonly principal: Principal;
  readonly purpose: DeclaredPurpose;
  /** Written once by the enforcement stage. */
  enforcement?: EnforcementReport;
  /** Written once the operation is resolved: its name and the hash of the client's document. */
  operation?: { readonly name: string | null; readonly hash: string };
  /** Written as the response is sent: whether it carries data and which error codes. */
  result?: { readonly hasData: boolean; readonly errorCodes: readonly string[] };
}

/** The Apollo Server context value of the gateway. */
export interface GatewayContextValue {
  readonly pactum: PactumRequestContext;
}
