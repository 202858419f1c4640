/**
 * The book of signals a model-driven strategy records through its
 * SignalSink: each signal gets its id and creation time here, is kept in a
 * SignalStore and published as `signals.new`; a decision or an order that
 * changes it is kept and published as `signals.updated` (one that changes
 * nothing publishes nothing). It also answers `signals.list`.
 *
 * The journal stays bounded: past `maxKept` signals, the oldest bars are
 * dropped down to 1% under it, so pruning is a batch every few thousand
 * signals rather than a delete per signal.
 */
import { orderIdSchema } from '../../../shared/contract/orders';
import type { ListSignalsParams, Signal } from '../../../shared/contract/signals';
import { KeelError } from '../../../shared/errors';
import type { NewSignal, SignalSink } from './signalSink';
import { checkedSignal, type SignalChange, type SignalStore } from './signalStore';

/** Signals kept in the journal: years of a few strategies on minute bars, a few hundred MB at most. */
export const MAX_KEPT_SIGNALS = 200_000;

export type SignalTopic = 'signals.new' | 'signals.updated';

export interface SignalBookOptions {
  store: SignalStore;
  publish: (topic: SignalTopic, signal: Signal) => void;
  now: () => number;
  newId: () => string;
  /** Most signals kept; the oldest bars go first beyond it. Default MAX_KEPT_SIGNALS. */
  maxKept?: number;
}

export class SignalBook implements SignalSink {
  private readonly store: SignalStore;
  private readonly maxKept: number;
  /** What the store holds: this book is its only writer, so it is counted once and then followed. */
  private kept: number;

  constructor(private readonly options: SignalBookOptions) {
    const maxKept = options.maxKept ?? MAX_KEPT_SIGNALS;
    if (!Number.isInteger(maxKept) || maxKept < 1) throw new Error(`maxKept must be a positive whole number, not ${maxKept}`);
    this.store = options.store;
    this.maxKept = maxKept;
    this.kept = this.store.count();
    this.pruneIfFull();
  }

  record(signal: NewSignal): Signal {
    // Whatever the scorer passed for id, creation time or orders, the book's own win.
    const stored = checkedSignal({ ...signal, id: this.options.newId(), createdAt: this.options.now(), orderIds: [] });
    this.store.insert(stored);
    this.kept += 1;
    this.pruneIfFull();
    this.options.publish('signals.new', stored);
    return stored;
  }

  decide(signalId: string, acted: boolean, note: string): void {
    if (typeof acted !== 'boolean' || typeof note !== 'string') {
      throw new KeelError('VALIDATION_FAILED', 'A decision on a signal is whether it was acted on (true or false) and a note saying why.');
    }
    this.published(signalId, this.store.setDecision(signalId, acted, note));
  }

  linkOrder(signalId: string, orderId: string): void {
    if (!orderIdSchema.safeParse(orderId).success) {
      throw new KeelError('VALIDATION_FAILED', `An order id is 1 to 64 characters, not ${JSON.stringify(orderId)?.slice(0, 80) ?? String(orderId)}.`);
    }
    this.published(signalId, this.store.linkOrder(signalId, orderId));
  }

  list(filter: ListSignalsParams = {}): Signal[] {
    return this.store.list(filter);
  }

  get(id: string): Signal | undefined {
    return this.store.get(id);
  }

  private published(signalId: string, change: SignalChange | undefined): void {
    if (!change) throw new KeelError('NOT_FOUND', `There is no signal ${String(signalId).slice(0, 80)}.`, { id: signalId });
    if (change.changed) this.options.publish('signals.updated', change.signal);
  }

  private pruneIfFull(): void {
    if (this.kept <= this.maxKept) return;
    const keep = Math.max(1, this.maxKept - Math.max(1, Math.floor(this.maxKept / 100)));
    this.kept -= this.store.prune(keep);
  }
}
