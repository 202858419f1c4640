/**
 * The trade journal and performance analytics behind the contract's
 * `analytics.*`, `journal.*` and `export.*` methods. It keeps the round trip
 * book up to date with the journal's fills (incrementally; from scratch when
 * a fill arrives older than one already applied), dresses each round trip
 * with who traded, the model, the regime at entry, the stop that defined its
 * risk and the trader's notes, and computes a scope's figures and equity.
 *
 * Capital. A venue's starting capital is its cash balance now less what its
 * fills have realized since (the ledger's realized PnL and fees recorded on
 * each fill) and the funding it was paid. A range's starting equity is that
 * capital plus what the account (or the venue, for a venue scope) had made
 * by `from`, marked to market then. A scope narrower than a venue (a
 * strategy, a symbol, a regime, manual trading) is measured against the
 * whole account's equity, so its returns are its contribution to the
 * account. A balance set by hand (a paper reset, a reconciled balance) is
 * not trading and is not in the curve: it moves the starting capital.
 */
import type {
  AnalyticsEquity,
  AnalyticsParams,
  AnalyticsScope,
  AnalyticsSummary,
  AnnotateTradeParams,
  ExportCsvParams,
  ExportFile,
  RoundTripView,
  TradeFilters,
} from '../../shared/contract/analytics';
import { MAX_EXPORT_CHARS } from '../../shared/contract/analytics';
import type { RegimeLabelName } from '../../shared/contract/ml';
import { Dec } from '../../shared/decimal';
import { TIMEFRAME_MS, type Fill, type Order, type Timeframe } from '../../shared/domain';
import { KeelError, errorText } from '../../shared/errors';
import type { Bar } from '../core/candles';
import { decodeCursor, encodeCursor } from '../core/pageCursor';
import { classifyRegimes } from '../ml/regime/regimeClassifier';
import { REGIME_HISTORY_BARS } from '../ml/regime/regimeView';
import { fillsCsv, taxLotsCsv, tradesCsv } from './csvExport';
import { buildEquityCurve, drawdowns, pnlAt, utcDay, type CurveFunding, type CurveLeg, type CurvePoint, type EquityCurve } from './equityCurve';
import { lotFillOf } from './fifoLots';
import { renderReport } from './htmlReport';
import { MarkHistory } from './markHistory';
import { bucketFigures, computeFigures, dailyResults, returnHistogram, tripReturnPct, type TripOutcome } from './performance';
import { NO_FUNDING, NO_SIGNALS, type AccountPort, type FundingSource, type SignalSource, type TradeAnnotation, type TradeJournalStore } from './ports';
import { averageEntry, averageExit, RoundTripBook, type RoundTrip } from './roundTripBook';

/** The bars marks and regimes are read from. */
export const ANALYTICS_TIMEFRAME: Timeframe = '1h';
/** How long a venue's bars are reused before they are read again. */
const BARS_TTL_MS = 5 * 60_000;
/** Fills read from the journal per query while catching up. */
const FILL_PAGE = 5_000;
/** Most equity points one answer carries; beyond it each day keeps its close, high and low. */
export const MAX_EQUITY_POINTS = 10_000;
const DEFAULT_TRADES_LIMIT = 500;

export interface AnalyticsServiceOptions {
  store: TradeJournalStore;
  account: AccountPort;
  now: () => number;
  funding?: FundingSource;
  signals?: SignalSource;
  log?: { warn(message: string, error?: unknown): void };
}

/** A scope's data for a range: its round trips and legs, the marks, the starting equity. */
interface ScopedData {
  scope: AnalyticsScope;
  from: number;
  to: number;
  /** The range runs until now: its last point is valued at the venues' current marks. */
  endsNow: boolean;
  currency: string;
  trips: RoundTrip[];
  legs: CurveLeg[];
  funding: CurveFunding[];
  marks: MarkHistory;
  startEquity: Dec;
}

function zero(): Dec {
  return Dec.ZERO;
}

interface TripRisk {
  stopPrice: Dec | null;
  initialRisk: Dec | null;
  rMultiple: number | null;
}

