import type { Caller } from './types';

/** Thrown when `authenticate` returns something that is not a complete Caller. */
class CallerInvalidError extends Error {
  readonly reason = 'caller_invalid';
}

/**
 * Checks what the `authenticate` hook returned: a hook bug must refuse the request,
 * never let it through with a half-filled caller.
 */
export function checkCaller(value: unknown): Caller {
  if (typeof value !== 'object' || value === null) throw new CallerInvalidError('authenticate returned no caller');
  const c = value as Record<string, unknown>;
  for (const field of ['subject', 'agency', 'purpose'] as const) {
    if (typeof c[field] !== 'string' || c[field] === '') throw new CallerInvalidError(`authenticated caller has no ${field}`);
  }
  for (const field of ['caseRef', 'requestId'] as const) {
    if (c[field] !== undefined && (typeof c[field] !== 'string' || c[field] === '')) throw new CallerInvalidError(`authenticated caller has an invalid ${field}`);
  }
  return {
    subject: c['subject'] as string,
    agency: c['agency'] as string,
    purpose: c['purpose'] as string,
    ...(typeof c['caseRef'] === 'string' ? { caseRef: c['caseRef'] } : {}),
    ...(typeof c['requestId'] === 'string' ? { requestId: c['requestId'] } : {}),
  };
}
