/**
 * What the analytics need from the rest of Keel, as ports: the journal's
 * fills, orders and instruments plus the trade journal's own rows (SQLite in
 * the app), the books and marks of the venues now, candles, and two seams
 * for data other parts of Keel provide: funding payments and the signals
 * that caused orders. Without a provider, funding is zero and no round trip
 * names a model: nothing is made up.
 */
import type { Dec } from '../../shared/decimal';
import type { Fill, Instrument, Order, Timeframe } from '../../shared/domain';
import type { RegimeLabelName } from '../../shared/contract/ml';
import type { Bar } from '../core/candles';

export interface TradeAnnotation {
  note: string;
  tags: string[];
  updatedAt: number;
}

/** A fill and its place in the journal's order of recording. */
export interface RecordedFill {
  row: number;
  fill: Fill;
}

export interface TradeJournalStore {
  /** Fills recorded after `row` (0: from the first), in recording order, at most `limit`. */
  fillsAfter(row: number, limit: number): RecordedFill[];
  order(orderId: string): Order | undefined;
  /** Reduce-only stop and stop-limit orders on an instrument created in [from, to], oldest first. */
  protectiveStops(venue: string, symbol: string, from: number, to: number): Order[];
  /** The instrument as last listed by its venue (kept after the venue is gone). */
  instrument(venue: string, symbol: string): Instrument | undefined;
  annotations(): Map<string, TradeAnnotation>;
  saveAnnotation(tradeId: string, annotation: TradeAnnotation): void;
  regimes(): Map<string, RegimeLabelName>;
  saveRegime(tradeId: string, timeframe: Timeframe, regime: RegimeLabelName): void;
}

/** The venues' books and market data now. */
export interface AccountPort {
  /** Venues Keel keeps books for (running or not). */
  venues(): string[];
  /** A venue's cash balance and settlement currency; undefined for a venue with no books. */
  balance(venue: string): { currency: string; balance: Dec } | undefined;
  /** The current mark; null when the venue is not running. */
  currentMark(venue: string, symbol: string): Dec | null;
  /** The venue's stored candles, newest last; rejects when the venue cannot give them. */
  candles(venue: string, symbol: string, timeframe: Timeframe, limit: number): Promise<Bar[]>;
}

/** A funding payment on a perpetual position, as it moved the balance (negative when paid). */
export interface FundingPayment {
  venue: string;
  symbol: string;
  time: number;
  amount: Dec;
}

/** Seam: funding payments booked in the ledger. */
export interface FundingSource {
  payments(): FundingPayment[];
}

export const NO_FUNDING: FundingSource = { payments: () => [] };

export interface TradeModel {
  modelId: string;
  modelName: string;
  modelVersion: number;
}

/** Seam: the model version behind the signal that caused an order, when one did. */
export interface SignalSource {
  modelOf(orderId: string): TradeModel | null;
}

export const NO_SIGNALS: SignalSource = { modelOf: () => null };
