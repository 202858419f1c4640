/** Signals kept in memory (tests, backtests): the same behaviour as the SQLite store, with private copies. */
import type { ListSignalsParams, Signal } from '../../../shared/contract/signals';
import { checkedSignal, duplicateSignal, listLimit, type SignalChange, type SignalStore } from './signalStore';

interface Entry {
  /** Order of insertion: the last tie-break, as the SQLite store's row number. */
  seq: number;
  signal: Signal;
}

/** Newest bar first, then created later, then inserted later. */
function newestFirst(a: Entry, b: Entry): number {
  return b.signal.time - a.signal.time || b.signal.createdAt - a.signal.createdAt || b.seq - a.seq;
}

function copy(signal: Signal): Signal {
  return structuredClone(signal);
}

function matches(s: Signal, f: ListSignalsParams): boolean {
  return (
    (f.strategyId === undefined || s.strategyId === f.strategyId) &&
    (f.venue === undefined || s.venue === f.venue) &&
    (f.symbol === undefined || s.symbol === f.symbol) &&
    (f.modelId === undefined || s.modelId === f.modelId) &&
    (f.orderId === undefined || s.orderIds.includes(f.orderId)) &&
    (f.before === undefined || s.time < f.before)
  );
}

export class MemorySignalStore implements SignalStore {
  private readonly entries = new Map<string, Entry>();
  private seq = 0;

  insert(signal: Signal): void {
    const checked = checkedSignal(signal);
    if (this.entries.has(checked.id)) throw duplicateSignal(checked.id);
    // An order named twice is linked once, as linkOrder would.
    this.entries.set(checked.id, { seq: ++this.seq, signal: { ...copy(checked), orderIds: [...new Set(checked.orderIds)] } });
  }

  setDecision(id: string, acted: boolean, note: string): SignalChange | undefined {
    const entry = this.entries.get(id);
    if (!entry) return undefined;
    if (entry.signal.acted === acted && entry.signal.note === note) return { signal: copy(entry.signal), changed: false };
    entry.signal = checkedSignal({ ...entry.signal, acted, note });
    return { signal: copy(entry.signal), changed: true };
  }

  linkOrder(signalId: string, orderId: string): SignalChange | undefined {
    const entry = this.entries.get(signalId);
    if (!entry) return undefined;
    if (entry.signal.orderIds.includes(orderId)) return { signal: copy(entry.signal), changed: false };
    entry.signal = checkedSignal({ ...entry.signal, orderIds: [...entry.signal.orderIds, orderId] });
    return { signal: copy(entry.signal), changed: true };
  }

  get(id: string): Signal | undefined {
    const entry = this.entries.get(id);
    return entry ? copy(entry.signal) : undefined;
  }

  list(filter: ListSignalsParams): Signal[] {
    return [...this.entries.values()]
      .filter((e) => matches(e.signal, filter))
      .sort(newestFirst)
      .slice(0, listLimit(filter))
      .map((e) => copy(e.signal));
  }

  count(): number {
    return this.entries.size;
  }

  prune(keep: number): number {
    const drop = [...this.entries.values()].sort(newestFirst).slice(Math.max(0, keep));
    for (const e of drop) this.entries.delete(e.signal.id);
    return drop.length;
  }
}
