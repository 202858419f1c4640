/**
 * The parity report of a strategy instance that ran on paper or live:
 * collects its orders and fills over a period, replays the same bars (the
 * period and the warm-up before it) through the backtest kernel with its
 * parameters and the venue's fill model, pairs the decisions one to one
 * and classifies every difference (matchDecisions.ts), and measures the
 * tracking error over the round trips (trackingError.ts). Computed on
 * demand; nothing is stored. The replay runs where the `replay` port runs
 * it: the app hands it to the backtest workers, off the main thread.
 *
 * The period: decisions on bars that closed after `from` and by `to`;
 * by default from the instance's first start to now (or to when it last
 * stopped deciding). The replay starts with the balance the venue's account
 * had at `from` as far as the instance's own fills tell (equity now less
 * what its fills in the period made), so all-in sizing sees about what the
 * instance saw.
 */
import type { ParityOrder, ParityParams, ParityReport } from '../../shared/contract/parity';
import type { StrategyInstance } from '../../shared/contract/strategies';
import { Dec } from '../../shared/decimal';
import type { Bar, Fill, Instrument, Order } from '../../shared/domain';
import { TIMEFRAME_MS } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import type { RiskConfig } from '../../shared/risk';
import type { StrategyDefinition } from '../engine/strategies/definition';
import { usesMarketFeatures } from '../engine/strategies/definition';
import { SCORING_WARMUP_BARS } from '../ml/scoring/modelScoring';
import { decidingWindows, defaultPeriod, processedAt, withAssumedStart, type LifecycleEvent } from './decidingWindows';
import { latestAtOrBefore, matchDecisions } from './matchDecisions';
import type { ParityReplay, ParityReplayJob } from './replayInstance';
import { compareTrips } from './trackingError';

/** What the report reads from the rest of Keel. */
export interface ParitySources {
  now(): number;
  /** The instance; NOT_FOUND when there is none. */
  instance(id: string): StrategyInstance;
  definition(type: string): StrategyDefinition;
  /** The instance's orders sent within [from, to], any order. */
  orders(strategyId: string, from: number, to: number): Order[];
  /** The fills of these orders (none of them earlier than `since`). */
  fills(orderIds: ReadonlySet<string>, since: number): Fill[];
  /** The venue's newest `limit` bars, oldest first (the one still forming included). */
  bars(venue: string, symbol: string, timeframe: StrategyInstance['timeframe'], limit: number): Promise<Bar[]>;
  instrument(venue: string, symbol: string): Instrument;
  /** Its starts, pauses, resumes and stops, and every emergency stop. */
  lifecycle(strategyId: string): LifecycleEvent[];
  /** Best bid and ask now; null when the venue has no price. */
  touch(venue: string, symbol: string): { bid: number; ask: number } | null;
  /** The venue account's equity now and its leverage on the symbol (null: the instrument's default). */
  account(venue: string, symbol: string): { equity: Dec; leverage: number | null };
  risk(venue: string): RiskConfig | null;
}

/** Plays a replay job; the app runs it in a backtest worker. */
export type ParityReplayPort = (job: ParityReplayJob) => Promise<ParityReplay>;

export interface ParityServiceOptions {
  sources: ParitySources;
  replay: ParityReplayPort;
  /** Bars of history at most one report replays (warm-up included). Default 100,000. */
  maxBars?: number;
  /** How long a tracking error stays fresh for the pipeline, in engine ms. Default 60 s. */
  trackingErrorTtlMs?: number;
}

/** The port the pipeline reads: null when there is not enough data (never ran, no closed round trip). */
export interface TrackingErrorPort {
  trackingError(instanceId: string): Promise<number | null>;
}

const DEFAULT_MAX_BARS = 100_000;
/** How many bars back a late live order may still pair with the replay's. */
const LATE_BARS = 3;

/** Default latency threshold: 5 % of a bar, at least 5 s (the bar feed polls every second). */
export function defaultLatencyMs(timeframeMs: number): number {
  return Math.max(5_000, Math.round(timeframeMs * 0.05));
}

export class ParityService implements TrackingErrorPort {
  private readonly sources: ParitySources;
  private readonly maxBars: number;
  private readonly ttl: number;
  private readonly fresh = new Map<string, { at: number; value: Promise<number | null> }>();

