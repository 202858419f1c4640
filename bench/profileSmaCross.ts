/**
 * The benchmark's one-thread case on its own — SMA cross 10/30 over one-minute
 * bars of the same seeded random walk — for profiling and quick before/after
 * figures without the whole bench. It imports only the backtest, so it also
 * bundles into one plain file whose profile names real lines:
 *   npx tsx bench/profileSmaCross.ts [bars=200000] [runs=3]
 *   npx esbuild bench/profileSmaCross.ts --bundle --platform=node --packages=external --outfile=/tmp/p.js
 *   node --cpu-prof /tmp/p.js 200000 1
 * Prints bars/s and time per order of each run, then the best.
 */
import { runStrategyBacktest } from '../src/main/backtest/strategyBacktest';
import { smaCross } from '../src/main/engine/strategies/catalog/smaCross';
import { backtestSettingsSchema } from '../src/shared/contract/backtests';
import { minuteBars } from './minuteBars';

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 200_000);
  const runs = Number(process.argv[3] ?? 3);
  const bars = minuteBars(count);
  let best = 0;
  let bestCpu = 0;
  for (let r = 0; r < runs; r++) {
    const cpuBefore = process.cpuUsage();
    const started = process.hrtime.bigint();
    const result = await runStrategyBacktest({ definition: smaCross, params: { fast: 10, slow: 30 }, symbol: 'SYN', bars, settings: backtestSettingsSchema.parse({}) });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    // On a shared machine the wall clock counts time other processes held the core; the CPU time this process used does not.
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const barsPerSecond = count / seconds;
    best = Math.max(best, barsPerSecond);
    bestCpu = Math.max(bestCpu, count / cpuSeconds);
    // Every trade but the first is opened by the same cross that closes the one before: about two orders a trade.
    const orders = 2 * result.stats.trades;
    console.log(
      `run ${r + 1}: ${Math.round(barsPerSecond).toLocaleString('en-US')} bars/s, ${seconds.toFixed(2)} s (CPU ${cpuSeconds.toFixed(2)} s), ${result.stats.trades} trades, ` +
        `${((seconds * 1e6) / Math.max(1, orders)).toFixed(1)} µs an order (all time over ~${orders} orders)`,
    );
  }
  console.log(`best of ${runs}: ${Math.round(best).toLocaleString('en-US')} bars/s; by CPU time ${Math.round(bestCpu).toLocaleString('en-US')} bars/s`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