export class AnalyticsService {
  private book = new RoundTripBook();
  /** Every fill applied, in the order applied. */
  private fills: Array<{ row: number; fill: Fill }> = [];
  private lastRow = 0;
  private readonly bars = new Map<string, { fetchedAt: number; bars: Bar[] }>();
  /** Regimes read but not kept (none could be given); read again with fresh bars. */
  private readonly unlabelled = new Map<string, number>();
  private readonly funding: FundingSource;
  private readonly signals: SignalSource;
  /** Read once from the store, then kept in step with every write (this service is their only writer). */
  private notes: Map<string, TradeAnnotation> | null = null;
  private regimes: Map<string, RegimeLabelName> | null = null;
  /** Who sent an order never changes: read once per order. */
  private readonly orders = new Map<string, Order | null>();
  /** A closed round trip's stop and risk never change. */
  private readonly closedRisk = new Map<string, TripRisk>();

  constructor(private readonly options: AnalyticsServiceOptions) {
    this.funding = options.funding ?? NO_FUNDING;
    this.signals = options.signals ?? NO_SIGNALS;
  }

  // ---------------------------------------------------------------------------
  // The contract's methods

  async summary(params: AnalyticsParams): Promise<AnalyticsSummary> {
    const data = await this.scoped(params.scope, params.from, params.to);
    const curve = this.curve(data);
    const { closed, openTrades } = this.outcomes(data);
    return {
      scope: data.scope,
      from: data.from,
      to: data.to,
      currency: data.currency,
      figures: computeFigures({ closed, openTrades, curve, startEquity: data.startEquity }),
      byDayOfWeek: bucketFigures(closed, 'dayOfWeek'),
      byHour: bucketFigures(closed, 'hour'),
      returnDistribution: returnHistogram(closed.map(tripReturnPct)),
    };
  }

  async equity(params: AnalyticsParams): Promise<AnalyticsEquity> {
    const data = await this.scoped(params.scope, params.from, params.to);
    const curve = this.curve(data);
    const { closed } = this.outcomes(data);
    const dd = drawdowns(curve.points);
    const keep = thin(curve.points, MAX_EQUITY_POINTS);
    return {
      scope: data.scope,
      from: data.from,
      to: data.to,
      currency: data.currency,
      startEquity: data.startEquity.toString(),
      points: keep.map((i) => {
        const p = curve.points[i]!;
        return { time: p.time, equity: p.equity.toString(), pnl: p.pnl.toString(), drawdown: dd[i]!.drawdown.toString(), drawdownPct: dd[i]!.drawdownPct };
      }),
      thinned: keep.length < curve.points.length,
      daily: dailyResults(curve, data.startEquity, closed),
    };
  }

  async trades(filters: TradeFilters = {}): Promise<{ trades: RoundTripView[]; nextCursor: string | null }> {
    this.sync();
    const now = this.options.now();
    const to = Math.min(filters.to ?? now, now);
    const from = filters.from ?? Number.NEGATIVE_INFINITY;
    const status = filters.status ?? 'all';
    const all = this.book.trips();
    await this.ensureRegimes(all);
    const annotations = this.annotations();
    const tag = filters.tag?.toLowerCase();
    const scope = filters.scope ?? { kind: 'account' };
    const [cursorTime = Number.POSITIVE_INFINITY, cursorOrdinal = Number.POSITIVE_INFINITY] = filters.cursor === undefined ? [] : decodeCursor(filters.cursor, 2);
    const limit = filters.limit ?? DEFAULT_TRADES_LIMIT;
    const picked: Array<{ trip: RoundTrip; ordinal: number }> = [];
    for (let ordinal = all.length - 1; ordinal >= 0; ordinal--) {
      const trip = all[ordinal]!;
      const closedInRange = trip.closedAt !== null && trip.closedAt > from && trip.closedAt <= to;
      const openInRange = (trip.closedAt === null || trip.closedAt > to) && trip.openedAt <= to;
      if (status === 'closed' && !closedInRange) continue;
      if (status === 'open' && !openInRange) continue;
      if (status === 'all' && !closedInRange && !openInRange) continue;
      if (!this.inScope(trip, scope)) continue;
      if (tag !== undefined && !(annotations.get(trip.id)?.tags ?? []).some((t) => t.toLowerCase() === tag)) continue;
      const after = trip.openedAt < cursorTime || (trip.openedAt === cursorTime && ordinal < cursorOrdinal);
      if (!after) continue;
      picked.push({ trip, ordinal });
    }
    picked.sort((a, b) => b.trip.openedAt - a.trip.openedAt || b.ordinal - a.ordinal);
    const page = picked.slice(0, limit);
    const last = page[page.length - 1];
    return {
      trades: page.map(({ trip }) => this.view(trip, now)),
      nextCursor: picked.length > limit && last ? encodeCursor([last.trip.openedAt, last.ordinal]) : null,
    };
  }

