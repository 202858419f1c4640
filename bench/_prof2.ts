import { runStrategyBacktest } from '../src/main/backtest/strategyBacktest';
import { smaCross } from '../src/main/engine/strategies/catalog/smaCross';
import { backtestSettingsSchema } from '../src/shared/contract/backtests';
import type { Bar } from '../src/shared/domain';
function minuteBars(count: number, seed = 5): Bar[] {
  let state = seed;
  const random = () => ((state = (state * 1_103_515_245 + 12_345) % 2_147_483_648) / 2_147_483_648);
  const bars = new Array<Bar>(count);
  let price = 100;
  for (let i = 0; i < count; i++) {
    const open = price;
    const close = Math.max(1, Math.round(open * (1 + (random() - 0.5) * 0.002) * 100) / 100);
    const high = Math.round(Math.max(open, close) * (1 + random() * 0.0005) * 100) / 100;
    const low = Math.round(Math.min(open, close) * (1 - random() * 0.0005) * 100) / 100;
    bars[i] = { time: Date.UTC(2022, 0, 1) + i * 60000, open, high, low, close, volume: 10 };
    price = close;
  }
  return bars;
}
const n = Number(process.argv[2] ?? 200000);
const fast = Number(process.argv[3] ?? 10), slow = Number(process.argv[4] ?? 30);
(async () => {
  const bars = minuteBars(n);
  for (let k = 0; k < 2; k++) {
    const t = performance.now();
    const r = await runStrategyBacktest({ definition: smaCross, params: { fast, slow }, symbol: 'SYN', bars, settings: backtestSettingsSchema.parse({}) });
    const s = (performance.now() - t) / 1000;
    console.log(JSON.stringify({ trades: r.stats.trades, s, bps: Math.round(n / s), perTradeUs: r.stats.trades ? (s * 1e6) / r.stats.trades : 0 }));
  }
})();
