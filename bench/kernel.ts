/**
 * The kernel's own cost per simulated bar: a backtest with no strategy, so
 * what is measured is the clock, the bar-fed exchange, valuation and the
 * risk monitors on every bar — the floor under every backtest. Also the same
 * with one resting order and a position, so fills and order events are part
 * of the flow.
 */
import { createBacktest } from '../src/main/backtest/createBacktest';
import { PAPER_INSTRUMENTS } from '../src/main/venues/paper/instruments';
import type { Bar } from '../src/shared/domain';

const SYMBOL = 'BTC/USDT:USDT';

/** A seeded random walk of hourly bars on the BTC tick. */
function walk(count: number): Bar[] {
  let seed = 7;
  const random = () => ((seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const bars: Bar[] = [];
  let price = 60_000;
  for (let i = 0; i < count; i += 1) {
    const open = price;
    const close = Math.max(1_000, Math.round((open + (random() - 0.5) * 400) * 10) / 10);
    const high = Math.round((Math.max(open, close) + random() * 100) * 10) / 10;
    const low = Math.round((Math.min(open, close) - random() * 100) * 10) / 10;
    bars.push({ time: Date.UTC(2020, 0, 1) + i * 3_600_000, open, high, low, close, volume: 5 });
    price = close;
  }
  return bars;
}

export interface KernelBench {
  bars: number;
  barsPerSecond: number;
  eventsPerSecond: number;
  eventsPerBar: number;
  tradingBarsPerSecond: number;
  tradingEventsPerBar: number;
}

async function run(bars: Bar[], trade: boolean): Promise<{ seconds: number; events: number }> {
  const backtest = await createBacktest({
    instruments: [PAPER_INSTRUMENTS[0]!.instrument],
    bars: { [SYMBOL]: bars },
    timeframe: '1h',
    initialBalance: '1000000',
  });
  const started = process.hrtime.bigint();
  let i = 0;
  const outcome = await backtest.run(
    trade
      ? async (bar) => {
          i += 1;
          // Every 10th bar: a market order alternating sides, and a resting limit below the close.
          if (i % 10 === 0) {
            await backtest.engine.placeOrder({ venue: 'backtest', symbol: SYMBOL, side: i % 20 === 0 ? 'sell' : 'buy', type: 'market', quantity: '0.01' });
            await backtest.engine.placeOrder({ venue: 'backtest', symbol: SYMBOL, side: 'buy', type: 'limit', quantity: '0.01', price: (Math.round(bar.close * 0.995 * 10) / 10).toFixed(1) });
          }
        }
      : undefined,
  );
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  await backtest.stop();
  return { seconds, events: outcome.events };
}

export async function benchKernel(count = 20_000): Promise<KernelBench> {
  const bars = walk(count);
  const quiet = await run(bars, false);
  const busy = await run(walk(Math.floor(count / 4)), true);
  return {
    bars: count,
    barsPerSecond: count / quiet.seconds,
    eventsPerSecond: quiet.events / quiet.seconds,
    eventsPerBar: quiet.events / count,
    tradingBarsPerSecond: Math.floor(count / 4) / busy.seconds,
    tradingEventsPerBar: busy.events / Math.floor(count / 4),
  };
}
