/**
 * The parity report's sources over the running engine: the instance and its
 * type from the strategy runtime and catalog, its orders and fills from the
 * journal (paged, newest first, read back only as far as the period needs),
 * its lifecycle from the activity log (the entries the runtime marks with
 * `lifecycle`, and every emergency stop), bars, prices and the account from
 * the venue.
 */
import { Dec } from '../../shared/decimal';
import type { Fill, Order, Timeframe } from '../../shared/domain';
import type { Engine } from '../engine/engine';
import { barOf } from '../engine/strategies/barFeed';
import type { StrategyCatalogPort, StrategyRuntime } from '../engine/strategies/runtime';
import type { LifecycleEvent, LifecycleKind } from './decidingWindows';
import type { ParitySources } from './parityService';

/** The newest activity entries read back for an instance's lifecycle; an older start is assumed at its creation (decidingWindows.ts). */
const ACTIVITY_READ = 200_000;
const EMERGENCY_REPORTS_READ = 500;
const PAGE = 5_000;
const LIFECYCLE_KINDS: ReadonlySet<string> = new Set<LifecycleKind>(['started', 'paused', 'resumed', 'stopped', 'error']);

export function engineParitySources(engine: Engine, strategies: Pick<StrategyRuntime, 'get'>, catalog: StrategyCatalogPort): ParitySources {
  return {
    now: () => engine.clock.now(),
    instance: (id) => strategies.get(id),
    definition: (type) => catalog.get(type),
    orders: (strategyId, from, to) => {
      const out: Order[] = [];
      let cursor: string | undefined;
      do {
        const page = engine.listOrders('all', PAGE, cursor);
        for (const order of page.orders) {
          if (order.source === 'strategy' && order.sourceId === strategyId && order.createdAt >= from && order.createdAt <= to) out.push(order);
        }
        // Newest first: a page that ends before the period means the rest is older still.
        const oldest = page.orders[page.orders.length - 1];
        cursor = oldest && oldest.createdAt < from ? undefined : (page.nextCursor ?? undefined);
      } while (cursor);
      return out.sort((a, b) => a.createdAt - b.createdAt);
    },
    fills: (orderIds, since) => {
      const out: Fill[] = [];
      if (orderIds.size === 0) return out;
      let cursor: string | undefined;
      do {
        const page = engine.listFills(PAGE, cursor);
        for (const fill of page.fills) if (orderIds.has(fill.orderId)) out.push(fill);
        // Newest first: no fill of these orders is older than the first of them.
        const oldest = page.fills[page.fills.length - 1];
        cursor = oldest && oldest.timestamp < since ? undefined : (page.nextCursor ?? undefined);
      } while (cursor);
      return out.sort((a, b) => a.timestamp - b.timestamp);
    },
    bars: async (venue, symbol, timeframe: Timeframe, limit) => (await engine.candles(venue, symbol, timeframe, limit)).map(barOf),
    instrument: (venue, symbol) => engine.venues.requireInstrument(venue, symbol),
    lifecycle: (strategyId) => {
      const events: LifecycleEvent[] = [];
      for (const entry of engine.listActivity(ACTIVITY_READ)) {
        if (entry.category !== 'strategy' || typeof entry.data !== 'object' || entry.data === null) continue;
        const data = entry.data as { strategyId?: unknown; lifecycle?: unknown };
        if (data.strategyId !== strategyId || typeof data.lifecycle !== 'string' || !LIFECYCLE_KINDS.has(data.lifecycle)) continue;
        events.push({ time: entry.timestamp, kind: data.lifecycle as LifecycleKind });
      }
      // The emergency stop halts every instance without a lifecycle entry of its own.
      for (const report of engine.emergencyReports(EMERGENCY_REPORTS_READ)) events.push({ time: report.haltedAt, kind: 'stopped' });
      return events;
    },
    touch: (venue, symbol) => {
      try {
        const ticker = engine.ticker(venue, symbol);
        return { bid: Number(ticker.bid), ask: Number(ticker.ask) };
      } catch {
        return null;
      }
    },
    account: (venue, symbol) => {
      const summary = engine.accountSummary(venue);
      return { equity: Dec.parse(summary.equity), leverage: summary.leverage[symbol] ?? null };
    },
    risk: (venue) => {
      try {
        return engine.riskLimits(venue);
      } catch {
        return null;
      }
    },
  };
}