  constructor(private readonly options: ParityServiceOptions) {
    this.sources = options.sources;
    this.maxBars = options.maxBars ?? DEFAULT_MAX_BARS;
    this.ttl = options.trackingErrorTtlMs ?? 60_000;
  }

  async report(params: ParityParams): Promise<ParityReport> {
    const { sources } = this;
    const instance = sources.instance(params.id);
    const definition = sources.definition(instance.type);
    const runningNow = instance.status === 'running' || instance.status === 'paused' || instance.status === 'starting';
    const windows = decidingWindows(withAssumedStart(sources.lifecycle(instance.id), instance.createdAt, runningNow));
    const now = sources.now();
    const period = defaultPeriod(windows, now, params);
    if (period === null) throw new KeelError('INVALID_STATE', `${instance.name} has never run: there is nothing to compare yet`);
    const { from } = period;
    const to = Math.min(period.to, now);
    if (!(from < to)) throw new KeelError('VALIDATION_FAILED', 'The period must start before it ends (from < to) and before now');
    const tf = TIMEFRAME_MS[instance.timeframe];
    const warmup = warmupOf(definition, instance);
    const wanted = Math.ceil((now - from) / tf) + warmup + 2;
    if (wanted > this.maxBars) {
      throw new KeelError('VALIDATION_FAILED', `The period needs ${wanted} ${instance.timeframe} bars; a report replays at most ${this.maxBars}: choose a shorter period`);
    }
    const history = (await sources.bars(instance.venue, instance.symbol, instance.timeframe, wanted)).filter((b) => b.time + tf <= now);
    const period_ = history.filter((b) => b.time + tf > from && b.time + tf <= to);
    const before = history.filter((b) => b.time + tf <= from);
    if (period_.length === 0) throw new KeelError('VALIDATION_FAILED', `No ${instance.timeframe} bar closed in the period: there is nothing to compare yet`);
    if (before.length < warmup) {
      throw new KeelError('VALIDATION_FAILED', `${instance.venue} keeps ${before.length} ${instance.timeframe} bars before the period; ${instance.name} needs ${warmup} to warm up`);
    }
    const warmupBars = before.slice(before.length - warmup);

    // An order counts for the bar that had last closed when it was sent: one of the period's, on either side (an order sent
    // at start, before the period's first close, is outside). A late order for the period's last bars is looked for a few bars on.
    const closes = history.map((b) => b.time + tf);
    const inPeriod = (order: Order): boolean => {
      const at = latestAtOrBefore(closes, order.createdAt);
      return at >= 0 && closes[at]! > from && closes[at]! <= to;
    };
    const liveOrders = sources.orders(instance.id, from, Math.min(now, to + LATE_BARS * tf)).filter(inPeriod);
    // A venue's fill times run on its own clock: an hour's margin before the first order covers any skew.
    const liveFills = sources.fills(new Set(liveOrders.map((o) => o.id)), (liveOrders[0]?.createdAt ?? to) - 3_600_000);
    const instrument = sources.instrument(instance.venue, instance.symbol);
    const account = sources.account(instance.venue, instance.symbol);
    const halfSpread = halfSpreadOf(sources.touch(instance.venue, instance.symbol));
    const made = Dec.sum(liveFills.map((f) => Dec.parse(f.realizedPnl).sub(Dec.parse(f.fee))));
    const startingCash = account.equity.sub(made);
    const cash = (startingCash.isPositive() ? startingCash : account.equity).floorTo(Dec.parse('0.01'));
    const replay = await this.options.replay({
      strategy: { type: instance.type, params: instance.params },
      instrument,
      timeframe: instance.timeframe,
      bars: [...warmupBars, ...period_],
      cash: cash.toString(),
      halfSpread,
      leverage: account.leverage,
      risk: sources.risk(instance.venue),
      limits: instance.limits,
    });

    const replayOrders = replay.orders.filter(inPeriod);
    const replayIds = new Set(replayOrders.map((o) => o.id));
    const replayFills = replay.fills.filter((f) => replayIds.has(f.orderId));
    const latencyMs = params.latencyMs ?? defaultLatencyMs(tf);
    const rows = matchDecisions({
      barTimes: period_.map((b) => b.time),
      timeframeMs: tf,
      live: liveOrders.map(parityOrder),
      replay: replayOrders.map(parityOrder),
      maxLagBars: LATE_BARS,
      processed: (close) => processedAt(windows, close),
      latencyMs,
    });
    const pairs = new Map(rows.flatMap((r) => (r.live && r.replay ? [[r.live.orderId, r.replay.orderId] as const] : [])));
    const trips = compareTrips(liveFills, replayFills, pairs);
    const paired = rows.filter((r) => r.live && r.replay);
    const slipped = paired.flatMap((r) => (r.slippage ? [r.slippage.bps] : []));
    return {
      summary: {
        instanceId: instance.id,
        name: instance.name,
        venue: instance.venue,
        symbol: instance.symbol,
        timeframe: instance.timeframe,
        from,
        to,
        bars: period_.length,
        warmupBars: warmup,
        fillModel: describeFillModel(instrument, halfSpread, cash),
        latencyThresholdMs: latencyMs,
        liveOrders: liveOrders.length,
        replayOrders: replayOrders.length,
        matched: paired.length,
        same: paired.filter((r) => r.reason === 'same').length,
        missing: rows.filter((r) => r.reason === 'missing').length,
        extra: rows.filter((r) => r.reason === 'extra').length,
        missedBars: missedBarCount(period_.length, (i) => !processedAt(windows, period_[i]!.time + tf)),
        liveTrades: trips.liveTrades,
        replayTrades: trips.replayTrades,
        livePnl: trips.livePnl.toString(),
        replayPnl: trips.replayPnl.toString(),
        meanSlippageBps: slipped.length === 0 ? null : round2(slipped.reduce((a, b) => a + b, 0) / slipped.length),
        trackingErrorBps: trips.trackingErrorBps,
        replayFailure: replay.failure,
      },
      rows,
      computedAt: now,
    };
  }