  async annotate(params: AnnotateTradeParams): Promise<RoundTripView> {
    this.sync();
    const trip = this.book.trips().find((t) => t.id === params.tradeId);
    if (!trip) throw new KeelError('NOT_FOUND', `There is no round trip ${params.tradeId} in the trade journal.`, { tradeId: params.tradeId });
    const current = this.annotations().get(trip.id);
    const tags: string[] = [];
    for (const t of params.tags ?? current?.tags ?? []) if (!tags.some((x) => x.toLowerCase() === t.toLowerCase())) tags.push(t);
    const annotation = { note: params.note ?? current?.note ?? '', tags, updatedAt: this.options.now() };
    this.options.store.saveAnnotation(trip.id, annotation);
    if (annotation.note === '' && tags.length === 0) this.annotations().delete(trip.id);
    else this.annotations().set(trip.id, annotation);
    await this.ensureRegimes([trip]);
    return this.view(trip, this.options.now());
  }

  async exportCsv(params: ExportCsvParams): Promise<ExportFile> {
    return bounded(await this.buildCsv(params));
  }

  private async buildCsv(params: ExportCsvParams): Promise<ExportFile> {
    this.sync();
    const now = this.options.now();
    const from = params.from ?? Number.NEGATIVE_INFINITY;
    const to = Math.min(params.to ?? now, now);
    const format = params.format ?? 'keel';
    const inRange = (time: number) => time > from && time <= to;
    const currencyOf = (venue: string) => this.currencyOf(venue);
    const stamp = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
    const name = (kind: string) => `keel-${kind}${format === 'keel' ? '' : `-${format}`}-${stamp}.csv`;
    const instrumentOf = (venue: string, symbol: string) => this.options.store.instrument(venue, symbol);
    if (params.kind === 'fills') {
      const fills = this.fills.map((f) => f.fill).filter((f) => inRange(f.timestamp)).sort((a, b) => a.timestamp - b.timestamp);
      const { content, rows } = fillsCsv(fills, format, { instrumentOf, currencyOf });
      return { filename: name('fills'), mimeType: 'text/csv', content, rows };
    }
    const closed = this.book.trips().filter((t) => t.closedAt !== null);
    if (params.kind === 'trades') {
      const trips = closed.filter((t) => inRange(t.closedAt!)).sort((a, b) => a.closedAt! - b.closedAt!);
      await this.ensureRegimes(trips);
      const { content, rows } = tradesCsv(trips.map((t) => this.view(t, now)), format);
      return { filename: name('trades'), mimeType: 'text/csv', content, rows };
    }
    const lots = this.book
      .trips()
      .flatMap((t) => t.lots)
      .filter((l) => inRange(l.closedAt))
      .sort((a, b) => a.closedAt - b.closedAt);
    const { content, rows } = taxLotsCsv(lots, format, { instrumentOf, currencyOf });
    return { filename: name('tax-lots'), mimeType: 'text/csv', content, rows };
  }

  async report(params: AnalyticsParams): Promise<ExportFile> {
    const [summary, equity] = await Promise.all([this.summary(params), this.equity(params)]);
    const { trades } = await this.trades({ scope: params.scope, from: summary.from, to: summary.to, status: 'closed', limit: 10_000 });
    const now = this.options.now();
    const content = renderReport({ summary, equity, trades, generatedAt: now });
    const stamp = new Date(now).toISOString().slice(0, 10).replaceAll('-', '');
    return bounded({ filename: `keel-report-${stamp}.html`, mimeType: 'text/html', content, rows: trades.length });
  }

