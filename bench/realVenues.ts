/**
 * Real venues, measured against the fake Binance USD-M exchange on
 * 127.0.0.1 with the real ccxt: an order's round trip through the whole
 * engine and ccxt (place until the venue's acceptance is applied, cancel
 * until its confirmation), and how long reconciling a venue takes with
 * 1,000 open orders and 50 positions.
 */
import { MemorySecretStore } from '../src/main/secrets/memorySecretStore';
import { loadCcxt } from '../src/main/venues/ccxt/exchanges';
import { Dec } from '../src/shared/decimal';
import { DEFAULT_API_KEY, DEFAULT_SYMBOLS, startFakeBinanceUsdm, type FakeBinanceUsdm, type SymbolSpec } from '../tests/support/fakeExchanges/binanceUsdm';
import { startBenchKeel, type BenchKeel } from './benchKeel';
import { percentile } from './stats';

interface BenchRow {
  name: string;
  value: string;
  target: string;
  met: boolean | null;
}

const VENUE = 'binanceusdm';
/** The exchange's own request limits are lifted: these measure Keel and ccxt, not Binance's quotas. */
const UNLIMITED = { weightPerMinute: 1e9, ordersPerMinute: 1e9, ordersPer10s: 1e9 };

/** `count` perpetuals shaped like BTC's, each with its own name and mark. */
function manySymbols(count: number): SymbolSpec[] {
  const template = DEFAULT_SYMBOLS[0]!;
  return Array.from({ length: count }, (_, i) => {
    const base = `Q${String.fromCharCode(65 + Math.floor(i / 26))}${String.fromCharCode(65 + (i % 26))}`;
    return { ...template, symbol: `${base}USDT`, baseAsset: base, mark: '1000.00', minNotional: '5' };
  });
}

async function started(fake: FakeBinanceUsdm, symbols: string[]): Promise<BenchKeel> {
  // The exchange's weight budget is lifted with its limits: Keel's pacing would otherwise wait for the next minute.
  const bench = await startBenchKeel('venue', { seed: 1, secrets: new MemorySecretStore(), venueUrls: { binanceusdm: fake.base }, venueTimings: { weightPerMinute: 0 } });
  const { keel, invoke } = bench;
  await invoke('venues.add', { exchange: 'binanceusdm', mode: 'demo', symbols });
  await invoke('credentials.set', { venue: VENUE, apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret });
  for (let i = 0; i < 600 && keel.engine.venueStatuses().find((s) => s.venue === VENUE)?.state !== 'ready'; i++) await new Promise((r) => setTimeout(r, 50));
  const limits = keel.engine.riskLimits(VENUE);
  keel.engine.setRiskLimits({ ...limits, account: { ...limits.account, maxOrdersPerSecond: null, maxOrdersPerMinute: null, maxOpenOrders: null } });
  return bench;
}

export interface RoundTripBench {
  orders: number;
  placeMs: { p50: number; p99: number };
  cancelMs: { p50: number; p99: number };
}

/** Place a resting limit order and cancel it, `count` times: each measured until the venue's answer is applied in Keel's books. */
export async function benchCcxtRoundTrip(count: number): Promise<RoundTripBench> {
  await loadCcxt();
  const fake = await startFakeBinanceUsdm({ limits: UNLIMITED });
  const bench = await started(fake, ['BTC/USDT:USDT']);
  try {
    const { engine } = bench.keel;
    const tick = Dec.parse(engine.instruments(VENUE)[0]!.tickSize);
    const place: number[] = [];
    const cancel: number[] = [];
    for (let i = 0; i < count; i++) {
      const price = Dec.parse(engine.ticker(VENUE, 'BTC/USDT:USDT').bid).mul(Dec.parse('0.95')).floorTo(tick).toString();
      const t0 = performance.now();
      const order = await engine.placeOrder({ venue: VENUE, symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.002', price });
      const t1 = performance.now();
      await engine.cancelOrder(order.id);
      const t2 = performance.now();
      if (i >= 10) {
        place.push(t1 - t0);
        cancel.push(t2 - t1);
      }
    }
    place.sort((a, b) => a - b);
    cancel.sort((a, b) => a - b);
    return { orders: place.length, placeMs: { p50: percentile(place, 50), p99: percentile(place, 99) }, cancelMs: { p50: percentile(cancel, 50), p99: percentile(cancel, 99) } };
  } finally {
    await bench.close();
    await fake.close();
  }
}

export interface ReconciliationBench {
  openOrders: number;
  positions: number;
  runs: number;
  medianMs: number;
  maxMs: number;
}

/** Reconciliation of a venue holding `orders` open orders and `positions` positions (one per symbol), timed over a few runs. */
export async function benchReconciliation(orders: number, positions: number, runs = 5): Promise<ReconciliationBench> {
  await loadCcxt();
  const symbols = manySymbols(positions);
  const fake = await startFakeBinanceUsdm({ symbols, walletBalance: '100000000', limits: UNLIMITED });
  const unified = symbols.map((s) => `${s.baseAsset}/USDT:USDT`);
  const bench = await started(fake, unified);
  try {
    const { engine } = bench.keel;
    for (const symbol of unified) await engine.placeOrder({ venue: VENUE, symbol, side: 'buy', type: 'market', quantity: '0.01' });
    for (let i = 0; i < orders; i++) {
      const symbol = unified[i % unified.length]!;
      const price = (950 - Math.floor(i / unified.length) * 0.1).toFixed(1);
      await engine.placeOrder({ venue: VENUE, symbol, side: 'buy', type: 'limit', quantity: '0.01', price });
    }
    const times: number[] = [];
    for (let r = 0; r < runs; r++) {
      const t0 = performance.now();
      const report = await engine.reconcileVenue(VENUE);
      times.push(performance.now() - t0);
      if (!report.ok) throw new Error(`the bench venue did not reconcile clean: ${report.reason}`);
    }
    times.sort((a, b) => a - b);
    return { openOrders: engine.orders.openOrders(VENUE).length, positions: engine.positions().filter((p) => p.venue === VENUE).length, runs, medianMs: times[Math.floor(runs / 2)]!, maxMs: times.at(-1)! };
  } finally {
    await bench.close();
    await fake.close();
  }
}

export async function realVenueRows(results: Record<string, unknown>): Promise<BenchRow[]> {
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const roundTrip = await benchCcxtRoundTrip(210);
  const reconciliation = await benchReconciliation(1_000, 50);
  results.realVenues = { roundTrip, reconciliation };
  return [
    { name: `ccxt to the loopback exchange, place until accepted (${roundTrip.orders} orders), p50 ms`, value: fmt(roundTrip.placeMs.p50, 2), target: '—', met: null },
    { name: 'ccxt to the loopback exchange, place until accepted, p99 ms', value: fmt(roundTrip.placeMs.p99, 2), target: '—', met: null },
    { name: 'ccxt to the loopback exchange, cancel until confirmed, p50 ms', value: fmt(roundTrip.cancelMs.p50, 2), target: '—', met: null },
    { name: 'ccxt to the loopback exchange, cancel until confirmed, p99 ms', value: fmt(roundTrip.cancelMs.p99, 2), target: '—', met: null },
    {
      name: `Reconciliation, ${fmt(reconciliation.openOrders)} open orders and ${reconciliation.positions} positions, median of ${reconciliation.runs} ms`,
      value: fmt(reconciliation.medianMs, 1),
      target: '—',
      met: null,
    },
    { name: 'Reconciliation, the same, slowest ms', value: fmt(reconciliation.maxMs, 1), target: '—', met: null },
  ];
}
