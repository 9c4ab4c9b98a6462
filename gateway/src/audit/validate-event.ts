/**
 * Run-time check of what the gateway hands `append`. A malformed event is a bug in the
 * caller, but the rule is the same as for a store that is down: no audit, no data. The
 * event is refused with `AuditUnavailableError` (`invalid_event`) naming the bad path.
 */
import { AuditUnavailableError } from '../errors';
import { AUDIT_OUTCOMES, type AuditEvent } from './audit-event';

/** Audit ids: 1–64 characters of `[A-Za-z0-9_-]` (ULID-like ids from `newAuditId` fit). */
export const AUDIT_ID_PATTERN = /^[A-Za-z0-9_-]{1,64}$/;

/** Longest free text kept (justification); longer text is refused, never cut. */
const MAX_TEXT = 4000;
const MAX_LIST = 100_000;

type Obj = Record<string, unknown>;

/** The default longest string field (characters). */
const MAX_FIELD = 512;

class Checker {
  constructor(private readonly root: string) {}

  fail(path: string, problem: string): never {
    throw new AuditUnavailableError('invalid_event', `audit event ${this.root}: ${path} ${problem}`);
  }

  obj(value: unknown, path: string): Obj {
    if (typeof value !== 'object' || value === null || Array.isArray(value)) this.fail(path, 'must be an object');
    return value as Obj;
  }

  str(value: unknown, path: string, max = MAX_FIELD): string {
    if (typeof value !== 'string' || value.length === 0) this.fail(path, 'must be a non-empty string');
    if (value.length > max) this.fail(path, `must be at most ${max} characters`);
    // PostgreSQL's text cannot hold NUL: refused here, for this event alone and on both stores,
    // rather than failing the whole group-commit batch it would have been written in.
    if (value.includes('\u0000')) this.fail(path, 'must not contain NUL');
    return value;
  }

  optStr(value: unknown, path: string, max = MAX_FIELD): void {
    if (value !== undefined) this.str(value, path, max);
  }

  strOrNull(value: unknown, path: string): void {
    if (value !== null) this.str(value, path);
  }

  list(value: unknown, path: string): unknown[] {
    if (!Array.isArray(value)) this.fail(path, 'must be an array');
    if (value.length > MAX_LIST) this.fail(path, `must have at most ${MAX_LIST} items`);
    return value;
  }
}

/** Returns `value` as an `AuditEvent` or throws `AuditUnavailableError('invalid_event')`. */
export function validateAuditEvent(value: unknown): AuditEvent {
  const idText = typeof value === 'object' && value !== null && typeof (value as Obj).id === 'string' ? String((value as Obj).id) : '?';
  const c = new Checker(idText.slice(0, 64));
  const e = c.obj(value, 'event');
  if (typeof e.id !== 'string' || !AUDIT_ID_PATTERN.test(e.id)) c.fail('id', 'must match [A-Za-z0-9_-]{1,64}');
  if (!(e.time instanceof Date) || Number.isNaN(e.time.getTime())) c.fail('time', 'must be a valid Date');
  c.str(e.requestId, 'requestId');
  if (typeof e.outcome !== 'string' || !(AUDIT_OUTCOMES as readonly string[]).includes(e.outcome)) {
    c.fail('outcome', `must be one of ${AUDIT_OUTCOMES.join(', ')}`);
  }
  if (typeof e.httpStatus !== 'number' || !Number.isInteger(e.httpStatus) || e.httpStatus < 100 || e.httpStatus > 599) {
    c.fail('httpStatus', 'must be an HTTP status code');
  }
  if (e.principal !== null) {
    const p = c.obj(e.principal, 'principal');
    c.str(p.subject, 'principal.subject');
    c.str(p.agency, 'principal.agency');
  }
  if (e.purpose !== null) {
    const p = c.obj(e.purpose, 'purpose');
    c.str(p.code, 'purpose.code');
    c.optStr(p.justification, 'purpose.justification', MAX_TEXT);
    c.optStr(p.caseRef, 'purpose.caseRef');
  }
  if (e.operation !== null) {
    const o = c.obj(e.operation, 'operation');
    c.strOrNull(o.name, 'operation.name');
    c.strOrNull(o.hash, 'operation.hash');
    c.optStr(o.executedHash, 'operation.executedHash');
  }
  if (e.refusal !== undefined) {
    const r = c.obj(e.refusal, 'refusal');
    c.str(r.code, 'refusal.code');
    c.str(r.reason, 'refusal.reason');
  }
  if (e.policyVersion !== null) c.str(e.policyVersion, 'policyVersion');
  if (e.enforcement !== undefined) checkEnforcement(c, c.obj(e.enforcement, 'enforcement'));
  if (e.transfer !== undefined) checkTransfer(c, c.obj(e.transfer, 'transfer'));
  return value as AuditEvent;
}

