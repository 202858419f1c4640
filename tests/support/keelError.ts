/**
 * The KeelError a call throws, for tests that then look at its code, message
 * and data. The test fails when the call throws nothing, or anything other
 * than a KeelError (which is thrown on, so its own stack shows).
 */
import { KeelError } from '../../src/shared/errors';

export function keelErrorOf(call: () => unknown): KeelError {
  try {
    call();
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error('expected a KeelError, but nothing was thrown');
}

/** The KeelError a promise rejects with; fails the same way when it resolves or rejects with anything else. */
export async function keelRejectionOf(promise: Promise<unknown>): Promise<KeelError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KeelError) return error;
    throw error;
  }
  throw new Error('expected a rejection with a KeelError, but the promise resolved');
}
