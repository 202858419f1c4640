/**
 * The risk governor: the trading state (ACTIVE / REDUCING / HALTED), the
 * limits per account and instrument, the pre-trade gate every order passes,
 * and the monitors that move the state when daily loss or drawdown breach.
 *
 * Every state change is journaled with its reason and time and published.
 * HALTED is left only through `rearm`; it survives restarts because the
 * state is loaded from the journal.
 */
import { Dec } from '../../../shared/decimal';
import type { Instrument } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type {
  BreachAction,
  RiskConfig,
  RiskStateView,
  RiskStatus,
  RiskUsage,
  StateChange,
  TradingState,
  UsageEntry,
} from '../../../shared/risk';
import type { ActivityLog } from '../activity';
import type { EventBus } from '../bus';
import type { Clock } from '../ports/clock';
import type { EngineJournal, RiskMarks } from '../ports/journal';
import { describeReset, tradingDayStart } from './dailyReset';
import { checkOrder, type EffectiveLimits, type GateDenial, type GateOrder } from './preTradeGate';
import { defaultRiskConfig } from './profiles';
import { RateWindow } from './rateWindow';

export interface RiskGovernorDeps {
  clock: Clock;
  journal: EngineJournal;
  bus: EventBus;
  activity: ActivityLog;
  instrument: (venue: string, symbol: string) => Instrument | undefined;
  /** Called when a loss limit breaches with an action that needs the emergency stop (HALTED_FLATTEN). */
  onBreach: (action: BreachAction, reason: string) => void;
}

/** What the gate needs to know about the account at the moment of an order. */
export interface GateInputs {
  position: Dec;
  pendingReduce: Dec;
  pendingSameSide: Dec;
  mark: Dec;
  referencePrice: Dec;
  openOrders: number;
}

interface VenueRisk {
  currency: string;
  config: RiskConfig;
  limitsBySymbol: Map<string, EffectiveLimits>;
  perSecond: RateWindow;
  perMinute: RateWindow;
  marks: { dayStartEquity: Dec; dayStartedAt: number; highWaterMark: Dec } | null;
  lastEquity: Dec | null;
  /** The breach already acted on this trading day, so one breach moves the state once. */
  breachHandledFor: string | null;
}

const HUNDRED = Dec.parse('100');
const SEVERITY: Record<TradingState, number> = { ACTIVE: 0, REDUCING: 1, HALTED: 2 };

export class RiskGovernor {
  private current: RiskStateView;
  private readonly venues = new Map<string, VenueRisk>();

  constructor(private readonly deps: RiskGovernorDeps) {
    this.current = deps.journal.loadRiskState() ?? { state: 'ACTIVE', reason: null, since: deps.clock.now() };
  }

  /** `currency`: the account's settlement currency, in which loss limits are counted and stated. */
  addVenue(venue: string, currency: string): void {
    const config = this.deps.journal.loadRiskConfig(venue) ?? defaultRiskConfig(venue);
    const saved = this.deps.journal.loadRiskMarks(venue);
    this.venues.set(venue, {
      currency,
      config,
      limitsBySymbol: new Map(),
      perSecond: new RateWindow(1_000),
      perMinute: new RateWindow(60_000),
      marks: saved
        ? { dayStartEquity: Dec.parse(saved.dayStartEquity), dayStartedAt: saved.dayStartedAt, highWaterMark: Dec.parse(saved.highWaterMark) }
        : null,
      lastEquity: null,
      breachHandledFor: null,
    });
  }

  removeVenue(venue: string): void {
    this.venues.delete(venue);
  }

  state(): RiskStateView {
    return this.current;
  }

  status(): RiskStatus {
    return { ...this.current, usage: [...this.venues.keys()].map((v) => this.usage(v)), history: this.deps.journal.listStateChanges(50) };
  }

  history(limit: number): StateChange[] {
    return this.deps.journal.listStateChanges(limit);
  }

  /** Moves to REDUCING or HALTED (never out of HALTED: that is `rearm`). Returns the state after. */
  escalate(to: 'REDUCING' | 'HALTED', source: StateChange['source'], reason: string): RiskStateView {
    if (SEVERITY[to] < SEVERITY[this.current.state]) {
      throw new KeelError('INVALID_STATE', `Trading is ${this.current.state}; only re-arming leaves it.`);
    }
    if (this.current.state === to) return this.current;
    return this.change(to, source, reason);
  }

