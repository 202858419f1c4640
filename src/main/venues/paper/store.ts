/**
 * What the paper venue persists, and the port it persists through: orders
 * (resting and recent terminal ones), the account (ledger snapshot,
 * leverage, margin modes, id counters), every fill it ever made and every
 * funding payment it settled (its history, which the engine reads back to
 * recover what it missed), the last market state
 * per instrument and each instrument's closed 1-minute bars (the price
 * history the trader saw, which must read the same after a restart). The journal's SQLite repository implements the port
 * for the app; the in-memory store serves tests and throwaway venues. Record
 * shapes are zod schemas so a body read back from disk is checked before it
 * is trusted.
 */
import { z } from 'zod';
import { marginMode, orderRole, orderSide, orderType, timeInForce, trailingSchema } from '../../../shared/domain';
import type { VenueFillReport, VenueFundingReport } from '../../engine/ports/venue';

export const paperOrderRecordSchema = z.object({
  /** Acceptance sequence (0 for orders rejected before acceptance): restores time priority. */
  seq: z.number().int().nonnegative(),
  clientOrderId: z.string(),
  venueOrderId: z.string(),
  symbol: z.string(),
  side: orderSide,
  type: orderType,
  quantity: z.string(),
  price: z.string().nullable(),
  stopPrice: z.string().nullable(),
  timeInForce: timeInForce,
  postOnly: z.boolean(),
  reduceOnly: z.boolean(),
  status: z.enum(['open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired']),
  filledQuantity: z.string(),
  triggered: z.boolean(),
  createdAt: z.number(),
  updatedAt: z.number(),
  reason: z.string().nullable(),
  /** Its place in a bracket or OCO pair, and the client order id of the group's first order (absent: a plain order). */
  role: orderRole.optional(),
  group: z.string().optional(),
  /** A bracket's take-profit or stop-loss that waits for its entry to fill. */
  inactive: z.boolean().optional(),
  /** A trailing stop's trail and the best price (in ticks) it has seen since it started trailing. */
  trailing: trailingSchema.optional(),
  trailBestTicks: z.number().int().positive().optional(),
});
export type PaperOrderRecord = z.infer<typeof paperOrderRecordSchema>;

export const paperAccountRecordSchema = z.object({
  ledger: z.object({
    currency: z.string(),
    balance: z.string(),
    realizedPnl: z.string(),
    feesPaid: z.string(),
    funding: z.string().optional(),
    leverage: z.record(z.string(), z.number().int().positive()),
    marginModes: z.record(z.string(), marginMode).optional(),
    positions: z.array(
      z.object({
        symbol: z.string(),
        quantity: z.string(),
        cost: z.string(),
        realizedPnl: z.string(),
        feesPaid: z.string(),
        funding: z.string().optional(),
        leverage: z.number().int().positive(),
        updatedAt: z.number(),
      }),
    ),
  }),
  /** Next sequence for `paper-o-<n>`. */
  nextOrderSeq: z.number().int().positive(),
  /** Next sequence for `paper-t-<n>`: persisted so trade ids never repeat. */
  nextTradeSeq: z.number().int().positive(),
  updatedAt: z.number(),
});
export type PaperAccountRecord = z.infer<typeof paperAccountRecordSchema>;

/** A fill as the venue reported it: the port's fill report (an OrderFilled event without its `type`). */
export const paperFillRecordSchema: z.ZodType<VenueFillReport> = z.object({
  clientOrderId: z.string(),
  venueOrderId: z.string(),
  tradeId: z.string(),
  side: orderSide,
  symbol: z.string(),
  quantity: z.string(),
  price: z.string(),
  fee: z.string(),
  feeCurrency: z.string(),
  liquidity: z.enum(['maker', 'taker']),
  timestamp: z.number(),
  liquidation: z.boolean().optional(),
});
export type PaperFillRecord = VenueFillReport;

