/**
 * What a compliance officer can ask the trail: filters for `query` and `stats`.
 */
import { BadUserInputError } from '../errors';
import { AUDIT_OUTCOMES, type AuditOutcome } from './audit-event';

/** Filters for `AuditTrail.query`; all given conditions must hold. */
export interface AuditFilter {
  /** One record by its audit id. */
  readonly id?: string;
  readonly agency?: string;
  readonly subject?: string;
  /** Purpose code. */
  readonly purpose?: string;
  readonly caseRef?: string;
  /** Only records that released this entity (`{ type: 'Container', key: 'MSCU1234566' }`). */
  readonly entity?: { readonly type: string; readonly key: string };
  /** Inclusive lower bound on the request time. */
  readonly since?: Date;
  /** Exclusive upper bound on the request time. */
  readonly until?: Date;
  /** Only requests where something was denied or the request was refused. */
  readonly deniedOnly?: boolean;
  readonly outcome?: AuditOutcome;
  /** At most this many records (default: all). */
  readonly limit?: number;
}

/** Filters for `AuditTrail.stats`. */
export type AuditStatsFilter = Pick<AuditFilter, 'since' | 'until' | 'agency' | 'purpose'>;

/** Counts for one agency (null: unauthenticated requests). */
export interface AgencyStats {
  readonly agency: string | null;
  readonly requests: number;
  readonly released: number;
  readonly partial: number;
  readonly denied: number;
  readonly refused: number;
  readonly errors: number;
  /** Released entities, counted once per record. */
  readonly entitiesReleased: number;
  readonly fieldDenials: number;
  readonly rowDenials: number;
}

/** Denials of one kind and reason for one agency. */
export interface DenialStats {
  readonly agency: string | null;
  readonly kind: 'field' | 'row' | 'refusal';
  readonly reason: string;
  readonly count: number;
}

/** What `AuditTrail.stats` reports over a period. */
export interface AuditStats {
  readonly since: Date | null;
  readonly until: Date | null;
  readonly requests: number;
  readonly byAgency: readonly AgencyStats[];
  readonly denials: readonly DenialStats[];
}

/** Checks a filter built in code or from the command line; throws `BadUserInputError` naming the bad option. */
export function checkFilter(filter: AuditFilter): AuditFilter {
  const texts = ['id', 'agency', 'subject', 'purpose', 'caseRef'] as const;
  for (const k of texts) {
    const v = filter[k];
    if (v !== undefined && (typeof v !== 'string' || v.length === 0)) {
      throw new BadUserInputError('invalid_filter', `audit filter ${k} must be a non-empty string`);
    }
  }
  for (const k of ['since', 'until'] as const) {
    const v = filter[k];
    if (v !== undefined && (!(v instanceof Date) || Number.isNaN(v.getTime()))) {
      throw new BadUserInputError('invalid_filter', `audit filter ${k} must be a valid date`);
    }
  }
  if (filter.since && filter.until && filter.since.getTime() >= filter.until.getTime()) {
    throw new BadUserInputError('invalid_filter', 'audit filter since must be before until');
  }
  if (filter.entity !== undefined) {
    const { type, key } = filter.entity;
    if (typeof type !== 'string' || type.length === 0 || typeof key !== 'string' || key.length === 0) {
      throw new BadUserInputError('invalid_filter', 'audit filter entity needs a type and a key');
    }
  }
  if (filter.outcome !== undefined && !AUDIT_OUTCOMES.includes(filter.outcome)) {
    throw new BadUserInputError('invalid_filter', `audit filter outcome must be one of ${AUDIT_OUTCOMES.join(', ')}`);
  }
  if (filter.limit !== undefined && (!Number.isInteger(filter.limit) || filter.limit < 1)) {
    throw new BadUserInputError('invalid_filter', 'audit filter limit must be a positive integer');
  }
  return filter;
}
