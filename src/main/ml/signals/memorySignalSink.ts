/**
 * Signals kept in memory: a backtest's (handed back with its result), and
 * the sink of any run that keeps no journal of them. Ids are sequential,
 * so the same run records the same signals. Each change can be told to a
 * listener (`signals.new` when recorded, `signals.updated` when decided or
 * linked to an order); past `keep` signals the oldest are let go.
 */
import type { Signal } from '../../../shared/contract/signals';
import type { NewSignal, SignalSink } from './signalSink';

export type SignalChange = 'signals.new' | 'signals.updated';

export interface MemorySignalSinkOptions {
  /** Creation time of a signal; default the time of the bar it scored (a backtest's signals are made as its bars close). */
  now?: () => number;
  /** Most signals kept, the newest; default all. */
  keep?: number;
  /** Told of every change, with the signal as it now is. */
  onChange?: (topic: SignalChange, signal: Signal) => void;
  /** Prefix of sequential ids (default "sig"); unused when `newId` is given. */
  idPrefix?: string;
  /** Ids unique beyond this run (live); default sequential. */
  newId?: () => string;
}

export class MemorySignalSink implements SignalSink {
  private readonly signals = new Map<string, Signal>();
  private seq = 0;

  constructor(private readonly options: MemorySignalSinkOptions) {}

  record(signal: NewSignal): Signal {
    this.seq += 1;
    const stored: Signal = { ...signal, probabilities: signal.probabilities && { ...signal.probabilities }, id: this.options.newId?.() ?? `${this.options.idPrefix ?? 'sig'}-${this.seq}`, createdAt: this.options.now?.() ?? signal.time, orderIds: [] };
    this.signals.set(stored.id, stored);
    const keep = this.options.keep;
    if (keep !== undefined && this.signals.size > keep) this.signals.delete(this.signals.keys().next().value!);
    this.tell('signals.new', stored);
    return { ...stored, orderIds: [] };
  }

  decide(signalId: string, acted: boolean, note: string): void {
    const signal = this.signals.get(signalId);
    if (!signal) return;
    signal.acted = acted;
    signal.note = note;
    this.tell('signals.updated', signal);
  }

  linkOrder(signalId: string, orderId: string): void {
    const signal = this.signals.get(signalId);
    if (!signal || signal.orderIds.includes(orderId)) return;
    signal.orderIds.push(orderId);
    this.tell('signals.updated', signal);
  }

  /** Every signal kept, oldest first (copies). */
  list(): Signal[] {
    return [...this.signals.values()].map(copy);
  }

  /** Signals recorded so far, including any no longer kept. */
  get recorded(): number {
    return this.seq;
  }

  get(signalId: string): Signal | undefined {
    const signal = this.signals.get(signalId);
    return signal && copy(signal);
  }

  private tell(topic: SignalChange, signal: Signal): void {
    this.options.onChange?.(topic, copy(signal));
  }
}

function copy(signal: Signal): Signal {
  return { ...signal, probabilities: signal.probabilities && { ...signal.probabilities }, orderIds: [...signal.orderIds] };
}
