/**
 * The signals' storage port: every signal with its decision and the orders
 * it caused, listed newest first. What a signal may say, when it is
 * published and how many are kept are the SignalBook's rules; a store only
 * keeps and answers. The same conformance suite runs against the memory
 * store and the journal's SQLite one.
 */
import { ZodError } from 'zod';
import { MAX_SIGNALS_LISTED, signalSchema, type ListSignalsParams, type Signal } from '../../../shared/contract/signals';
import { KeelError } from '../../../shared/errors';

/** How many signals a listing answers when it does not say. */
export const DEFAULT_SIGNALS_LISTED = 200;

/** A signal after a change was asked for; `changed` is false when it already was so (nothing written). */
export interface SignalChange {
  signal: Signal;
  changed: boolean;
}

export interface SignalStore {
  /** Saves a new signal with the orders it names (oldest first); its id must be new. */
  insert(signal: Signal): void;
  /** Records whether the strategy acted on it and why; undefined when there is no such signal. */
  setDecision(id: string, acted: boolean, note: string): SignalChange | undefined;
  /** Adds an order the signal caused, after those it has; linking it again changes nothing. Undefined when there is no such signal. */
  linkOrder(signalId: string, orderId: string): SignalChange | undefined;
  get(id: string): Signal | undefined;
  /** Newest bar first, then the one created later first; narrowed by every filter given, at most `limit` (default 200). */
  list(filter: ListSignalsParams): Signal[];
  count(): number;
  /** Deletes the oldest signals (by bar time, then creation) beyond the newest `keep`, with their order links; answers how many went. */
  prune(keep: number): number;
}

/** A signal as a store accepts it: checked against the contract, so nothing unlistable is ever kept. */
export function checkedSignal(signal: Signal): Signal {
  try {
    return signalSchema.parse(signal);
  } catch (error) {
    if (error instanceof ZodError) {
      const issue = error.issues[0];
      const where = issue && issue.path.length > 0 ? `${issue.path.map(String).join('.')} ` : '';
      throw new KeelError('VALIDATION_FAILED', `Invalid signal: ${where}${issue?.message ?? 'does not match the contract'}.`);
    }
    throw error;
  }
}

export function duplicateSignal(id: string): KeelError {
  return new KeelError('INVALID_STATE', `There is already a signal ${id}.`, { id });
}

/** The listing's size: the limit asked for (never above the contract's most), or the default. */
export function listLimit(filter: ListSignalsParams): number {
  return Math.max(1, Math.min(filter.limit ?? DEFAULT_SIGNALS_LISTED, MAX_SIGNALS_LISTED));
}
