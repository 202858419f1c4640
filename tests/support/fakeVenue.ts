/**
 * A venue whose every answer the test scripts: for the order manager's edge
 * cases (events out of order, unknown outcomes, duplicate fills) that a real
 * venue produces only rarely.
 */
import type { Balance, Instrument, OrderBook, Ticker, Timeframe } from '../../src/shared/domain';
import type { Bar } from '../../src/main/core/candles';
import { BTC_PERP } from './fixtures';
import type {
  AmendOrder,
  CancelOrder,
  ExecutionEvent,
  MarketEvent,
  SubmitOrder,
  VenueFillReport,
  VenueOrderReport,
  VenuePort,
  VenueConnectivity,
  VenueOrderFeatures,
  VenuePositionReport,
} from '../../src/main/engine/ports/venue';

export const FAKE_BTC: Instrument = { ...BTC_PERP, venue: 'fake' };

/** The venue's report of a working limit buy of 0.01 BTC at 59,000, with whatever a test changes. */
export function openOrderReport(clientOrderId: string, overrides: Partial<VenueOrderReport> = {}): VenueOrderReport {
  return {
    clientOrderId,
    venueOrderId: `v-${clientOrderId}`,
    symbol: FAKE_BTC.symbol,
    side: 'buy',
    type: 'limit',
    quantity: '0.01',
    filledQuantity: '0',
    price: '59000',
    stopPrice: null,
    status: 'open',
    triggered: false,
    updatedAt: 1_700_000_000_000,
    ...overrides,
  };
}

export class FakeVenue implements VenuePort {
  paper = true;
  /** Like a real exchange's: "no record" is an answer only this long after the send (default: at once). */
  unknownOutcomeDeadlineMs?: number;
  /** What start does: by default, nothing (a test can make it hang or fail). */
  onStart: () => Promise<void> = async () => undefined;
  private connectivityListeners = new Set<(state: VenueConnectivity, reason: string | null) => void>();

  /** Another id makes a second venue with the same instrument under that venue's name. */
  constructor(readonly id = 'fake') {}
  submitted: SubmitOrder[] = [];
  cancels: CancelOrder[] = [];
  /** What submit does: by default, accept. */
  onSubmit: (command: SubmitOrder) => void = (c) => this.emit({ type: 'OrderAccepted', clientOrderId: c.clientOrderId, venueOrderId: `v-${c.clientOrderId}`, timestamp: 1 });
  onCancel: (command: CancelOrder) => void = (c) => this.emit({ type: 'OrderCanceled', clientOrderId: c.clientOrderId, reason: 'requested', timestamp: 2 });
  reports = new Map<string, VenueOrderReport>();
  /** Amends in place (as most exchanges do for limit orders); false: Keel cancels and replaces. */
  amendsInPlace = true;
  /** Holds brackets and OCO pairs itself; false: Keel manages them. */
  holdsGroups = false;
  amends: AmendOrder[] = [];
  /** What amend does: by default, take the new terms. */
  onAmend: (command: AmendOrder) => void = (c) =>
    this.emit({
      type: 'OrderAmended',
      clientOrderId: c.clientOrderId,
      quantity: c.quantity ?? c.current.quantity,
      price: c.price ?? c.current.price,
      stopPrice: c.stopPrice ?? c.current.stopPrice,
      requested: true,
      reason: null,
      timestamp: 4,
    });
  get orderFeatures(): VenueOrderFeatures {
    return {
      types: ['market', 'limit', 'stop', 'stop_limit', 'take_profit', 'take_profit_limit', 'trailing_stop'],
      amendsInPlace: () => this.amendsInPlace,
      brackets: this.holdsGroups,
      oco: this.holdsGroups,
      trailing: { distance: true, percent: true },
    };
  }
  async amend(command: AmendOrder): Promise<void> {
    this.amends.push(command);
    this.onAmend(command);
  }
  positions: VenuePositionReport[] = [];
  failPositionReports = false;
  private executionListeners = new Set<(e: ExecutionEvent) => void>();
  private marketListeners = new Set<(e: MarketEvent) => void>();

  async start(): Promise<void> {
    await this.onStart();
  }
  async stop(): Promise<void> {}
  instruments(): Instrument[] {
    return [{ ...FAKE_BTC, venue: this.id }];
  }
  onConnectivity(listener: (state: VenueConnectivity, reason: string | null) => void): () => void {
    this.connectivityListeners.add(listener);
    return () => this.connectivityListeners.delete(listener);
  }
  /** The venue says how its connection is. */
  setConnectivity(state: VenueConnectivity, reason: string | null = null): void {
    for (const listener of this.connectivityListeners) listener(state, reason);
  }
  async candles(_symbol: string, _tf: Timeframe, _limit: number): Promise<Bar[]> {
    return [];
  }
  ticker(symbol: string): Ticker {
    return {
      venue: this.id,
      symbol,
      bid: '60000',
      ask: '60000.1',
      last: '60000',
      mark: '60000',
      open24h: '59000',
      high24h: '61000',
      low24h: '58000',
      change24h: '1000',
      changePercent24h: 1.69,
      volume24h: '100',
      timestamp: 0,
    };
  }
  orderBook(symbol: string): OrderBook {
    return { venue: this.id, symbol, bids: [], asks: [], timestamp: 0 };
  }
  async submit(command: SubmitOrder): Promise<void> {
    this.submitted.push(command);
    this.onSubmit(command);
  }
  async cancel(command: CancelOrder): Promise<void> {
    this.cancels.push(command);
    this.onCancel(command);
  }
  async cancelAll(): Promise<void> {}
  async setLeverage(): Promise<void> {}
  /** Symbols the engine named when it asked, to check it always does. */
  reportSymbols: string[] = [];
  async orderReport(clientOrderId: string, symbol: string): Promise<VenueOrderReport | undefined> {
    this.reportSymbols.push(symbol);
    return this.reports.get(clientOrderId);
  }
  fills: VenueFillReport[] = [];
  async fillReports(sinceMs: number): Promise<VenueFillReport[]> {
    return this.fills.filter((f) => f.timestamp >= sinceMs);
  }
  async openOrderReports(): Promise<VenueOrderReport[]> {
    return [...this.reports.values()].filter((r) => r.status === 'open' || r.status === 'partially_filled');
  }
  async positionReports(): Promise<VenuePositionReport[]> {
    if (this.failPositionReports) throw new Error('positions endpoint down');
    return this.positions;
  }
  balance = '10000';
  async balanceReports(): Promise<Balance[]> {
    return [{ currency: 'USDT', total: this.balance }];
  }
  onExecution(listener: (e: ExecutionEvent) => void): () => void {
    this.executionListeners.add(listener);
    return () => this.executionListeners.delete(listener);
  }
  onMarket(listener: (e: MarketEvent) => void): () => void {
    this.marketListeners.add(listener);
    return () => this.marketListeners.delete(listener);
  }
  emit(event: ExecutionEvent): void {
    for (const l of this.executionListeners) l(event);
  }
  fill(clientOrderId: string, tradeId: string, quantity: string, price: string, side: 'buy' | 'sell' = 'buy'): void {
    this.emit({
      type: 'OrderFilled',
      clientOrderId,
      venueOrderId: `v-${clientOrderId}`,
      tradeId,
      side,
      symbol: FAKE_BTC.symbol,
      quantity,
      price,
      fee: '0',
      feeCurrency: 'USDT',
      liquidity: 'maker',
      timestamp: 3,
    });
  }
}
