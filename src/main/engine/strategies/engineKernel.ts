/**
 * The strategy kernel over the engine: every order goes through
 * `engine.submitOrder` (risk stage, journal first, venue), stamped with
 * source `strategy` and the instance's id; "settled" waits on the bus for
 * the order's end.
 */
import type { Order } from '../../../shared/domain';
import { isTerminalStatus } from '../../../shared/domain';
import type { Engine, SubmitOutcome } from '../engine';
import type { StrategyKernel } from './kernelAccess';

export interface EngineKernelOptions {
  /** An entry spread the venue charges on top of its touch (a backtest's); default none. */
  entrySpread?: number;
  /** The fee rate sizing counts; default the instrument's taker fee. */
  feeRate?: number;
  /** Share of margin all-in sizing keeps back; default 0.5 % (a live market order may walk the book). */
  reserve?: number;
}

/** What all-in sizing keeps back on a live venue. */
export const LIVE_ALL_IN_RESERVE = 0.005;

const NOT_WANTED: SubmitOutcome = {
  ok: false,
  denial: { check: 'strategy', code: 'INVALID_STATE', limit: null, message: 'the strategy stopped before the order could be sent' },
};

/** Cancels every open order of one strategy (from inside a command); answers how many were asked. */
export async function cancelAllOf(engine: Engine, strategyId: string): Promise<number> {
  const result = await engine.cancelAll({ source: 'strategy', sourceId: strategyId });
  return result.canceled.length + result.failed.length;
}

export function engineKernel(engine: Engine, options: EngineKernelOptions = {}): StrategyKernel {
  const waiters = new Map<string, Array<(order: Order) => void>>();
  engine.bus.subscribe((_topic, payload) => {
    const order = payload as Order;
    if (!isTerminalStatus(order.status)) return;
    const waiting = waiters.get(order.id);
    if (!waiting) return;
    waiters.delete(order.id);
    for (const resolve of waiting) resolve(order);
  }, ['orders.updated']);
  return {
    clock: engine.clock,
    // A strategy's commands take their turn in the engine's queue like a person's: never inside another command.
    submit: (params, strategyId, stillWanted) =>
      engine.commands.run(() => (stillWanted && !stillWanted() ? NOT_WANTED : engine.submitOrder(params, { kind: 'strategy', id: strategyId }))),
    cancel: async (orderId) => {
      await engine.commands.run(() => engine.cancelOrder(orderId));
    },
    cancelAllOf: (strategyId) => engine.commands.run(() => cancelAllOf(engine, strategyId)),
    openOrdersOf: (strategyId) => engine.orders.openOrders().filter((o) => o.source === 'strategy' && o.sourceId === strategyId),
    order: (orderId) => engine.orders.get(orderId),
    settled: (orderId, timeoutMs) => {
      const now = engine.orders.get(orderId);
      if (!now || isTerminalStatus(now.status)) return Promise.resolve(now);
      return new Promise((resolve) => {
        const timer = engine.clock.after(timeoutMs, () => {
          const list = waiters.get(orderId);
          if (list) waiters.set(orderId, list.filter((r) => r !== done));
          resolve(engine.orders.get(orderId));
        });
        const done = (order: Order): void => {
          timer.cancel();
          resolve(order);
        };
        waiters.set(orderId, [...(waiters.get(orderId) ?? []), done]);
      });
    },
    instrument: (venue, symbol) => engine.venues.requireInstrument(venue, symbol),
    quote: (venue, symbol) => {
      const ticker = engine.ticker(venue, symbol);
      return { bid: Number(ticker.bid), ask: Number(ticker.ask), last: Number(ticker.last) };
    },
    account: (venue) => engine.accountSummary(venue),
    costs: (venue, symbol) => ({
      feeRate: options.feeRate ?? Number(engine.venues.requireInstrument(venue, symbol).takerFee),
      entrySpread: options.entrySpread ?? 0,
      reserve: options.reserve ?? LIVE_ALL_IN_RESERVE,
    }),
    record: (level, message, data) => {
      engine.activity.record(level, 'strategy', message, data);
    },
  };
}