  // ---------------------------------------------------------------------------
  // Keeping the book up to date

  /** Applies the fills recorded since the last call; rebuilds the book when one is older than what it already holds. */
  private sync(): void {
    const fresh: Array<{ row: number; fill: Fill }> = [];
    for (;;) {
      const page = this.options.store.fillsAfter(this.lastRow, FILL_PAGE);
      if (page.length === 0) break;
      fresh.push(...page);
      this.lastRow = page[page.length - 1]!.row;
    }
    if (fresh.length === 0) return;
    fresh.sort(byTime);
    try {
      for (const f of fresh) this.book.apply(lotFillOf(f.fill));
      this.fills.push(...fresh);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      // A fill older than one already applied (a missed fill recovered later): FIFO must be replayed in time order.
      this.fills = [...this.fills, ...fresh].sort(byTime);
      this.book = new RoundTripBook();
      this.closedRisk.clear();
      for (const f of this.fills) this.book.apply(lotFillOf(f.fill));
    }
  }

  // ---------------------------------------------------------------------------
  // Scopes

  private inScope(trip: RoundTrip, scope: AnalyticsScope): boolean {
    switch (scope.kind) {
      case 'account':
        return true;
      case 'venue':
        return trip.venue === scope.venue;
      case 'symbol':
        return trip.symbol === scope.symbol && (scope.venue === undefined || trip.venue === scope.venue);
      case 'strategy': {
        const order = this.order(trip.openingOrderId);
        return order?.source === 'strategy' && order.sourceId === scope.strategyId;
      }
      case 'manual':
        return this.order(trip.openingOrderId)?.source === 'manual';
      case 'regime':
        return this.regimeOf(trip) === scope.regime;
    }
  }

  private async scoped(scope: AnalyticsScope, fromParam: number | undefined, toParam: number | undefined): Promise<ScopedData> {
    this.sync();
    const now = this.options.now();
    const all = this.book.trips();
    if (scope.kind === 'regime') await this.ensureRegimes(all);
    const trips = all.filter((t) => this.inScope(t, scope));
    const legsOf = (list: readonly RoundTrip[]) => list.flatMap(legsOfTrip).sort((a, b) => a.time - b.time);
    const legs = legsOf(trips);
    const payments = this.funding.payments();
    const funding = payments.filter((p) => trips.some((t) => fundingBelongs(t, p)));

    const to = Math.min(toParam ?? now, now);
    const from = fromParam ?? (legs.length > 0 ? legs[0]!.time - 1 : to - 1);
    if (from >= to) throw new KeelError('VALIDATION_FAILED', 'The range starts after it ends (or after now): choose an earlier "from".', { from, to });

    // The capital the scope is measured against: one venue's, or the account's (in one currency).
    const venues = scope.kind === 'venue' ? [scope.venue] : this.accountVenues();
    const currencies = new Set(venues.map((v) => this.currencyOf(v)));
    if (scope.kind !== 'venue' && currencies.size > 1) {
      const listed = venues.map((v) => `${v} (${this.currencyOf(v)})`).join(', ');
      throw new KeelError('VALIDATION_FAILED', `The account's venues settle in different currencies (${listed}): choose one venue.`, { venues });
    }
    const currency = [...currencies][0] ?? 'USDT';
    const capitalTrips = scope.kind === 'venue' ? all.filter((t) => t.venue === scope.venue) : all;
    const marks = await this.marks(new Set([...capitalTrips].map((t) => `${t.venue}\u0000${t.symbol}`)));
    const markAt = (v: string, s: string, t: number) => marks.markAt(v, s, t);
    const capitalFunding = payments.filter((p) => venues.includes(p.venue));
    const startEquity = this.capital(venues, payments).add(pnlAt(legsOf(capitalTrips), capitalFunding, markAt, from));
    return { scope, from, to, endsNow: to === now, currency, trips, legs, funding, marks, startEquity };
  }

  private curve(data: ScopedData): EquityCurve {
    return buildEquityCurve({
      legs: data.legs,
      funding: data.funding,
      markAt: (v, s, t) => data.marks.markAt(v, s, t),
      ...(data.endsNow ? { endMarkAt: (v: string, s: string) => this.options.account.currentMark(v, s) } : {}),
      startEquity: data.startEquity,
      from: data.from,
      to: data.to,
    });
  }

