/**
 * A real exchange behind the venue port, through ccxt: REST for commands and
 * queries, ccxt.pro's WebSocket streams for orders, fills and tickers, and
 * REST polling when a stream is down (the venue then reports itself
 * degraded). Raw exchange payloads never leave this module.
 *
 * The rules that keep money safe:
 *
 * - A submit is sent once. If its answer is lost (timeout, 5xx, a dropped
 *   connection) the promise rejects and the engine asks the venue about the
 *   order by its client order id, until `unknownOutcomeDeadlineMs` has
 *   passed; it never sends it again (on Binance a retried market order with
 *   the same client id fills twice).
 * - Reads may be retried; writes never are, except after a clock-skew
 *   refusal (-1021), which the venue refused before doing anything: the time
 *   difference is resynced and the request sent once more.
 * - A 429 or a ban holds every request to the venue (`RequestGate`).
 * - A refused key stops the venue's streams and disconnects it with a reason
 *   that asks for the key again.
 * - Every error text is redacted before it is logged or passed on.
 */
import { Dec } from '../../../shared/decimal';
import type { Balance, Instrument, OrderBook, Ticker, Timeframe } from '../../../shared/domain';
import type { Bar } from '../../core/candles';
import type { Clock, TimerHandle } from '../../engine/ports/clock';
import type { Logger } from '../../engine/ports/logger';
import type {
  AmendOrder,
  CancelOrder,
  ExecutionEvent,
  MarketEvent,
  SubmitOrder,
  VenueConnectivity,
  VenueFillReport,
  VenueFundingReport,
  VenueMarginReport,
  VenueOrderFeatures,
  VenueOrderReport,
  VenuePort,
  VenuePositionReport,
} from '../../engine/ports/venue';
import type { CcxtExchange, CcxtMarket, CcxtOrder, CcxtTicker, CcxtTrade } from './ccxtTypes';
import { FUNDING_PAGE, fundingReportOf, walkFundingHistory } from './fundingHistory';
import { createExchange, EXCHANGES, type ExchangeConfig, type ExchangeId, type VenueMode } from './exchanges';
import { orderFeaturesOf } from './orderFeatures';
import { barOf, clientIdOf, createOrderArgs, editOrderArgs, fillReportOf, instrumentOf, isTradableMarket, marginReportOf, orderReportOf, positionReportOf, reportStatus, tickerOf, toBase } from './mapping';
import { OrderTracker, type TrackedOrder } from './orderTracker';
import { RequestGate } from './requestGate';
import { VenueStatsRecorder } from '../venueStatsRecorder';
import type { VenueStats } from '../../engine/ports/venueStats';
import { classifyFailure, type VenueFailure } from './venueErrors';

export interface CcxtVenueTimings {
  /** Per HTTP request. */
  requestMs: number;
  /** How long after a send the exchange may still act on it: an order it has no record of is lost only after this. */
  unknownOutcomeDeadlineMs: number;
  /** REST polling of orders and fills while a private stream is down. */
  fallbackPollMs: number;
  /** REST check of working orders while the streams are up (they can miss an event). */
  safetyPollMs: number;
  /** Tickers by REST while their stream is down. */
  tickerPollMs: number;
  /** Wait before resubscribing a stream that failed. */
  streamRetryMs: number;
  /** Retries of a read that failed for a transient reason. */
  readRetries: number;
  /** The exchange's request-weight budget per minute, where it counts weight (Binance USD-M: 2,400); 0: not paced by weight. */
  weightPerMinute: number;
  /** REST read of positions, for the liquidation price and maintenance margin the exchange states. */
  positionPollMs: number;
  /** REST read of the funding history, for payments to book (funding is settled every few hours). */
  fundingPollMs: number;
}

export const DEFAULT_CCXT_TIMINGS: CcxtVenueTimings = {
  requestMs: 10_000,
  unknownOutcomeDeadlineMs: 30_000,
  fallbackPollMs: 2_000,
  safetyPollMs: 15_000,
  tickerPollMs: 3_000,
  streamRetryMs: 2_000,
  readRetries: 2,
  weightPerMinute: 2_400,
  positionPollMs: 15_000,
  fundingPollMs: 60_000,
};

/** How far back each funding poll reads again: an exchange may write a payment a little after its time. */
const FUNDING_OVERLAP_MS = 10 * 60_000;

export interface CcxtVenueOptions {
  id: string;
  exchange: ExchangeId;
  mode: VenueMode;
  /** The instruments to trade; default: the exchange's default list. */
  symbols?: string[];
  credentials: { apiKey: string; secret: string; passphrase?: string } | null;
  /** Why there are no credentials when it is not simply that none were stored (the keychain could not be read). */
  keyProblem?: string;
  /** A loopback server standing in for the exchange. */
  baseUrl?: string;
  clock: Clock;
  logger: Logger;
  /** Cleans text of secrets and signatures before it goes anywhere. */
  redact: (text: string) => string;
  timings?: Partial<CcxtVenueTimings>;
  /** Makes the ccxt instance (tests may pass their own). */
  createExchange?: (config: ExchangeConfig) => Promise<CcxtExchange>;
}

/** A venue call that failed, with what the failure means. Its message is already redacted. */
export class VenueCallError extends Error {
  constructor(
    readonly failure: VenueFailure,
    what: string,
  ) {
    super(`${what}: ${failure.reason}`);
    this.name = 'VenueCallError';
  }
}

type ConnectivityListener = (state: VenueConnectivity, reason: string | null) => void;

/** The venue has no such order: not found, or (asking the conditional-order book) refused as unknown there. */
function isAbsent(error: unknown, params: Record<string, unknown>): boolean {
  if (!(error instanceof VenueCallError)) return false;
  return error.failure.kind === 'not-found' || (error.failure.kind === 'refused' && Object.keys(params).length > 0);
}

/** Least time between two order-book requests for one symbol. */
const BOOK_REFRESH_MS = 1_000;

/** Consecutive failed reads before the venue counts as unreachable. */
const UNREACHABLE_AFTER = 3;

export class CcxtVenue implements VenuePort {
  readonly id: string;
  readonly paper = false;
  readonly mode: VenueMode;
  readonly exchangeId: ExchangeId;
  readonly unknownOutcomeDeadlineMs: number;
  readonly orderFeatures: VenueOrderFeatures;

