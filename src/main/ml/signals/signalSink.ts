/**
 * Where a model-driven strategy's signals go: recorded when a closed bar is
 * scored (published as `signals.new`), then marked acted on and linked to the
 * orders they caused (published as `signals.updated`). Live trading records
 * them in the journal; a backtest keeps them with its result.
 */
import type { Signal } from '../../../shared/contract/signals';

/** A signal as the scorer makes it: the book gives it its id, its creation time, and its orders. */
export type NewSignal = Omit<Signal, 'id' | 'createdAt' | 'orderIds'>;

export interface SignalSink {
  /** Records a scored bar's signal; answers it as stored. */
  record(signal: NewSignal): Signal;
  /** The strategy acted on it (or decided not to): its note says why. */
  decide(signalId: string, acted: boolean, note: string): void;
  /** An order the signal caused. */
  linkOrder(signalId: string, orderId: string): void;
}