  /** Latches HALTED at once, whatever the state; returns when it was latched. */
  latchHalted(source: StateChange['source'], reason: string): number {
    if (this.current.state !== 'HALTED') this.change('HALTED', source, reason);
    return this.current.since;
  }

  /** The only way out of HALTED (and out of REDUCING): an explicit, confirmed re-arm. */
  rearm(): RiskStateView {
    if (this.current.state === 'ACTIVE') return this.current;
    // Re-arming into a limit that is still breached would only halt again at the next valuation.
    for (const v of this.venues.values()) {
      const breach = v.lastEquity && v.marks ? this.breachOf(v, v.lastEquity) : null;
      if (breach) {
        throw new KeelError(
          'RISK_REJECTED',
          `Cannot re-arm ${v.config.venue}: ${breach}. Raise the limit in the risk panel or wait for the daily reset at ${describeReset(v.config.dailyReset)}.`,
        );
      }
    }
    const left = this.current.state;
    for (const v of this.venues.values()) v.breachHandledFor = null;
    return this.change('ACTIVE', 'rearm', `Re-armed by the trader (was ${left})`);
  }

  config(venue: string): RiskConfig {
    return this.venue(venue).config;
  }

  setConfig(config: RiskConfig): RiskConfig {
    const v = this.venue(config.venue);
    for (const symbol of Object.keys(config.instruments)) {
      if (!this.deps.instrument(config.venue, symbol)) {
        throw new KeelError('VALIDATION_FAILED', `Invalid request: ${symbol} is not traded on ${config.venue}.`);
      }
    }
    this.deps.journal.saveRiskConfig(config);
    v.config = config;
    v.limitsBySymbol.clear();
    v.breachHandledFor = null;
    this.deps.activity.record('info', 'risk', `Risk limits for ${config.venue} saved (profile ${config.profile}).`, { config });
    return config;
  }

  /** The gate: null to let the order through, or why not. Records the order for the rate limits when it passes. */
  check(venue: string, order: GateOrder, inputs: GateInputs): GateDenial | null {
    const v = this.venue(venue);
    const now = this.deps.clock.now();
    const instrument = this.deps.instrument(venue, order.symbol);
    const denial = checkOrder(
      order,
      {
        state: this.current.state,
        position: inputs.position,
        pendingReduce: inputs.pendingReduce,
        pendingSameSide: inputs.pendingSameSide,
        mark: inputs.mark,
        referencePrice: inputs.referencePrice,
        openOrders: inputs.openOrders,
        ordersLastSecond: v.perSecond.count(now),
        ordersLastMinute: v.perMinute.count(now),
        quote: instrument?.quote ?? '',
        base: instrument?.base ?? '',
      },
      this.limitsFor(v, order.symbol),
    );
    return denial;
  }

  /** Counts an order that was sent, for the rate limits. */
  recordSent(venue: string): void {
    const now = this.deps.clock.now();
    const v = this.venue(venue);
    v.perSecond.record(now);
    v.perMinute.record(now);
  }

  /**
   * Feeds the monitors with the account's equity: rolls the trading day,
   * raises the high-water mark (never lowers it), and acts on a breach.
   */
  observeEquity(venue: string, equity: Dec, openOrders?: number): RiskUsage {
    const v = this.venue(venue);
    const now = this.deps.clock.now();
    const dayStart = tradingDayStart(now, v.config.dailyReset);
    let changed = false;
    if (!v.marks) {
      v.marks = { dayStartEquity: equity, dayStartedAt: dayStart, highWaterMark: equity };
      changed = true;
    } else {
      // Only forward: a day start earlier than the one held (the reset moved earlier, or a daylight-saving
      // rule placed it differently) is still the day being counted, and its loss is not forgiven.
      if (dayStart > v.marks.dayStartedAt) {
        v.marks = { ...v.marks, dayStartEquity: equity, dayStartedAt: dayStart };
        v.breachHandledFor = null;
        changed = true;
      }
      if (equity.gt(v.marks.highWaterMark)) {
        v.marks = { ...v.marks, highWaterMark: equity };
        changed = true;
      }
    }
    if (changed) this.deps.journal.saveRiskMarks(venue, serializeMarks(v.marks));
    v.lastEquity = equity;
    const breach = this.breachOf(v, equity);
    if (breach && v.breachHandledFor !== `${dayStart}`) {
      v.breachHandledFor = `${dayStart}`;
      this.actOnBreach(v.config.breachAction, breach);
    }
    return this.usage(venue, openOrders);
  }