  /**
   * The tracking error over the default period, in basis points, kept for a
   * while so a board that asks for every card does not replay each time.
   * Null when the instance never ran or has no closed round trip to compare.
   */
  async trackingError(instanceId: string): Promise<number | null> {
    this.sources.instance(instanceId);
    const now = this.sources.now();
    const kept = this.fresh.get(instanceId);
    if (kept && now - kept.at < this.ttl) return kept.value;
    const value = this.report({ id: instanceId }).then(
      (report) => report.summary.trackingErrorBps,
      (error: unknown) => {
        this.fresh.delete(instanceId);
        // Not enough to compare yet (never ran, no bar closed, not enough history): no figure, not a failure.
        if (error instanceof KeelError && (error.code === 'INVALID_STATE' || error.code === 'VALIDATION_FAILED')) return null;
        throw error;
      },
    );
    this.fresh.set(instanceId, { at: now, value });
    return await value;
  }
}

function warmupOf(definition: StrategyDefinition, instance: StrategyInstance): number {
  const own = Math.max(0, Math.floor(definition.warmupBars(instance.params)));
  // A model-driven instance also warms up the feature pipeline (see InstanceModels).
  return usesMarketFeatures(definition) ? Math.max(own, SCORING_WARMUP_BARS) : own;
}

function parityOrder(order: Order): ParityOrder {
  return {
    orderId: order.id,
    type: order.type,
    side: order.side,
    createdAt: order.createdAt,
    quantity: order.quantity,
    price: order.price,
    status: order.status,
    filledQuantity: order.filledQuantity,
    averagePrice: order.averagePrice,
  };
}

/** Half the spread over the mid, as a decimal string with 8 decimals at most; "0" without a two-sided price. */
export function halfSpreadOf(touch: { bid: number; ask: number } | null): string {
  if (!touch || !(touch.bid > 0) || !(touch.ask >= touch.bid)) return '0';
  const rate = (touch.ask - touch.bid) / (touch.ask + touch.bid);
  return Dec.fromNumber(Number(rate.toFixed(8))).toString();
}

function describeFillModel(instrument: Instrument, halfSpread: string, cash: Dec): string {
  const bps = round2(Number(halfSpread) * 10_000);
  return `Book walk at each bar's close, takers across a half spread of ${bps} bps; fees ${pct(instrument.takerFee)} taker, ${pct(instrument.makerFee)} maker; starting balance ${cash.toString()}`;
}

function missedBarCount(bars: number, missed: (index: number) => boolean): number {
  let count = 0;
  for (let i = 0; i < bars; i++) if (missed(i)) count += 1;
  return count;
}

function pct(rate: string): string {
  return `${round2(Number(rate) * 100)} %`;
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}
