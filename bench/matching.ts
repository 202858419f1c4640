/**
 * Matching-engine throughput: the pure matching core (integer ticks and lots,
 * no store, no events), and the whole paper venue (decimals, margin checks,
 * execution events) on an in-memory store, so the cost of each layer shows.
 */
import { Dec } from '../src/shared/decimal';
import { SimulatedClock } from '../src/main/engine/ports/clock';
import { InMemoryPaperVenueStore, PaperVenue } from '../src/main/venues/paper';
import { createMatchingBench } from '../src/main/venues/paper/matchingBench';

export interface Throughput {
  ops: number;
  seconds: number;
  opsPerSecond: number;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

export function benchMatchingCore(opsPerRun = 1_000_000, runs = 5): Throughput {
  const bench = createMatchingBench(7);
  bench.run(200_000); // warm-up
  const rates: number[] = [];
  for (let r = 0; r < runs; r += 1) {
    const start = process.hrtime.bigint();
    bench.run(opsPerRun);
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    rates.push(opsPerRun / seconds);
  }
  const rate = median(rates);
  return { ops: opsPerRun, seconds: opsPerRun / rate, opsPerSecond: rate };
}

/** Place-and-cancel pairs of resting limit orders plus small market orders through the full venue. */
export async function benchPaperVenue(ops = 50_000): Promise<Throughput> {
  const clock = new SimulatedClock(Date.UTC(2026, 0, 1));
  const venue = new PaperVenue({ clock, seed: 3, store: new InMemoryPaperVenueStore(), historyMinutes: 60, initialBalance: '100000000' });
  await venue.start();
  let n = 0;
  const symbol = 'BTC/USDT:USDT';
  const bid = Dec.parse(venue.ticker(symbol).bid);
  const restPrice = bid.mul(Dec.parse('0.9')).floorTo(Dec.parse('0.1')).toString();
  const start = process.hrtime.bigint();
  for (let i = 0; i < ops; i += 3) {
    const id = `b${n++}`;
    await venue.submit({ clientOrderId: id, symbol, side: 'buy', type: 'limit', quantity: '0.001', price: restPrice, stopPrice: null, timeInForce: 'GTC', postOnly: false, reduceOnly: false });
    await venue.cancel({ clientOrderId: id, symbol });
    await venue.submit({ clientOrderId: `m${n++}`, symbol, side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', quantity: '0.001', price: null, stopPrice: null, timeInForce: 'GTC', postOnly: false, reduceOnly: false });
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  await venue.stop();
  return { ops, seconds, opsPerSecond: ops / seconds };
}