  private readonly timings: CcxtVenueTimings;
  private exchange: CcxtExchange | null = null;
  private readonly markets = new Map<string, CcxtMarket>();
  private instrumentList: Instrument[] = [];
  private readonly tickers = new Map<string, Ticker>();
  private readonly books = new Map<string, OrderBook>();
  private readonly bookFetchedAt = new Map<string, number>();
  private readonly tracker = new OrderTracker();
  private readonly gate: RequestGate;
  private readonly executionListeners = new Set<(event: ExecutionEvent) => void>();
  private readonly marketListeners = new Set<(event: MarketEvent) => void>();
  private readonly connectivityListeners = new Set<ConnectivityListener>();
  private running = false;
  /** Set by `stop`: nothing is retried after it. */
  private stopped = false;
  private readonly timers: TimerHandle[] = [];
  private readonly streamsDown = new Set<string>();
  private failedReads = 0;
  private connectivity: VenueConnectivity = 'connected';
  private authFailure: string | null = null;
  /** Newest fill time seen per symbol, where the next fill poll starts. */
  private readonly fillCursor = new Map<string, number>();
  private polling = false;
  private lastPollAt = 0;
  private lastTickerPollAt = 0;
  private readonly requestStats: VenueStatsRecorder;
  private lastPositionPollAt = 0;
  private lastFundingPollAt = 0;
  /** Where the next funding poll starts reading (less the overlap, never before `startedAt`). */
  private fundingCursor = 0;
  /** When this session started: payments before it are the reconciliation's to book. */
  private startedAt = 0;
  /** The exchange's last word on each open position's margin, by symbol. */
  private readonly margins = new Map<string, VenueMarginReport>();

  constructor(private readonly options: CcxtVenueOptions) {
    this.id = options.id;
    this.mode = options.mode;
    this.exchangeId = options.exchange;
    this.timings = { ...DEFAULT_CCXT_TIMINGS, ...options.timings };
    this.unknownOutcomeDeadlineMs = this.timings.unknownOutcomeDeadlineMs;
    this.orderFeatures = orderFeaturesOf(options.exchange);
    this.requestStats = new VenueStatsRecorder(() => options.clock.now());
    this.gate = new RequestGate({
      ...(options.exchange === 'binanceusdm' && this.timings.weightPerMinute > 0 ? { weightPerMinute: this.timings.weightPerMinute } : {}),
      now: () => options.clock.now(),
      sleep: (ms) => this.sleep(ms),
      onChange: (state) => {
        if (state.reason) this.options.logger.warn(`[${this.id}] ${state.reason}`);
        this.updateConnectivity();
      },
    });
  }

  // ---- lifecycle ---------------------------------------------------------

  async start(): Promise<void> {
    if (!this.options.credentials) throw new Error(this.options.keyProblem ?? `no API key is stored for ${this.id}; add one in Settings → Exchanges`);
    const make = this.options.createExchange ?? createExchange;
    const exchange = await make({
      exchange: this.options.exchange,
      mode: this.options.mode,
      credentials: this.options.credentials,
      timeoutMs: this.timings.requestMs,
      ...(this.options.baseUrl === undefined ? {} : { baseUrl: this.options.baseUrl }),
      log: (line) => this.options.logger.info(`[${this.id}] ${this.options.redact(line)}`),
    });
    // Every response passes here: the rate-limit headers and statuses of any request close the gate for all of them.
    const onRestResponse = exchange.onRestResponse.bind(exchange);
    exchange.onRestResponse = (status, statusText, url, method, headers, body, ...rest) => {
      this.gate.observe(status, headers ?? {});
      return onRestResponse(status, statusText, url, method, headers, body, ...rest);
    };
    this.exchange = exchange;
    await this.read('time difference', () => exchange.loadTimeDifference());
    // A private call before anything else: a refused key stops the venue here, saying so, not at its first order.
    try {
      await this.read('account', () => exchange.fetchBalance());
    } catch (error) {
      throw this.authFailure !== null ? new Error(this.authFailure) : error;
    }
    const markets = await this.read('markets', () => exchange.loadMarkets());
    const spec = EXCHANGES[this.options.exchange];
    const wanted = this.options.symbols ?? spec.defaultSymbols;
    this.markets.clear();
    const instruments: Instrument[] = [];
    for (const symbol of wanted) {
      const market = markets[symbol];
      if (!market || !isTradableMarket(market, spec.settle)) {
        this.options.logger.warn(`[${this.id}] ${symbol} is not a tradable ${spec.settle} perpetual on ${spec.label}; skipped`);
        continue;
      }
      this.markets.set(symbol, market);
      instruments.push(instrumentOf(this.id, market));
    }
    if (instruments.length === 0) throw new Error(`none of ${wanted.join(', ')} is traded on ${spec.label}`);
    this.instrumentList = instruments;
    await this.refreshTickers();
    this.running = true;
    // Payments before now are the start-up reconciliation's (`fundingReports`); the poll books those that follow.
    this.startedAt = this.now();
    this.fundingCursor = this.startedAt;
    this.lastFundingPollAt = this.startedAt;
    this.startStreams(exchange);
    const cadences = [this.timings.fallbackPollMs, this.timings.safetyPollMs, this.timings.tickerPollMs, this.timings.positionPollMs, this.timings.fundingPollMs];
    this.timers.push(this.options.clock.every(Math.min(...cadences.filter((ms) => ms > 0)), () => void this.pollTick()));
  }

  async stop(): Promise<void> {
    this.running = false;
    this.stopped = true;
    for (const timer of this.timers.splice(0)) timer.cancel();
    const exchange = this.exchange;
    this.exchange = null;
    if (exchange) {
      // Closing rejects every pending stream future, including ones ccxt made for itself that nobody awaits;
      // caught here so they do not surface as unhandled rejections.
      for (const client of Object.values((exchange as unknown as { clients?: Record<string, { futures?: Record<string, Promise<unknown>> }> }).clients ?? {})) {
        for (const future of Object.values(client.futures ?? {})) future.catch(() => undefined);
      }
      try {
        await exchange.close();
      } catch (error) {
        this.options.logger.warn(`[${this.id}] closing the connection failed: ${this.redactError(error)}`);
      }
      forgetListenKeys(exchange);
    }
  }