  private outcomes(data: ScopedData): { closed: TripOutcome[]; openTrades: number } {
    const payments = this.funding.payments();
    const closed = data.trips
      .filter((t) => t.closedAt !== null && t.closedAt > data.from && t.closedAt <= data.to)
      .map((t) => ({
        openedAt: t.openedAt,
        closedAt: t.closedAt,
        netPnl: t.grossPnl.sub(t.fees).add(fundingOf(t, payments)),
        entryValue: t.entryValue,
        rMultiple: this.risk(t, data.to).rMultiple,
      }));
    const openTrades = data.trips.filter((t) => t.openedAt <= data.to && (t.closedAt === null || t.closedAt > data.to)).length;
    return { closed, openTrades };
  }

  /** Venues with books: those running and those that traded. */
  private accountVenues(): string[] {
    return [...new Set([...this.options.account.venues(), ...this.fills.map((f) => f.fill.venue)])].sort();
  }

  private currencyOf(venue: string): string {
    return this.options.account.balance(venue)?.currency ?? this.fills.find((f) => f.fill.venue === venue)?.fill.feeCurrency ?? 'USDT';
  }

  /** Σ over venues of cash now − what their fills realized (net of fees) − funding: the capital before the first fill. */
  private capital(venues: readonly string[], payments: ReturnType<FundingSource['payments']>): Dec {
    let total = Dec.ZERO;
    for (const venue of venues) {
      const booked = this.options.account.balance(venue);
      if (!booked) continue;
      total = total.add(booked.balance);
    }
    for (const { fill } of this.fills) {
      if (venues.includes(fill.venue)) total = total.sub(Dec.parse(fill.realizedPnl)).add(Dec.parse(fill.fee));
    }
    for (const p of payments) if (venues.includes(p.venue)) total = total.sub(p.amount);
    return total;
  }

  // ---------------------------------------------------------------------------
  // Market data: marks and regimes

  private async barsOf(venue: string, symbol: string): Promise<Bar[] | null> {
    const key = `${venue}\u0000${symbol}`;
    const now = this.options.now();
    const cached = this.bars.get(key);
    if (cached && now - cached.fetchedAt < BARS_TTL_MS) return cached.bars;
    try {
      const period = TIMEFRAME_MS[ANALYTICS_TIMEFRAME];
      // Closed bars only: the one still forming has no close yet.
      const bars = (await this.options.account.candles(venue, symbol, ANALYTICS_TIMEFRAME, REGIME_HISTORY_BARS)).filter((b) => b.time + period <= now);
      this.bars.set(key, { fetchedAt: now, bars });
      return bars;
    } catch (error) {
      // A venue that is down or gone gives no bars: marks fall back on fills, regimes stay unknown.
      this.options.log?.warn(`[analytics] no ${ANALYTICS_TIMEFRAME} bars for ${symbol} on ${venue}: ${errorText(error)}`);
      return null;
    }
  }

  private async marks(instruments: ReadonlySet<string>): Promise<MarkHistory> {
    const marks = new MarkHistory();
    const period = TIMEFRAME_MS[ANALYTICS_TIMEFRAME];
    await Promise.all(
      [...instruments].map(async (key) => {
        const [venue, symbol] = key.split('\u0000') as [string, string];
        const bars = await this.barsOf(venue, symbol);
        marks.add(venue, symbol, (bars ?? []).map((b) => ({ time: b.time + period - 1, price: Dec.fromNumber(b.close) })));
        marks.add(
          venue,
          symbol,
          this.fills.filter((f) => f.fill.venue === venue && f.fill.symbol === symbol).map((f) => ({ time: f.fill.timestamp, price: Dec.parse(f.fill.price) })),
        );
      }),
    );
    return marks;
  }

  private regimeOf(trip: RoundTrip): RegimeLabelName | null {
    return this.keptRegimes().get(trip.id) ?? null;
  }

  private keptRegimes(): Map<string, RegimeLabelName> {
    this.regimes ??= this.options.store.regimes();
    return this.regimes;
  }

  private annotations(): Map<string, TradeAnnotation> {
    this.notes ??= this.options.store.annotations();
    return this.notes;
  }