  /** After an account reset the loss references start again from the new equity. */
  resetMarks(venue: string, equity: Dec): void {
    const v = this.venue(venue);
    v.marks = { dayStartEquity: equity, dayStartedAt: tradingDayStart(this.deps.clock.now(), v.config.dailyReset), highWaterMark: equity };
    v.breachHandledFor = null;
    this.deps.journal.saveRiskMarks(venue, serializeMarks(v.marks));
  }

  usage(venue: string, openOrders?: number): RiskUsage {
    const v = this.venue(venue);
    const now = this.deps.clock.now();
    const a = v.config.account;
    const entries: UsageEntry[] = [];
    const equity = v.lastEquity ?? v.marks?.dayStartEquity ?? Dec.ZERO;
    const marks = v.marks ?? { dayStartEquity: equity, dayStartedAt: now, highWaterMark: equity };
    const currency = v.currency;
    const loss = Dec.max(marks.dayStartEquity.sub(equity), Dec.ZERO);
    if (a.dailyLossAmount !== null) entries.push(entry('dailyLossAmount', 'Daily loss', loss, Dec.parse(a.dailyLossAmount), currency));
    if (a.dailyLossPercent !== null && marks.dayStartEquity.isPositive()) {
      entries.push(entry('dailyLossPercent', 'Daily loss %', loss.mul(HUNDRED).div(marks.dayStartEquity), Dec.parse(a.dailyLossPercent), '%'));
    }
    if (a.maxDrawdownPercent !== null && marks.highWaterMark.isPositive()) {
      const drawdown = Dec.max(marks.highWaterMark.sub(equity), Dec.ZERO).mul(HUNDRED).div(marks.highWaterMark);
      entries.push(entry('maxDrawdownPercent', 'Drawdown from peak', drawdown, Dec.parse(a.maxDrawdownPercent), '%'));
    }
    if (a.maxOrdersPerSecond !== null) {
      entries.push(entry('maxOrdersPerSecond', 'Orders / second', Dec.fromBigInt(BigInt(v.perSecond.count(now))), Dec.fromBigInt(BigInt(a.maxOrdersPerSecond)), 'orders'));
    }
    if (a.maxOrdersPerMinute !== null) {
      entries.push(entry('maxOrdersPerMinute', 'Orders / minute', Dec.fromBigInt(BigInt(v.perMinute.count(now))), Dec.fromBigInt(BigInt(a.maxOrdersPerMinute)), 'orders'));
    }
    if (a.maxOpenOrders !== null && openOrders !== undefined) {
      entries.push(entry('maxOpenOrders', 'Open orders', Dec.fromBigInt(BigInt(openOrders)), Dec.fromBigInt(BigInt(a.maxOpenOrders)), 'orders'));
    }
    return {
      venue,
      equity: equity.toString(),
      dayStartEquity: marks.dayStartEquity.toString(),
      dayStartedAt: marks.dayStartedAt,
      highWaterMark: marks.highWaterMark.toString(),
      entries,
      updatedAt: now,
    };
  }