  onConnectivity(listener: ConnectivityListener): () => void {
    this.connectivityListeners.add(listener);
    return () => this.connectivityListeners.delete(listener);
  }

  onExecution(listener: (event: ExecutionEvent) => void): () => void {
    this.executionListeners.add(listener);
    return () => this.executionListeners.delete(listener);
  }

  onMarket(listener: (event: MarketEvent) => void): () => void {
    this.marketListeners.add(listener);
    return () => this.marketListeners.delete(listener);
  }

  // ---- market data -------------------------------------------------------

  instruments(): Instrument[] {
    return this.instrumentList.map((i) => ({ ...i }));
  }

  ticker(symbol: string): Ticker {
    const ticker = this.tickers.get(symbol);
    if (!ticker) throw new Error(`${this.id} has no price for ${symbol} yet`);
    return { ...ticker };
  }

  /** The last book fetched for the symbol (refreshed in the background on each call), else the top of book from the ticker. */
  orderBook(symbol: string, depth: number): OrderBook {
    void this.refreshBook(symbol, depth);
    const book = this.books.get(symbol);
    if (book) return { ...book, bids: book.bids.slice(0, depth), asks: book.asks.slice(0, depth) };
    const ticker = this.ticker(symbol);
    return { venue: this.id, symbol, bids: [[ticker.bid, '0']], asks: [[ticker.ask, '0']], timestamp: ticker.timestamp };
  }

  async candles(symbol: string, timeframe: Timeframe, limit: number): Promise<Bar[]> {
    const exchange = this.requireExchange();
    const rows = await this.read(`candles ${symbol}`, () => exchange.fetchOHLCV(symbol, timeframe, undefined, Math.min(limit, 1500)));
    return rows.map(barOf);
  }

  // ---- commands ----------------------------------------------------------

  async submit(command: SubmitOrder): Promise<void> {
    const exchange = this.requireExchange();
    const market = this.requireMarket(command.symbol);
    const tracked = this.tracker.track(command.clientOrderId, command.symbol);
    let args: ReturnType<typeof createOrderArgs>;
    try {
      args = createOrderArgs(market, command, this.options.exchange);
    } catch (error) {
      this.reject(tracked, 'VENUE_REJECTED', this.redactError(error));
      return;
    }
    let order: CcxtOrder;
    try {
      order = await this.write(`submit ${command.clientOrderId}`, () => exchange.createOrder(command.symbol, args.type, command.side, args.amount, args.price, args.params));
    } catch (error) {
      const failure = error instanceof VenueCallError ? error.failure : classifyFailure(error, this.options.redact);
      // The venue said no, or never took it (rate limit, refused key): the order is rejected with the reason.
      if (failure.kind === 'refused') return this.reject(tracked, failure.code, failure.reason);
      if (failure.kind === 'rate-limited' || failure.kind === 'auth' || failure.kind === 'clock-skew') return this.reject(tracked, 'VENUE_REJECTED', failure.reason);
      // Anything else: nobody knows whether it was carried out. The engine asks; nothing is sent again.
      throw error;
    }
    await this.applyOrder(order);
  }

  async cancel(command: CancelOrder): Promise<void> {
    const exchange = this.requireExchange();
    this.requireMarket(command.symbol);
    try {
      const answer = await this.cancelInAnyBook(exchange, command);
      // Binance answers with the cancelled order; Bybit only with its ids, so its own report says what became of it.
      if (answer && typeof answer === 'object' && 'id' in answer && (answer as CcxtOrder).status) await this.applyOrder(answer as CcxtOrder);
      else await this.settleFromReport(command.clientOrderId, command.symbol);
    } catch (error) {
      const failure = error instanceof VenueCallError ? error.failure : classifyFailure(error, this.options.redact);
      if (failure.kind === 'not-found' || failure.kind === 'refused') {
        // Not working at the venue any more (filled, already cancelled) or not cancellable: its own report says which.
        const settled = await this.settleFromReport(command.clientOrderId, command.symbol).catch(() => false);
        if (!settled) this.emit({ type: 'OrderCancelRejected', clientOrderId: command.clientOrderId, reason: failure.reason, timestamp: this.now() });
        return;
      }
      throw error;
    }
  }

  /**
   * Changes a working order's terms in place through ccxt's editOrder
   * (Binance: limit orders; Bybit: limit and conditional orders; OKX: limit
   * orders, and its conditional algo orders through amend-algos). The answer
   * is the new terms; a refusal is `OrderAmendRejected`; a lost answer
   * rejects, and the engine asks the venue about the order.
   */
  async amend(command: AmendOrder): Promise<void> {
    const exchange = this.requireExchange();
    const market = this.requireMarket(command.symbol);
    this.tracker.track(command.clientOrderId, command.symbol);
    const refuse = (reason: string) => this.emit({ type: 'OrderAmendRejected', clientOrderId: command.clientOrderId, reason, timestamp: this.now() });
    let args: ReturnType<typeof editOrderArgs>;
    try {
      args = editOrderArgs(market, command, this.options.exchange);
    } catch (error) {
      return refuse(this.redactError(error));
    }
    let answer: CcxtOrder;
    try {
      answer = await this.write(`amend ${command.clientOrderId}`, () => exchange.editOrder(undefined, command.symbol, args.type, command.side, args.amount, args.price, args.params));
    } catch (error) {
      const failure = error instanceof VenueCallError ? error.failure : classifyFailure(error, this.options.redact);
      if (failure.kind === 'refused' || failure.kind === 'not-found' || failure.kind === 'rate-limited' || failure.kind === 'auth' || failure.kind === 'clock-skew') return refuse(failure.reason);
      throw error;
    }
    // Binance answers with the order as amended (and cancels one cut to what has filled); the others only with its ids.
    if (answer.status && (answer.status === 'canceled' || answer.status === 'cancelled' || answer.status === 'expired')) {
      await this.applyOrder({ ...answer, clientOrderId: clientIdOf(answer) ?? command.clientOrderId, symbol: command.symbol });
      return;
    }
    const reported = answer.amount !== undefined && answer.amount !== null && answer.status ? orderReportOf(market, { ...answer, symbol: command.symbol }) : null;
    this.emit({
      type: 'OrderAmended',
      clientOrderId: command.clientOrderId,
      quantity: reported?.quantity ?? command.quantity ?? command.current.quantity,
      price: command.price ?? command.current.price,
      stopPrice: command.stopPrice ?? command.current.stopPrice,
      requested: true,
      reason: null,
      timestamp: this.now(),
    });
  }