  private order(orderId: string): Order | undefined {
    let order = this.orders.get(orderId);
    if (order === undefined) {
      order = this.options.store.order(orderId) ?? null;
      this.orders.set(orderId, order);
    }
    return order ?? undefined;
  }

  /**
   * Reads the regime at entry of round trips that have none kept yet: the
   * label of the last 1h bar closed by the time it opened, from the
   * classifier run over the venue's stored bars. A label once read is kept.
   */
  private async ensureRegimes(trips: readonly RoundTrip[]): Promise<void> {
    const kept = this.keptRegimes();
    const now = this.options.now();
    const wanted = trips.filter((t) => !kept.has(t.id) && (this.unlabelled.get(t.id) ?? -Infinity) < now - BARS_TTL_MS);
    const byInstrument = new Map<string, RoundTrip[]>();
    for (const t of wanted) {
      const key = `${t.venue}\u0000${t.symbol}`;
      byInstrument.set(key, [...(byInstrument.get(key) ?? []), t]);
    }
    const period = TIMEFRAME_MS[ANALYTICS_TIMEFRAME];
    await Promise.all(
      [...byInstrument].map(async ([key, list]) => {
        const [venue, symbol] = key.split('\u0000') as [string, string];
        const bars = await this.barsOf(venue, symbol);
        if (bars === null) return;
        const labels = classifyRegimes(bars);
        for (const trip of list) {
          let index = -1;
          for (let i = bars.length - 1; i >= 0; i--) {
            if (bars[i]!.time + period <= trip.openedAt) {
              index = i;
              break;
            }
          }
          const label = index >= 0 ? labels[index]! : null;
          if (label === null) this.unlabelled.set(trip.id, now);
          else {
            this.options.store.saveRegime(trip.id, ANALYTICS_TIMEFRAME, label);
            kept.set(trip.id, label);
          }
        }
      }),
    );
  }

  // ---------------------------------------------------------------------------
  // A round trip as the contract shows it

  /** The first reduce-only stop on the closing side placed while the trip was open, and the risk it defined. */
  private risk(trip: RoundTrip, until: number): TripRisk {
    const known = this.closedRisk.get(trip.id);
    if (known && trip.closedAt !== null) return known;
    const risk = this.readRisk(trip, until);
    if (trip.closedAt !== null) this.closedRisk.set(trip.id, risk);
    return risk;
  }

  private readRisk(trip: RoundTrip, until: number): TripRisk {
    const closingSide = trip.side === 'long' ? 'sell' : 'buy';
    const stop = this.options.store
      .protectiveStops(trip.venue, trip.symbol, trip.openedAt, trip.closedAt ?? until)
      .find((o) => o.side === closingSide);
    if (!stop?.stopPrice) return { stopPrice: null, initialRisk: null, rMultiple: null };
    const stopPrice = Dec.parse(stop.stopPrice);
    const entry = averageEntry(trip);
    const perUnit = trip.side === 'long' ? entry.sub(stopPrice) : stopPrice.sub(entry);
    if (!perUnit.isPositive()) return { stopPrice, initialRisk: null, rMultiple: null };
    const initialRisk = perUnit.mul(trip.entryQuantity);
    const net = trip.grossPnl.sub(trip.fees).add(fundingOf(trip, this.funding.payments()));
    return { stopPrice, initialRisk, rMultiple: trip.closedAt === null ? null : net.div(initialRisk).toNumber() };
  }

