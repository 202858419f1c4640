/**
 * The request journal: every API request a fake exchange received, in arrival order,
 * with its parameters (signature removed), the key that sent it, when it
 * arrived by the server clock, whether it was processed and how it ended, so
 * a test can assert the exact call sequence an adapter produced.
 */
import type { FaultAction, RouteMatcher } from './faults';
import { matches } from './faults';

export type Outcome =
  /** Still being handled (a delay, a hang). */
  | 'pending'
  | 'ok'
  /** Answered with the exchange's error (business or auth), injected or real. */
  | 'error'
  /** Socket destroyed before processing. */
  | 'reset'
  /** Never answered. */
  | 'hang'
  /** Processed, then the socket was destroyed before the answer. */
  | 'lost';

export interface JournalEntry {
  seq: number;
  method: string;
  path: string;
  params: Record<string, string>;
  apiKey: string | undefined;
  /** Arrival by the server clock (skew included). */
  time: number;
  outcome: Outcome;
  status: number | undefined;
  /** The exchange's error code when the answer was one (Binance's -2019, Bybit's 110007). */
  code: number | undefined;
  fault: FaultAction['type'] | undefined;
  /** Whether the request reached the exchange's logic (an order placed, a cancel done). */
  processed: boolean;
}

export class RequestJournal {
  private readonly list: JournalEntry[] = [];
  private nextSeq = 1;

  /** Binance signs in a `signature` parameter, which is left out; Bybit signs in a header, never recorded. */
  record(method: string, path: string, params: Record<string, string>, apiKey: string | undefined, time: number): JournalEntry {
    const { signature: _signature, ...rest } = params;
    const entry: JournalEntry = {
      seq: this.nextSeq++,
      method,
      path,
      params: rest,
      apiKey,
      time,
      outcome: 'pending',
      status: undefined,
      code: undefined,
      fault: undefined,
      processed: false,
    };
    this.list.push(entry);
    return entry;
  }

  /** All entries, or those matching a route ("POST /fapi/v1/order", a path, or a RegExp). */
  entries(match?: RouteMatcher): JournalEntry[] {
    return this.list.filter((e) => match === undefined || matches(match, e.method, e.path)).map((e) => ({ ...e, params: { ...e.params } }));
  }

  /** "METHOD /path" of each request in order, optionally only those after `afterSeq`. */
  calls(afterSeq = 0): string[] {
    return this.list.filter((e) => e.seq > afterSeq).map((e) => `${e.method} ${e.path}`);
  }

  /** The sequence number of the latest request (0 when none), to mark a point in a test. */
  mark(): number {
    return this.list[this.list.length - 1]?.seq ?? 0;
  }

  last(match?: RouteMatcher): JournalEntry | undefined {
    const found = this.entries(match);
    return found[found.length - 1];
  }

  clear(): void {
    this.list.length = 0;
  }
}