  /**
   * Cancels an order by its client id in whichever book holds it: the
   * regular one first, then the exchange's conditional (algo) books. Fails
   * as the last book did when none has it.
   */
  private async cancelInAnyBook(exchange: CcxtExchange, command: CancelOrder): Promise<unknown> {
    const variants = this.conditionalVariants();
    for (let i = 0; ; i++) {
      const params = { ...this.byClientId(command.clientOrderId), ...variants[i] };
      try {
        return await this.write(`cancel ${command.clientOrderId}`, () => exchange.cancelOrder(undefined, command.symbol, params));
      } catch (error) {
        if (i === variants.length - 1 || !(error instanceof VenueCallError) || (error.failure.kind !== 'not-found' && error.failure.kind !== 'refused')) throw error;
      }
    }
  }

  /**
   * Cancels every working order (conditional ones included), per symbol, as
   * the exchanges require; then reads the open orders back and reports each
   * order that is gone. Fails if any symbol could not be cancelled, after
   * trying them all.
   */
  async cancelAll(symbol?: string): Promise<void> {
    const exchange = this.requireExchange();
    const symbols = symbol !== undefined ? [symbol] : this.instrumentList.map((i) => i.symbol);
    const failures: string[] = [];
    for (const s of symbols) {
      for (const params of this.conditionalVariants()) {
        try {
          if (exchange.has.cancelAllOrders === false) await this.cancelEachOpen(exchange, s, params);
          else await this.write(`cancel all ${s}`, () => exchange.cancelAllOrders(s, params));
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    }
    // What is still open is the truth, whatever the cancel calls answered.
    const open = await this.openOrderReports();
    const stillOpen = new Set(open.map((r) => r.clientOrderId));
    for (const tracked of this.tracker.open()) {
      if ((symbol === undefined || tracked.symbol === symbol) && !stillOpen.has(tracked.clientOrderId)) {
        await this.settleFromReport(tracked.clientOrderId, tracked.symbol).catch(() => false);
      }
    }
    const left = open.filter((r) => symbol === undefined || r.symbol === symbol);
    if (failures.length > 0 || left.length > 0) {
      throw new Error(`cancel all on ${this.id} left ${left.length} order(s) open${failures.length > 0 ? ` (${failures.join('; ')})` : ''}`);
    }
  }

  /** OKX has no cancel-all for swaps (ccxt's okx: has.cancelAllOrders false): the symbol's open orders are cancelled by id, 20 to a batch as OKX allows. */
  private async cancelEachOpen(exchange: CcxtExchange, symbol: string, params: Record<string, unknown>): Promise<void> {
    const open = await this.read(`open orders ${symbol}`, () => exchange.fetchOpenOrders(symbol, undefined, undefined, params));
    const ids = open.map((order) => String(order.id));
    for (let at = 0; at < ids.length; at += 20) {
      const batch = ids.slice(at, at + 20);
      await this.write(`cancel ${batch.length} on ${symbol}`, () => exchange.cancelOrders(batch, symbol, params));
    }
  }

  async setLeverage(symbol: string, leverage: number): Promise<void> {
    const exchange = this.requireExchange();
    this.requireMarket(symbol);
    try {
      await this.write(`leverage ${symbol}`, () => exchange.setLeverage(leverage, symbol));
    } catch (error) {
      // Bybit refuses to set the leverage a symbol already has (110043 "leverage not modified"): it is set.
      if (error instanceof VenueCallError && error.failure.kind === 'refused' && /leverage not modified/i.test(error.failure.reason)) return;
      throw error;
    }
  }

  // ---- reports -------------------------------------------------------------

  async orderReport(clientOrderId: string, symbol: string): Promise<VenueOrderReport | undefined> {
    const market = this.requireMarket(symbol);
    const order = await this.findOrder(clientOrderId, symbol);
    return order ? this.observed(orderReportOf(market, order)) : undefined;
  }

  async openOrderReports(): Promise<VenueOrderReport[]> {
    const exchange = this.requireExchange();
    const reports: VenueOrderReport[] = [];
    for (const symbol of this.instrumentList.map((i) => i.symbol)) {
      const market = this.requireMarket(symbol);
      for (const params of this.conditionalVariants()) {
        const orders = await this.read(`open orders ${symbol}`, () => exchange.fetchOpenOrders(symbol, undefined, undefined, params));
        for (const order of orders) reports.push(this.observed(orderReportOf(market, order)));
      }
    }
    return reports;
  }

  async fillReports(sinceMs: number): Promise<VenueFillReport[]> {
    const fills: VenueFillReport[] = [];
    for (const symbol of this.instrumentList.map((i) => i.symbol)) fills.push(...(await this.fetchFills(symbol, sinceMs)));
    return fills.sort((a, b) => a.timestamp - b.timestamp);
  }

  async positionReports(): Promise<VenuePositionReport[]> {
    const exchange = this.requireExchange();
    const symbols = this.instrumentList.map((i) => i.symbol);
    // Bybit takes one symbol or none: it is asked for all its USDT positions, and they are filtered here as for any venue.
    const positions = await this.read('positions', () => exchange.fetchPositions(this.options.exchange === 'bybit' ? undefined : symbols));
    const reports: VenuePositionReport[] = [];
    const margins = new Map<string, VenueMarginReport>();
    for (const position of positions) {
      const market = this.markets.get(position.symbol);
      if (!market) continue;
      const report = positionReportOf(market, position);
      if (report) reports.push(report);
      const margin = marginReportOf(market, position, this.now());
      if (margin) margins.set(market.symbol, margin);
    }
    this.margins.clear();
    for (const [symbol, margin] of margins) this.margins.set(symbol, margin);
    return reports;
  }

  positionMargin(symbol: string): VenueMarginReport | undefined {
    const margin = this.margins.get(symbol);
    return margin ? { ...margin } : undefined;
  }

  /**
   * Funding payments from `sinceMs` on, oldest first, from the exchange's
   * funding history (see `fundingHistory`). Unknown when the exchange cannot
   * say: the read fails rather than answering a shorter history.
   */
  async fundingReports(sinceMs: number): Promise<VenueFundingReport[]> {
    const exchange = this.requireExchange();
    if (!exchange.fetchFundingHistory) return [];
    const settle = EXCHANGES[this.options.exchange].settle;
    const { entries, truncated } = await walkFundingHistory(this.options.exchange, sinceMs, this.now(), ({ since, params }) =>
      this.read('funding history', () => exchange.fetchFundingHistory!(undefined, since, FUNDING_PAGE, params)),
    );
    if (truncated) this.options.logger.warn(`[${this.id}] the funding history since ${new Date(sinceMs).toISOString()} is longer than Keel reads at once; the rest is read by the next reconciliation`);
    const byId = new Map<string, VenueFundingReport>();
    for (const entry of entries) {
      const report = fundingReportOf(this.options.exchange, entry, settle);
      if (report && report.timestamp >= sinceMs) byId.set(report.fundingId, report);
    }
    return [...byId.values()].sort((a, b) => a.timestamp - b.timestamp || a.fundingId.localeCompare(b.fundingId));
  }

  async balanceReports(): Promise<Balance[]> {
    const exchange = this.requireExchange();
    const balance = await this.read('balance', () => exchange.fetchBalance());
    return Object.entries(balance.total ?? {})
      .filter(([, total]) => typeof total === 'number' && Number.isFinite(total))
      .map(([currency, total]) => ({ currency, total: Dec.fromNumber(total as number).toString() }));
  }

  /**
   * An order the engine learned about by asking (reconciliation at start-up,
   * an order placed in an earlier session, one adopted from the venue): from
   * now on its stream updates and fills are reported like those of an order
   * sent in this session. Its earlier fills are the reconciliation's business.
   */
  private observed(report: VenueOrderReport): VenueOrderReport {
    const working = report.status === 'open' || report.status === 'partially_filled';
    const known = this.tracker.get(report.clientOrderId);
    if (!known && !working) return report;
    const tracked = known ?? this.tracker.track(report.clientOrderId, report.symbol);
    if (tracked.venueOrderId === null && report.venueOrderId !== '') this.tracker.linkVenueId(tracked, report.venueOrderId);
    if (!known) {
      tracked.accepted = true;
      tracked.filled = Dec.parse(report.filledQuantity);
    }
    return report;
  }

  // ---- streams and polling -------------------------------------------------

  private startStreams(exchange: CcxtExchange): void {
    if (exchange.watchOrders) this.stream('orders', () => exchange.watchOrders!(), async (orders) => { for (const order of orders) await this.applyOrder(order); });
    else this.streamsDown.add('orders');
    if (exchange.watchMyTrades) this.stream('fills', () => exchange.watchMyTrades!(), async (trades) => { for (const trade of trades) await this.applyTrade(trade); });
    else this.streamsDown.add('fills');
    const symbols = this.instrumentList.map((i) => i.symbol);
    if (exchange.watchTickers) this.stream('tickers', () => exchange.watchTickers!(symbols), (tickers) => { for (const ticker of Object.values(tickers)) this.applyTicker(ticker); });
    else this.streamsDown.add('tickers');
    this.updateConnectivity();
  }

  /** Keeps one stream subscribed: each answer is handled in turn; a failure marks it down and it is retried after a pause. */
  private stream<T>(name: string, watch: () => Promise<T>, handle: (value: T) => void | Promise<void>): void {
    const loop = async () => {
      while (this.running) {
        let value: T;
        try {
          value = await watch();
          this.requestStats.heard();
        } catch (error) {
          if (!this.running) return;
          if (!this.streamsDown.has(name)) {
            this.streamsDown.add(name);
            this.options.logger.warn(`[${this.id}] ${name} stream down, polling instead: ${this.redactError(error)}`);
            this.updateConnectivity();
          }
          await this.sleep(this.timings.streamRetryMs);
          continue;
        }
        if (this.streamsDown.delete(name)) {
          this.updateConnectivity();
          // Whatever the stream missed while it was down is read back now.
          void this.pollOrdersAndFills();
        }
        try {
          await handle(value);
        } catch (error) {
          this.options.logger.error(`[${this.id}] handling a ${name} update failed: ${this.redactError(error)}`);
        }
      }
    };
    void loop();
  }

  /** The one poll timer: orders and fills at the fallback or safety cadence, tickers at theirs while their stream is down. */
  private pollTick(): void {
    if (!this.running || this.polling || this.authFailure) return;
    const now = this.options.clock.now();
    const privateDown = this.streamsDown.has('orders') || this.streamsDown.has('fills');
    const ordersDue = now - this.lastPollAt >= (privateDown ? this.timings.fallbackPollMs : this.timings.safetyPollMs);
    const tickersDue = this.streamsDown.has('tickers') && now - this.lastTickerPollAt >= this.timings.tickerPollMs;
    const positionsDue = this.timings.positionPollMs > 0 && now - this.lastPositionPollAt >= this.timings.positionPollMs;
    const fundingDue = this.timings.fundingPollMs > 0 && now - this.lastFundingPollAt >= this.timings.fundingPollMs;
    if (!ordersDue && !tickersDue && !positionsDue && !fundingDue) return;
    if (ordersDue) this.lastPollAt = now;
    if (tickersDue) this.lastTickerPollAt = now;
    if (positionsDue) this.lastPositionPollAt = now;
    if (fundingDue) this.lastFundingPollAt = now;
    this.polling = true;
    void (async () => {
      try {
        if (ordersDue) await this.pollOrdersAndFills();
        if (tickersDue) await this.refreshTickers();
        if (positionsDue) await this.positionReports();
        if (fundingDue) await this.pollFunding();
      } catch (error) {
        this.options.logger.warn(`[${this.id}] poll failed: ${this.redactError(error)}`);
      } finally {
        this.polling = false;
      }
    })();
  }

  /** Brings every order the adapter thinks is working up to date from REST, and reads new fills of their symbols. */
  private async pollOrdersAndFills(): Promise<void> {
    const exchange = this.exchange;
    if (!exchange || !this.running) return;
    const symbols = this.tracker.openSymbols();
    for (const symbol of symbols) {
      const since = this.fillCursor.get(symbol);
      for (const fill of await this.fetchFills(symbol, since ?? this.now() - this.timings.unknownOutcomeDeadlineMs * 2)) this.emitFill(fill);
      const open = new Set<string>();
      for (const params of this.conditionalVariants()) {
        for (const order of await this.read(`open orders ${symbol}`, () => exchange.fetchOpenOrders(symbol, undefined, undefined, params))) {
          open.add(clientIdOf(order) ?? '');
          await this.applyOrder(order);
        }
      }
      for (const tracked of this.tracker.open()) {
        if (tracked.symbol === symbol && tracked.accepted && !open.has(tracked.clientOrderId)) await this.settleFromReport(tracked.clientOrderId, symbol);
      }
    }
  }

  /**
   * Books the funding paid or received since the last poll: each payment is
   * emitted once per session (the engine keeps it once for good, by its id).
   */
  private async pollFunding(): Promise<void> {
    if (!this.running) return;
    const reports = await this.fundingReports(Math.max(this.fundingCursor - FUNDING_OVERLAP_MS, this.startedAt));
    for (const report of reports) {
      this.fundingCursor = Math.max(this.fundingCursor, report.timestamp);
      if (!this.tracker.firstSight(`funding|${report.fundingId}`)) continue;
      this.emit({ type: 'FundingSettled', ...report });
    }
  }

  private async refreshTickers(): Promise<void> {
    const exchange = this.requireExchange();
    const symbols = this.instrumentList.map((i) => i.symbol);
    const tickers = await this.read('tickers', () => exchange.fetchTickers(symbols));
    let quotes: Record<string, CcxtTicker> = {};
    if (exchange.fetchBidsAsks && exchange.has.fetchBidsAsks === true) {
      quotes = await this.read('bids and asks', () => exchange.fetchBidsAsks!(symbols)).catch(() => ({}));
    }
    for (const symbol of symbols) {
      const ticker = tickers[symbol];
      if (!ticker) continue;
      const quote = quotes[symbol];
      this.applyTicker({ ...ticker, bid: ticker.bid ?? quote?.bid ?? null, ask: ticker.ask ?? quote?.ask ?? null });
    }
  }

  private async refreshBook(symbol: string, depth: number): Promise<void> {
    const exchange = this.exchange;
    if (!exchange || !this.markets.has(symbol)) return;
    // The book is asked for on every screen refresh: the exchange is asked at most once a second per symbol.
    const now = this.now();
    if (now - (this.bookFetchedAt.get(symbol) ?? 0) < BOOK_REFRESH_MS) return;
    this.bookFetchedAt.set(symbol, now);
    try {
      const book = await this.read(`book ${symbol}`, () => exchange.fetchOrderBook(symbol, Math.min(Math.max(depth, 5), 100)));
      const market = this.requireMarket(symbol);
      const level = ([price, amount]: [number, number]): [string, string] => [Dec.fromNumber(price).toString(), toBase(market, amount).toString()];
      this.books.set(symbol, { venue: this.id, symbol, bids: book.bids.map(level), asks: book.asks.map(level), timestamp: book.timestamp ?? this.now() });
    } catch {
      // A book is a view, not a record: the next call asks again.
    }
  }

  private applyTicker(raw: CcxtTicker): void {
    if (!this.markets.has(raw.symbol)) return;
    const previous = this.tickers.get(raw.symbol);
    const ticker = tickerOf(this.id, { ...raw, bid: raw.bid ?? (previous ? Number(previous.bid) : null), ask: raw.ask ?? (previous ? Number(previous.ask) : null) }, this.now());
    this.tickers.set(raw.symbol, ticker);
    for (const listener of [...this.marketListeners]) listener({ type: 'ticker', ticker: { ...ticker } });
  }

  // ---- execution reports ---------------------------------------------------

  /** One order report, from wherever it came: accepted once, fills read when the filled quantity moved, the final state once. */
  private async applyOrder(order: CcxtOrder): Promise<void> {
    const market = this.markets.get(order.symbol);
    if (!market) return;
    const clientOrderId = clientIdOf(order) ?? this.tracker.clientIdForVenueId(String(order.id));
    if (!clientOrderId) return;
    const tracked = this.tracker.get(clientOrderId);
    // An order Keel did not place: reconciliation adopts it (with its history), not the stream.
    if (!tracked) return;
    this.accept(tracked, String(order.id));
    const status = reportStatus(order);
    const filled = toBase(market, order.filled);
    if (filled.gt(tracked.filled)) await this.syncFills(order.symbol);
    if (status === 'canceled' || status === 'expired' || status === 'rejected') {
      this.finish(tracked, status, `${status} by ${this.id}`);
    } else if (status === 'filled') {
      tracked.open = false;
    }
  }

  private async applyTrade(trade: CcxtTrade): Promise<void> {
    const market = this.markets.get(trade.symbol);
    if (!market) return;
    const clientOrderId = clientIdOf(trade) ?? (trade.order ? await this.clientIdOfVenueOrder(String(trade.order), trade.symbol) : null);
    if (!clientOrderId) return;
    this.emitFill(fillReportOf(market, trade, clientOrderId));
  }

  private emitFill(fill: VenueFillReport): void {
    this.fillCursor.set(fill.symbol, Math.max(this.fillCursor.get(fill.symbol) ?? 0, fill.timestamp));
    if (!this.tracker.firstSight(`${fill.symbol}|${fill.tradeId}`)) return;
    // The position changed: what the exchange said of its margin no longer holds until it is read again.
    this.margins.delete(fill.symbol);
    const tracked = this.tracker.get(fill.clientOrderId);
    if (tracked) {
      this.accept(tracked, fill.venueOrderId);
      tracked.filled = tracked.filled.add(Dec.parse(fill.quantity));
    }
    this.emit({ type: 'OrderFilled', ...fill });
  }

  /** Reads the order's own report and settles it from there; false when the venue has no record of it. */
  private async settleFromReport(clientOrderId: string, symbol: string): Promise<boolean> {
    const market = this.requireMarket(symbol);
    const order = await this.findOrder(clientOrderId, symbol);
    if (!order) return false;
    await this.applyOrder({ ...order, clientOrderId: clientIdOf(order) ?? clientOrderId, symbol: market.symbol });
    return true;
  }

  /**
   * The venue's record of an order, by its client id; undefined when it has none. Binance and OKX answer
   * fetchOrder by client id (Binance in both its books). Bybit's fetchOrder refuses unless "acknowledged"
   * and sees open orders only, so Bybit is asked for its open orders by orderLinkId, then its order history.
   */
  private async findOrder(clientOrderId: string, symbol: string): Promise<CcxtOrder | undefined> {
    const exchange = this.requireExchange();
    if (this.options.exchange === 'bybit') {
      const query = this.byClientId(clientOrderId);
      const lists = [() => exchange.fetchOpenOrders(symbol, undefined, undefined, query), () => exchange.fetchCanceledAndClosedOrders?.(symbol, undefined, undefined, query) ?? Promise.resolve([])];
      for (const list of lists) {
        const found = (await this.read(`order ${clientOrderId}`, list)).find((order) => clientIdOf(order) === clientOrderId);
        if (found) return found;
      }
      return undefined;
    }
    for (const params of this.conditionalVariants()) {
      try {
        return await this.read(`order ${clientOrderId}`, () => exchange.fetchOrder(undefined, symbol, { clientOrderId, ...params }));
      } catch (error) {
        if (!isAbsent(error, params)) throw error;
      }
    }
    return undefined;
  }

  /** Emits every fill of the symbol not yet emitted (called when a report shows more filled than the fills seen). */
  private async syncFills(symbol: string): Promise<void> {
    const since = this.fillCursor.get(symbol) ?? this.now() - this.timings.unknownOutcomeDeadlineMs * 2;
    for (const fill of await this.fetchFills(symbol, since)) this.emitFill(fill);
  }

  /** Fills of a symbol since a time, each with its client order id (asked of the venue for orders the adapter does not know). */
  private async fetchFills(symbol: string, sinceMs: number): Promise<VenueFillReport[]> {
    const exchange = this.requireExchange();
    const market = this.requireMarket(symbol);
    const fills: VenueFillReport[] = [];
    let since = Math.max(0, sinceMs - 1_000);
    const seen = new Set<string>();
    // Bybit lists at most 100 executions a page (and refuses a larger limit); OKX answers 100 a page when asked by time
    // (ccxt sends no limit with `since`: okx.js fetchMyTrades), so a full page of 100 means more; Binance is asked for 500.
    const pageSize = this.options.exchange === 'binanceusdm' ? 500 : 100;
    // Binance pages forward from `since` (oldest first); Bybit and OKX answer the newest page first, so they are paged
    // backward with `until` down to `since`. Either way every fill in the window is read, each once.
    const newestFirst = this.options.exchange !== 'binanceusdm';
    let until: number | undefined;
    for (let page = 0; page < 50; page++) {
      const params: Record<string, unknown> = until === undefined ? {} : { until };
      const trades = await this.read(`fills ${symbol}`, () => exchange.fetchMyTrades(symbol, since, pageSize, params));
      let added = 0;
      for (const trade of trades) {
        if (seen.has(trade.id)) continue;
        seen.add(trade.id);
        added += 1;
        const clientOrderId = clientIdOf(trade) ?? (trade.order ? await this.clientIdOfVenueOrder(String(trade.order), symbol) : null);
        fills.push(fillReportOf(market, trade, clientOrderId ?? `venue-${trade.order ?? trade.id}`));
      }
      if (trades.length < pageSize || added === 0) break;
      if (newestFirst) until = Math.min(...trades.map((t) => t.timestamp));
      else since = Math.max(...trades.map((t) => t.timestamp));
    }
    return fills.sort((a, b) => a.timestamp - b.timestamp || a.tradeId.localeCompare(b.tradeId));
  }

  private async clientIdOfVenueOrder(venueOrderId: string, symbol: string): Promise<string | null> {
    const known = this.tracker.clientIdForVenueId(venueOrderId);
    if (known) return known;
    const exchange = this.requireExchange();
    try {
      const order = await this.read(`order #${venueOrderId}`, () => exchange.fetchOrder(venueOrderId, symbol));
      const clientOrderId = clientIdOf(order);
      if (clientOrderId) this.tracker.linkVenueId(this.tracker.track(clientOrderId, symbol), venueOrderId);
      return clientOrderId;
    } catch {
      return null;
    }
  }

  private accept(tracked: TrackedOrder, venueOrderId: string): void {
    if (tracked.venueOrderId === null && venueOrderId !== '') this.tracker.linkVenueId(tracked, venueOrderId);
    if (tracked.accepted) return;
    tracked.accepted = true;
    this.emit({ type: 'OrderAccepted', clientOrderId: tracked.clientOrderId, venueOrderId: tracked.venueOrderId ?? venueOrderId, timestamp: this.now() });
  }

  private finish(tracked: TrackedOrder, status: 'canceled' | 'expired' | 'rejected', reason: string): void {
    tracked.open = false;
    if (tracked.final !== null) return;
    tracked.final = status;
    const timestamp = this.now();
    if (status === 'canceled') this.emit({ type: 'OrderCanceled', clientOrderId: tracked.clientOrderId, reason, timestamp });
    else if (status === 'expired') this.emit({ type: 'OrderExpired', clientOrderId: tracked.clientOrderId, reason, timestamp });
    else this.emit({ type: 'OrderRejected', clientOrderId: tracked.clientOrderId, reason, code: 'VENUE_REJECTED', timestamp });
  }

  private reject(tracked: TrackedOrder, code: Extract<ExecutionEvent, { type: 'OrderRejected' }>['code'], reason: string): void {
    tracked.open = false;
    tracked.final = 'rejected';
    this.emit({ type: 'OrderRejected', clientOrderId: tracked.clientOrderId, reason, code, timestamp: this.now() });
  }

  private emit(event: ExecutionEvent): void {
    for (const listener of [...this.executionListeners]) listener(event);
  }

  // ---- calls -----------------------------------------------------------------

  /** Its requests over the recent window, its rate-limit budget and when it was last heard from. */
  stats(): VenueStats {
    const gate = this.gate.current;
    return this.requestStats.read({ usage: gate.usage, limited: gate.blockedUntil > this.now() });
  }

  /** A read: retried after a transient failure or a rate limit; after a clock-skew refusal, resynced and retried. */
  private read<T>(what: string, run: () => Promise<T>): Promise<T> {
    return this.call(what, run, this.timings.readRetries);
  }

  /** A write: never retried, except once after a clock-skew refusal (which the venue refused before acting). */
  private write<T>(what: string, run: () => Promise<T>): Promise<T> {
    return this.call(what, run, 0);
  }

  private async call<T>(what: string, run: () => Promise<T>, retries: number): Promise<T> {
    let resynced = false;
    for (let attempt = 0; ; attempt++) {
      if (this.authFailure !== null) throw new VenueCallError({ kind: 'auth', reason: this.authFailure }, what);
      await this.gate.pass();
      const started = this.now();
      try {
        const result = await run();
        this.requestStats.request(this.now() - started, true);
        this.reachable();
        return result;
      } catch (error) {
        const failure = classifyFailure(error, this.options.redact);
        // A refusal or "no such order" is the exchange answering: only a call that got no proper answer counts against the venue's health.
        this.requestStats.request(this.now() - started, failure.kind === 'refused' || failure.kind === 'not-found');
        if (failure.kind === 'clock-skew' && !resynced) {
          resynced = true;
          await this.resyncClock(failure.reason);
          attempt -= 1;
          continue;
        }
        if (failure.kind === 'auth') this.keyRefused(failure.reason);
        // The response's own Retry-After already closed the gate; without one (Bybit's 10006 and 403), a default pause,
        // said as a rate limit whatever words the exchange used.
        if (failure.kind === 'rate-limited' && this.gate.current.blockedUntil <= this.now()) {
          const pauseMs = failure.banned ? 120_000 : 5_000;
          this.gate.backOff(pauseMs, failure.banned, `${failure.banned ? 'banned' : 'rate limited'}: waiting ${pauseMs / 1000} s (${failure.reason})`);
        }
        if (failure.kind === 'unknown') this.unreachable(failure.reason, retries > 0);
        if ((failure.kind === 'unknown' || failure.kind === 'rate-limited') && attempt < retries && !this.stopped) {
          await this.sleep(Math.min(4_000, 250 * 2 ** attempt));
          continue;
        }
        throw new VenueCallError(failure, what);
      }
    }
  }

  private async resyncClock(reason: string): Promise<void> {
    const exchange = this.requireExchange();
    this.options.logger.warn(`[${this.id}] the venue refused our timestamp (${reason}); resyncing the clock and retrying once`);
    try {
      await exchange.loadTimeDifference();
    } catch (error) {
      this.options.logger.warn(`[${this.id}] resyncing the clock failed: ${this.redactError(error)}`);
    }
  }

  private keyRefused(reason: string): void {
    if (this.authFailure !== null) return;
    this.authFailure = `the exchange refused the API key (${reason}); enter the key again in Settings → Exchanges`;
    this.options.logger.error(`[${this.id}] ${this.authFailure}`);
    this.running = false;
    this.setConnectivity('disconnected', this.authFailure);
  }

  private unreachable(reason: string, isRead: boolean): void {
    if (!isRead) return;
    this.failedReads += 1;
    if (this.failedReads >= UNREACHABLE_AFTER) this.setConnectivity('disconnected', `${this.id} is not answering: ${reason}`);
  }

  private reachable(): void {
    this.failedReads = 0;
    if (this.connectivity === 'disconnected' && this.authFailure === null) this.updateConnectivity(true);
  }

  private updateConnectivity(force = false): void {
    if (this.authFailure !== null) return;
    if (this.connectivity === 'disconnected' && !force) return;
    const gate = this.gate.current;
    if (gate.reason !== null) return this.setConnectivity('degraded', gate.reason);
    if (this.streamsDown.size > 0) return this.setConnectivity('degraded', `${[...this.streamsDown].sort().join(', ')} by polling (stream down)`);
    this.setConnectivity('connected', null);
  }

  private setConnectivity(state: VenueConnectivity, reason: string | null): void {
    if (state === this.connectivity && state !== 'degraded') return;
    this.connectivity = state;
    for (const listener of [...this.connectivityListeners]) listener(state, reason);
  }

  /** An order named by its client id in a request: ccxt passes `clientOrderId` on for Binance and OKX, Bybit wants its own `orderLinkId`. */
  private byClientId(clientOrderId: string): Record<string, unknown> {
    return this.options.exchange === 'bybit' ? { orderLinkId: clientOrderId } : { clientOrderId };
  }

  /**
   * Binance keeps conditional (algo) orders apart from the others, and OKX
   * its algo orders, by type (conditional stops and take-profits, trailing
   * stops): queries and cancels ask every book. Bybit lists its conditional
   * orders with the others.
   */
  private conditionalVariants(): Array<Record<string, unknown>> {
    if (this.options.exchange === 'binanceusdm') return [{}, { trigger: true }];
    if (this.options.exchange === 'okx') return [{}, { trigger: true, ordType: 'conditional' }, { trigger: true, ordType: 'move_order_stop' }];
    return [{}];
  }

  private requireExchange(): CcxtExchange {
    if (!this.exchange) throw new VenueCallError({ kind: 'unknown', reason: `${this.id} is not started` }, 'venue');
    return this.exchange;
  }

  private requireMarket(symbol: string): CcxtMarket {
    const market = this.markets.get(symbol);
    if (!market) throw new VenueCallError({ kind: 'refused', code: 'VENUE_REJECTED', reason: `${symbol} is not traded on ${this.id}` }, 'venue');
    return market;
  }

  private redactError(error: unknown): string {
    return this.options.redact(error instanceof Error ? error.message : String(error));
  }

  private now(): number {
    return this.options.clock.now();
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => this.options.clock.after(ms, resolve));
  }
}

/**
 * ccxt keeps a user-data stream's listen key alive with a timer it set
 * itself (Binance: a signed PUT every 20 minutes) and cannot be told to stop;
 * closing the connections leaves it set. Its keep-alive sends nothing for a
 * listen key it no longer holds, so a stopped venue forgets its keys: no
 * signed request leaves Keel after the trader stopped or removed the venue.
 */
function forgetListenKeys(exchange: CcxtExchange): void {
  const options = (exchange as unknown as { options?: Record<string, unknown> }).options;
  if (!options) return;
  for (const [name, value] of Object.entries(options)) {
    if (typeof value === 'object' && value !== null && 'listenKey' in value) options[name] = { ...value, listenKey: undefined, lastAuthenticatedTime: 0 };
  }
}