/** A funding payment as the venue settled it (the port's funding report). */
export const paperFundingRecordSchema: z.ZodType<VenueFundingReport> = z.object({
  fundingId: z.string(),
  symbol: z.string(),
  rate: z.string(),
  markPrice: z.string(),
  quantity: z.string(),
  amount: z.string(),
  currency: z.string(),
  fundingTime: z.number().int(),
  timestamp: z.number(),
});
export type PaperFundingRecord = VenueFundingReport;

/**
 * A 1-minute bar as stored: prices in whole ticks, volume in whole lots
 * (exact integers; the market converts with the instrument's steps).
 */
export const paperBarRecordSchema = z.object({
  /** Start of the minute (epoch ms). */
  time: z.number().int(),
  open: z.number().int().positive(),
  high: z.number().int().positive(),
  low: z.number().int().positive(),
  close: z.number().int().positive(),
  volume: z.number().int().nonnegative(),
});
export type PaperBarRecord = z.infer<typeof paperBarRecordSchema>;

export const paperMarketRecordSchema = z.object({
  symbol: z.string(),
  /** Last simulated mid. */
  price: z.number().positive(),
  /** Last simulated trade price in ticks (stops trigger against it). */
  lastTicks: z.number().int().positive(),
  process: z.object({
    logPrice: z.number(),
    garch: z.number().positive(),
    pendingMs: z.number().nonnegative(),
    pendingShock: z.number().nonnegative(),
    trend: z.union([z.literal(-1), z.literal(0), z.literal(1)]),
    volRegime: z.union([z.literal(0), z.literal(1), z.literal(2)]),
    rangeAnchor: z.number(),
  }),
  /** The live bar as far as it had formed (absent in records written before bars were kept). */
  live: paperBarRecordSchema.optional(),
  /**
   * Where the market's first 1-minute bar opened: the generated long past
   * (`deepHistory`) ends there, so it is the same past at every start
   * (absent in records written before it was kept).
   */
  deepAnchor: z.object({ time: z.number().int(), openTicks: z.number().int().positive() }).optional(),
  /** A perpetual's index and funding interval (absent for spot, and in records written before funding existed). */
  funding: z
    .object({
      index: z.number().positive(),
      premiumSum: z.number(),
      premiumMs: z.number().nonnegative(),
      intervalStart: z.number().int(),
    })
    .optional(),
  updatedAt: z.number(),
});
export type PaperMarketRecord = z.infer<typeof paperMarketRecordSchema>;

/**
 * The key under which a market's hourly bars are kept in the bar store:
 * 1-minute bars that aged out of the retention, rolled up into hours so the
 * long charts keep them. Not a symbol, so 1-minute pruning never touches it.
 */
export function hourSeriesKey(symbol: string): string {
  return `${symbol}#1h`;
}

/**
 * The persistence of one paper venue (a store is bound to one venue id).
 * Synchronous by design: a venue change and its persistence happen in the
 * same turn, so nothing is ever half-applied between them.
 */
export interface PaperVenueStore {
  /**
   * False for a store no venue will ever be restored from (a backtest's
   * exchange lives only as long as its run): the venue then builds and saves
   * no order or account records, only fills and funding payments, which the
   * engine may still ask for. Default true.
   */
  readonly restorable?: boolean;
  loadOrders(): PaperOrderRecord[];
  saveOrder(order: PaperOrderRecord): void;
  deleteOrders(clientOrderIds: readonly string[]): void;
  loadAccount(): PaperAccountRecord | undefined;
  saveAccount(account: PaperAccountRecord): void;
  /** Records a fill; its trade id is the key, and saving the same trade id again changes nothing. */
  saveFill(fill: PaperFillRecord): void;
  /** Fills with `timestamp >= sinceMs`, oldest first (saving order among equal timestamps). */
  loadFills(sinceMs: number): PaperFillRecord[];
  /** Records a funding payment; its funding id is the key, and saving it again changes nothing. */
  saveFunding(funding: PaperFundingRecord): void;
  /** Funding payments with `timestamp >= sinceMs`, oldest first. */
  loadFunding(sinceMs: number): PaperFundingRecord[];
  loadMarket(): PaperMarketRecord[];
  saveMarket(market: PaperMarketRecord): void;
  /** Closed bars of `symbol` with `time >= sinceMs`, oldest first. */
  loadBars(symbol: string, sinceMs: number): PaperBarRecord[];
  /** Appends closed bars; a bar saved again for the same minute replaces the stored one. */
  saveBars(symbol: string, bars: readonly PaperBarRecord[]): void;
  /** Drops the bars of `symbol` older than `beforeMs`. */
  pruneBars(symbol: string, beforeMs: number): void;
  /** Runs `fn` so that its writes land together or not at all. */
  transaction<T>(fn: () => T): T;
}

