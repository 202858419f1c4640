/**
 * The backtest composition root: the same kernel as live trading, around a
 * simulated clock, an in-memory journal, sequential ids and an exchange fed
 * by historical bars. Only the clock and the venue differ from `createKeel`;
 * orders, risk, portfolio and market data run the very same code.
 *
 * The driver walks the bars in time order. Each bar is handed to the
 * exchange at its close (orders waiting for it are worked against it), then
 * the clock is settled so the engine has applied every report before the
 * next bar; a caller (a strategy runtime, next) acts between bars.
 */
import type { Bar, Instrument, Timeframe } from '../../shared/domain';
import { TIMEFRAME_MS } from '../../shared/domain';
import { BACKTEST_CADENCES, type Engine } from '../engine/engine';
import { composeKernel } from '../engine/kernel';
import { SimulatedClock } from '../engine/ports/clock';
import { SequentialIdGenerator } from '../engine/ports/ids';
import { silentLogger, type Logger } from '../engine/ports/logger';
import { BarMarketSource } from '../venues/paper/barMarketSource';
import type { FillModel } from '../venues/paper/fillModel';
import { NextBarOpenFillModel } from '../venues/paper/nextBarOpenFillModel';
import { PaperVenue } from '../venues/paper/paperVenue';
import { BacktestVenueStore } from './backtestVenueStore';
import { InMemoryJournal } from './inMemoryJournal';

export const BACKTEST_VENUE = 'backtest';

export interface BacktestOptions {
  /** The instruments traded, with their tick, lot and fees (the venue id is set to `backtest`). */
  instruments: readonly Instrument[];
  /** Historical bars per symbol, oldest first, all of `timeframe`. */
  bars: Readonly<Record<string, readonly Bar[]>>;
  timeframe: Timeframe;
  /** Starting cash, a decimal string. */
  initialBalance: string;
  /** Commission on every fill's value ("0.002"); default: the instruments' maker and taker fees. */
  commission?: string;
  /** The share of a bar's volume one resting limit order may fill in that bar ("0.1"); default: no cap. */
  maxVolumeShare?: string;
  /** Entry spread rate ("0.0002") the market's touch carries; default none. */
  spread?: string;
  /** How orders meet the bars; default `NextBarOpenFillModel` with the commission and volume share above. */
  fillModel?: FillModel;
  logger?: Logger;
  /** Keep the journal's order events and activity entries (default true); a run that only wants its trades and statistics turns it off. */
  keepAudit?: boolean;
}

export interface Backtest {
  engine: Engine;
  clock: SimulatedClock;
  exchange: PaperVenue;
  market: BarMarketSource;
  /**
   * Plays every bar in time order. `onBar` runs after each bar has been
   * worked and the engine has settled: what it does (orders, cancels) meets
   * the next bar, never the one it has just seen.
   */
  run(onBar?: (bar: Bar, symbol: string) => Promise<void> | void): Promise<BacktestRun>;
  stop(): Promise<void>;
}

export interface BacktestRun {
  bars: number;
  /** Engine events published while the bars were played (the kernel's own work per bar). */
  events: number;
}

export async function createBacktest(options: BacktestOptions): Promise<Backtest> {
  const tfMs = TIMEFRAME_MS[options.timeframe];
  // The clock starts one bar before the first close, so the first bar arrives as time moves on.
  const clock = new SimulatedClock(earliestTime(options.bars) ?? 0);
  const market = new BarMarketSource({
    venue: BACKTEST_VENUE,
    instruments: options.instruments.map((instrument) => ({ instrument: { ...instrument, venue: BACKTEST_VENUE } })),
    ...(options.spread === undefined ? {} : { spread: options.spread }),
    capacity: Math.max(0, ...Object.values(options.bars).map((list) => list.length)),
  });
  const exchange = new PaperVenue({
    clock,
    id: BACKTEST_VENUE,
    market,
    fillModel:
      options.fillModel ??
      new NextBarOpenFillModel({
        ...(options.commission === undefined ? {} : { commission: options.commission }),
        ...(options.maxVolumeShare === undefined ? {} : { maxVolumeShare: options.maxVolumeShare }),
      }),
    initialBalance: options.initialBalance,
    stepMs: 0,
    store: new BacktestVenueStore(),
  });
  const engine = composeKernel({
    clock,
    journal: new InMemoryJournal({ keepAudit: options.keepAudit ?? true }),
    ids: new SequentialIdGenerator(),
    venues: [exchange],
    cadences: BACKTEST_CADENCES,
    logger: options.logger ?? silentLogger,
    emergencyRetryDelaysMs: [0, 0, 0],
    // A close order fills at the next bar: the emergency stop waits for it (in simulated time) rather than resending.
    emergencyFillWaitMs: 2 * tfMs,
  });
  // Built when `run` first plays bars: a driver that feeds the market itself (a strategy backtest) never needs it.
  let timeline: Array<{ bar: Bar; symbol: string }> | null = null;
  let position = 0;
  let started = false;
  const symbols = new Set(Object.keys(options.bars));
  const pricedSymbols = new Set<string>();

  return {
    engine,
    clock,
    exchange,
    market,
    async run(onBar) {
      // Counted only while `run` plays bars: a subscriber to every topic makes the engine build payloads no backtest reads.
      let events = 0;
      const unsubscribe = engine.bus.subscribe(() => {
        events += 1;
      });
      const startedAt = position;
      timeline ??= mergeBars(options.bars);
      try {
        for (; position < timeline.length; position += 1) {
          const { bar, symbol } = timeline[position]!;
          const closesAt = bar.time + tfMs;
          if (closesAt > clock.now()) await clock.advanceAndSettle(closesAt - clock.now());
          market.pushBar(bar, symbol);
          // The exchange opens once every instrument has a price: the engine starts (and reconciles) then.
          if (!started && pricedSymbols.add(symbol).size === symbols.size) {
            started = true;
            await engine.start();
          }
          await clock.advanceAndSettle(0);
          if (started) await onBar?.(bar, symbol);
          await clock.advanceAndSettle(0);
        }
      } finally {
        unsubscribe();
      }
      return { bars: position - startedAt, events };
    },
    async stop() {
      if (started) await engine.stop();
    },
  };
}

/** The time of the earliest bar of any symbol (the first of the merged timeline); undefined without bars. */
function earliestTime(bars: Readonly<Record<string, readonly Bar[]>>): number | undefined {
  let earliest: number | undefined;
  for (const list of Object.values(bars)) {
    // Indexed, not iterated: one pass over every bar, where an iterator would allocate per bar.
    for (let i = 0; i < list.length; i++) if (earliest === undefined || list[i]!.time < earliest) earliest = list[i]!.time;
  }
  return earliest;
}

/** Every symbol's bars on one timeline, oldest first; bars at the same time keep the symbols' order. */
function mergeBars(bars: Readonly<Record<string, readonly Bar[]>>): Array<{ bar: Bar; symbol: string }> {
  const all: Array<{ bar: Bar; symbol: string; rank: number }> = [];
  Object.entries(bars).forEach(([symbol, list], rank) => {
    for (const bar of list) all.push({ bar, symbol, rank });
  });
  all.sort((a, b) => a.bar.time - b.bar.time || a.rank - b.rank);
  return all.map(({ bar, symbol }) => ({ bar, symbol }));
}