  private view(trip: RoundTrip, now: number): RoundTripView {
    const order = this.order(trip.openingOrderId);
    const annotation = this.annotations().get(trip.id);
    const funding = fundingOf(trip, this.funding.payments());
    const net = trip.grossPnl.sub(trip.fees).add(funding);
    const { stopPrice, initialRisk, rMultiple } = this.risk(trip, now);
    let unrealized: Dec | null = null;
    if (trip.closedAt === null) {
      const mark = this.options.account.currentMark(trip.venue, trip.symbol);
      if (mark) {
        const released = Dec.sum(trip.lots.map((l) => l.openPrice.mul(l.quantity)));
        const openCost = trip.entryValue.sub(released);
        const value = trip.openQuantity.abs().mul(mark);
        unrealized = trip.side === 'long' ? value.sub(openCost) : openCost.sub(value);
      }
    }
    const exit = averageExit(trip);
    return {
      id: trip.id,
      venue: trip.venue,
      symbol: trip.symbol,
      side: trip.side,
      status: trip.closedAt === null ? 'open' : 'closed',
      currency: this.currencyOf(trip.venue),
      openedAt: trip.openedAt,
      closedAt: trip.closedAt,
      durationMs: trip.closedAt === null ? null : trip.closedAt - trip.openedAt,
      quantity: trip.entryQuantity.toString(),
      peakQuantity: trip.peakQuantity.toString(),
      openQuantity: trip.openQuantity.abs().toString(),
      entryPrice: averageEntry(trip).toString(),
      exitPrice: exit?.toString() ?? null,
      grossPnl: trip.grossPnl.toString(),
      fees: trip.fees.toString(),
      funding: funding.toString(),
      netPnl: net.toString(),
      unrealizedPnl: unrealized?.toString() ?? null,
      returnPct: trip.closedAt === null ? null : net.div(trip.entryValue).toNumber() * 100,
      source: order?.source ?? 'external',
      sourceId: order?.sourceId ?? null,
      model: this.signals.modelOf(trip.openingOrderId),
      regime: this.regimeOf(trip),
      stopPrice: stopPrice?.toString() ?? null,
      initialRisk: initialRisk?.toString() ?? null,
      rMultiple,
      fills: new Set(trip.legs.map((l) => l.tradeId)).size,
      note: annotation?.note ?? '',
      tags: annotation?.tags ?? [],
    };
  }
}

/** A file too large for one message is refused with what to do, not sent to break the connection. */
export function bounded(file: ExportFile): ExportFile {
  if (file.content.length <= MAX_EXPORT_CHARS) return file;
  const mb = (n: number) => (n / (1024 * 1024)).toFixed(1);
  throw new KeelError(
    'VALIDATION_FAILED',
    `${file.filename} would be ${mb(file.content.length)} MB, more than the ${mb(MAX_EXPORT_CHARS)} MB one export carries: choose a shorter date range.`,
    { rows: file.rows },
  );
}

function byTime(a: { row: number; fill: Fill }, b: { row: number; fill: Fill }): number {
  return a.fill.timestamp - b.fill.timestamp || a.row - b.row;
}

function legsOfTrip(trip: RoundTrip): CurveLeg[] {
  return trip.legs.map((l) => ({ venue: trip.venue, symbol: trip.symbol, time: l.time, signedQuantity: l.signedQuantity, price: l.price, fee: l.fee }));
}

/** A payment belongs to the round trip open on its instrument when it was booked. */
function fundingBelongs(trip: RoundTrip, p: CurveFunding): boolean {
  return p.venue === trip.venue && p.symbol === trip.symbol && p.time > trip.openedAt && (trip.closedAt === null || p.time <= trip.closedAt);
}

function fundingOf(trip: RoundTrip, payments: readonly CurveFunding[]): Dec {
  let total = zero();
  for (const p of payments) if (fundingBelongs(trip, p)) total = total.add(p.amount);
  return total;
}

/**
 * Which points of a long curve to send: all of them when they fit; else the
 * first and last, every day's close, and each day's highest and lowest
 * point, so the drawn curve keeps its extremes.
 */
export function thin(points: readonly CurvePoint[], max: number): number[] {
  if (points.length <= max) return points.map((_, i) => i);
  const keep = new Set<number>([0, points.length - 1]);
  const days = new Map<number, { hi: number; lo: number }>();
  points.forEach((p, i) => {
    if (p.dayClose) keep.add(i);
    const day = utcDay(p.time);
    const d = days.get(day);
    if (!d) days.set(day, { hi: i, lo: i });
    else {
      if (p.equity.gt(points[d.hi]!.equity)) d.hi = i;
      if (p.equity.lt(points[d.lo]!.equity)) d.lo = i;
    }
  });
  for (const d of days.values()) {
    keep.add(d.hi);
    keep.add(d.lo);
  }
  return [...keep].sort((a, b) => a - b);
}