/**
 * Keeps records in maps. Saved records are the venue's fresh objects and are
 * never mutated afterwards; loads hand out copies so a restored venue cannot
 * alias the store. Hand the same store to a new venue to simulate a restart.
 */
export class InMemoryPaperVenueStore implements PaperVenueStore {
  private readonly orders = new Map<string, PaperOrderRecord>();
  private account: PaperAccountRecord | undefined;
  protected readonly fills: PaperFillRecord[] = [];
  private readonly tradeIds = new Set<string>();
  private readonly funding = new Map<string, PaperFundingRecord>();
  private readonly markets = new Map<string, PaperMarketRecord>();
  private readonly bars = new Map<string, Map<number, PaperBarRecord>>();
  /** Counts writes, for tests that check persistence happens. */
  writes = 0;

  loadOrders(): PaperOrderRecord[] {
    return [...this.orders.values()].map((r) => structuredClone(r));
  }

  saveOrder(order: PaperOrderRecord): void {
    this.orders.set(order.clientOrderId, order);
    this.writes++;
  }

  deleteOrders(clientOrderIds: readonly string[]): void {
    for (const id of clientOrderIds) this.orders.delete(id);
    this.writes++;
  }

  loadAccount(): PaperAccountRecord | undefined {
    return this.account && structuredClone(this.account);
  }

  saveAccount(account: PaperAccountRecord): void {
    this.account = account;
    this.writes++;
  }

  saveFill(fill: PaperFillRecord): void {
    if (this.tradeIds.has(fill.tradeId)) return;
    this.tradeIds.add(fill.tradeId);
    this.fills.push(fill);
    this.writes++;
  }

  loadFills(sinceMs: number): PaperFillRecord[] {
    // Array.prototype.sort is stable: equal timestamps keep saving order.
    return this.fills
      .filter((f) => f.timestamp >= sinceMs)
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((f) => structuredClone(f));
  }

  saveFunding(funding: PaperFundingRecord): void {
    if (this.funding.has(funding.fundingId)) return;
    this.funding.set(funding.fundingId, funding);
    this.writes++;
  }

  loadFunding(sinceMs: number): PaperFundingRecord[] {
    return [...this.funding.values()]
      .filter((f) => f.timestamp >= sinceMs)
      .sort((a, b) => a.timestamp - b.timestamp)
      .map((f) => structuredClone(f));
  }

  loadMarket(): PaperMarketRecord[] {
    return [...this.markets.values()].map((r) => structuredClone(r));
  }

  saveMarket(market: PaperMarketRecord): void {
    this.markets.set(market.symbol, market);
    this.writes++;
  }

  loadBars(symbol: string, sinceMs: number): PaperBarRecord[] {
    const kept = this.bars.get(symbol);
    if (!kept) return [];
    return [...kept.values()].filter((b) => b.time >= sinceMs).sort((a, b) => a.time - b.time).map((b) => ({ ...b }));
  }

  saveBars(symbol: string, bars: readonly PaperBarRecord[]): void {
    let kept = this.bars.get(symbol);
    if (!kept) this.bars.set(symbol, (kept = new Map()));
    for (const bar of bars) kept.set(bar.time, bar);
    this.writes++;
  }

  pruneBars(symbol: string, beforeMs: number): void {
    const kept = this.bars.get(symbol);
    if (!kept) return;
    for (const time of kept.keys()) if (time < beforeMs) kept.delete(time);
    this.writes++;
  }

  transaction<T>(fn: () => T): T {
    return fn();
  }
}
