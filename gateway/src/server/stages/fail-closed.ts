/**
 * Runs an enforcement or execution stage so that nothing unexpected escapes as a silent 500: a
 * refusal (`PactumError`) passes as it is; any other failure becomes an `InternalError` with a
 * stable reason, its cause kept for the log (the refusal path logs it with the request id).
 */
import { InternalError, PactumError } from '../../errors';

export async function failClosed<T>(reason: 'enforcement_failed' | 'execution_failed', stage: () => T | Promise<T>): Promise<T> {
  try {
    return await stage();
  } catch (error) {
    if (error instanceof PactumError) throw error;
    throw new InternalError(reason, 'the request failed inside the gateway; nothing was released', { cause: error });
  }
}