function checkTransfer(c: Checker, t: Obj): void {
  c.str(t.recipient, 'transfer.recipient');
  c.str(t.country, 'transfer.country', 8);
  c.str(t.onwardTransfer, 'transfer.onwardTransfer', MAX_TEXT);
  c.list(t.bases, 'transfer.bases').forEach((b, i) => {
    const o = c.obj(b, `transfer.bases[${i}]`);
    for (const k of ['agreement', 'terms', 'article']) c.str(o[k], `transfer.bases[${i}].${k}`);
  });
  if (c.list(t.bases, 'transfer.bases').length === 0) c.fail('transfer.bases', 'must name at least one basis');
  c.list(t.dataCategories, 'transfer.dataCategories').forEach((d, i) => c.str(d, `transfer.dataCategories[${i}]`));
}

const ENTITY_FIELDS = ['type', 'key', 'owner'] as const;

/** What `Checker.obj` and `Checker.str` (default limit) accept for a released entity, checked without a path. */
function isPlainEntity(d: unknown): boolean {
  if (typeof d !== 'object' || d === null || Array.isArray(d)) return false;
  for (const k of ENTITY_FIELDS) {
    const v = (d as Obj)[k];
    if (typeof v !== 'string' || v.length === 0 || v.length > MAX_FIELD || v.includes('\u0000')) return false;
  }
  return true;
}

function checkEnforcement(c: Checker, en: Obj): void {
  c.str(en.policyVersion, 'enforcement.policyVersion');
  c.optStr(en.executedOperationHash, 'enforcement.executedOperationHash');
  c.list(en.fieldsRequested, 'enforcement.fieldsRequested').forEach((f, i) => c.str(f, `enforcement.fieldsRequested[${i}]`));
  c.list(en.fieldDenials, 'enforcement.fieldDenials').forEach((d, i) => {
    const o = c.obj(d, `enforcement.fieldDenials[${i}]`);
    for (const k of ['path', 'coordinate', 'reason']) c.str(o[k], `enforcement.fieldDenials[${i}].${k}`, 2048);
  });
  c.list(en.rowDenials, 'enforcement.rowDenials').forEach((d, i) => {
    const o = c.obj(d, `enforcement.rowDenials[${i}]`);
    for (const k of ['type', 'owner', 'path', 'reason']) c.str(o[k], `enforcement.rowDenials[${i}].${k}`, 2048);
    c.optStr(o.key, `enforcement.rowDenials[${i}].key`);
  });
  // Thousands of entries on a large list: each is checked without building its path, which is
  // made (by the same checks) only for an entry that fails.
  c.list(en.released, 'enforcement.released').forEach((d, i) => {
    if (isPlainEntity(d)) return;
    const o = c.obj(d, `enforcement.released[${i}]`);
    for (const k of ENTITY_FIELDS) c.str(o[k], `enforcement.released[${i}].${k}`);
  });
  c.list(en.grants, 'enforcement.grants').forEach((d, i) => {
    const o = c.obj(d, `enforcement.grants[${i}]`);
    for (const k of ['agreement', 'grant']) c.str(o[k], `enforcement.grants[${i}].${k}`);
  });
}