  private breachOf(v: VenueRisk, equity: Dec): string | null {
    const a = v.config.account;
    const marks = v.marks!;
    const loss = marks.dayStartEquity.sub(equity);
    const since = describeReset(v.config.dailyReset);
    if (loss.isPositive()) {
      const lossPercent = marks.dayStartEquity.isPositive() ? loss.mul(HUNDRED).div(marks.dayStartEquity) : Dec.ZERO;
      if (a.dailyLossAmount !== null && loss.gte(Dec.parse(a.dailyLossAmount))) {
        return `Daily loss limit reached: down ${loss.toFixed(2)} ${v.currency} since ${since}; the limit is ${a.dailyLossAmount} ${v.currency}`;
      }
      if (a.dailyLossPercent !== null && lossPercent.gte(Dec.parse(a.dailyLossPercent))) {
        return `Daily loss limit reached: down ${loss.toFixed(2)} ${v.currency} (${lossPercent.toFixed(2)}%) since ${since}; the limit is ${a.dailyLossPercent}%`;
      }
    }
    if (a.maxDrawdownPercent !== null && marks.highWaterMark.isPositive()) {
      const drawdown = marks.highWaterMark.sub(equity).mul(HUNDRED).div(marks.highWaterMark);
      if (drawdown.gte(Dec.parse(a.maxDrawdownPercent))) {
        return `Drawdown limit reached: equity ${equity.toFixed(2)} is ${drawdown.toFixed(2)}% below the peak of ${marks.highWaterMark.toFixed(2)}; the limit is ${a.maxDrawdownPercent}%`;
      }
    }
    return null;
  }

  private actOnBreach(action: BreachAction, reason: string): void {
    this.deps.activity.record('error', 'risk', reason, { action });
    if (action === 'REDUCING') {
      if (SEVERITY[this.current.state] < SEVERITY.REDUCING) this.change('REDUCING', 'limit', reason);
    } else if (action === 'HALTED') {
      this.latchHalted('limit', reason);
    } else {
      this.deps.onBreach(action, reason);
    }
  }

  private change(to: TradingState, source: StateChange['source'], reason: string): RiskStateView {
    const at = this.deps.clock.now();
    const change: StateChange = { from: this.current.state, to, reason, source, at };
    const next: RiskStateView = { state: to, reason: to === 'ACTIVE' ? null : reason, since: at };
    // In force and announced first, journaled second: a slow or failing disk must never delay (or undo) a halt.
    this.current = next;
    this.deps.bus.publish('risk.state', next);
    this.deps.journal.saveRiskState(next, change);
    this.deps.activity.record(to === 'ACTIVE' ? 'info' : 'warning', 'risk', `Trading ${change.from} → ${to}: ${reason}`, { change });
    return next;
  }

  private limitsFor(v: VenueRisk, symbol: string): EffectiveLimits {
    let limits = v.limitsBySymbol.get(symbol);
    if (!limits) {
      const a = v.config.account;
      const i = v.config.instruments[symbol];
      limits = {
        maxOrderQuantity: parseOrNull(i?.maxOrderQuantity ?? null),
        maxOrderNotional: tighter(a.maxOrderNotional, i?.maxOrderNotional ?? null),
        maxPositionNotional: tighter(a.maxPositionNotional, i?.maxPositionNotional ?? null),
        maxOpenOrders: a.maxOpenOrders,
        maxOrdersPerSecond: a.maxOrdersPerSecond,
        maxOrdersPerMinute: a.maxOrdersPerMinute,
        priceBandPercent: tighter(a.priceBandPercent, i?.priceBandPercent ?? null),
      };
      v.limitsBySymbol.set(symbol, limits);
    }
    return limits;
  }

  private venue(venue: string): VenueRisk {
    const v = this.venues.get(venue);
    if (!v) throw new KeelError('NOT_FOUND', `Unknown venue "${venue}".`);
    return v;
  }
}

function parseOrNull(value: string | null): Dec | null {
  return value === null ? null : Dec.parse(value);
}

function tighter(a: string | null, b: string | null): Dec | null {
  const x = parseOrNull(a);
  const y = parseOrNull(b);
  if (x === null) return y;
  if (y === null) return x;
  return Dec.min(x, y);
}

function entry(limit: string, label: string, used: Dec, max: Dec, unit: string): UsageEntry {
  return {
    limit,
    label,
    symbol: null,
    used: used.roundTo(4).toString(),
    max: max.toString(),
    ratio: max.isPositive() ? used.toNumber() / max.toNumber() : 0,
    unit,
  };
}

function serializeMarks(m: { dayStartEquity: Dec; dayStartedAt: number; highWaterMark: Dec }): RiskMarks {
  return { dayStartEquity: m.dayStartEquity.toString(), dayStartedAt: m.dayStartedAt, highWaterMark: m.highWaterMark.toString() };
}
