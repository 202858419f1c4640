/**
 * `npm run bench`: measures, prints a table, writes bench/results/latest.json.
 * Never part of `npm test`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join } from 'node:path';
import { backtestRows } from './backtests';
import { benchEmergencyStop } from './emergency';
import { benchKernel } from './kernel';
import { benchMarketDataDelivery } from './marketDataDelivery';
import { benchMatchingCore, benchPaperVenue } from './matching';
import { mlTreesRows } from './mlTrees';
import { mlWorkerRows } from './mlWorkers';
import { benchPlaceToAck, benchWebSocketRoundTrip } from './orderPath';
import { realVenueRows } from './realVenues';
import { benchRegimeRound } from './regimeRound';

interface Row {
  name: string;
  value: string;
  target: string;
  met: boolean | null;
}

async function main(): Promise<void> {
  const rows: Row[] = [];
  const results: Record<string, unknown> = {};
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

  const core = benchMatchingCore();
  results.matchingCore = core;
  rows.push({ name: 'Matching core, ops/s', value: fmt(core.opsPerSecond), target: '≥ 500,000', met: core.opsPerSecond >= 500_000 });

  const venue = await benchPaperVenue();
  results.paperVenue = venue;
  rows.push({ name: 'Paper venue (decimals, margin, events), ops/s', value: fmt(venue.opsPerSecond), target: '—', met: null });

  const ack = await benchPlaceToAck(5_000);
  results.placeToAckUs = ack;
  rows.push({ name: 'Place-to-ack in process, journal on, p50 µs', value: fmt(ack.p50, 1), target: '—', met: null });
  rows.push({ name: 'Place-to-ack in process, journal on, p99 µs', value: fmt(ack.p99, 1), target: '< 200', met: ack.p99 < 200 });
  rows.push({ name: 'Place-to-ack, longest of 5,000 back to back, ms', value: fmt(ack.max / 1000, 1), target: '—', met: null });
  rows.push({ name: 'Journal WAL file at its largest during them, MB', value: fmt(ack.walPeakBytes / 1e6, 1), target: '—', met: null });

  const rtt = await benchWebSocketRoundTrip(3_000);
  results.webSocketRoundTripUs = rtt;
  rows.push({ name: 'WebSocket orders.place round trip, p50 ms', value: fmt(rtt.p50 / 1000, 3), target: '—', met: null });
  rows.push({ name: 'WebSocket orders.place round trip, p99 ms', value: fmt(rtt.p99 / 1000, 3), target: '< 2', met: rtt.p99 < 2000 });

  const md = await benchMarketDataDelivery();
  results.marketDataDelivery = md;
  rows.push({ name: 'Market data to a browser, live market, events/s', value: fmt(md.naturalEventsPerSecond, 1), target: '—', met: null });
  rows.push({ name: 'Flood: ticks published on the bus, /s', value: fmt(md.floodPublishedPerSecond), target: '—', met: null });
  rows.push({ name: 'Flood: events delivered to the browser, /s', value: fmt(md.floodDeliveredPerSecond), target: '—', met: null });
  rows.push({ name: 'Flood: longest host event-loop stall, ms', value: fmt(md.floodMaxLoopStallMs, 1), target: '—', met: null });

  const regime = await benchRegimeRound();
  results.regimeRound = regime;
  rows.push({ name: `Regime round (${regime.instruments} instruments): first, ms`, value: fmt(regime.firstRoundMs, 1), target: '—', met: null });
  rows.push({ name: 'Regime round: first, longest event-loop stall, ms', value: fmt(regime.firstRoundLongestStallMs, 1), target: '—', met: null });
  rows.push({ name: 'Regime round: later, p50 ms', value: fmt(regime.laterRoundP50Ms, 2), target: '—', met: null });
  rows.push({ name: 'Regime round: later, longest event-loop stall, ms', value: fmt(regime.laterRoundLongestStallMs, 2), target: '—', met: null });

  const es = await benchEmergencyStop(30);
  results.emergencyStop = es;
  rows.push({ name: 'Emergency stop (1,000 orders, 10 positions): HALTED latched p50 µs', value: fmt(es.haltedUs.p50, 1), target: '—', met: null });
  rows.push({ name: 'Emergency stop: HALTED latched p99 µs', value: fmt(es.haltedUs.p99, 1), target: '< 1,000', met: es.haltedUs.p99 < 1000 });
  rows.push({ name: 'Emergency stop: all cancels confirmed p50 ms', value: fmt(es.cancelsConfirmedMs.p50, 1), target: '—', met: null });
  rows.push({ name: 'Emergency stop: all cancels confirmed p99 ms', value: fmt(es.cancelsConfirmedMs.p99, 1), target: '—', met: null });
  rows.push({ name: 'Emergency stop: flat p50 ms', value: fmt(es.flatMs.p50, 1), target: '—', met: null });
  rows.push({ name: 'Emergency stop: flat p99 ms', value: fmt(es.flatMs.p99, 1), target: '< 100', met: es.flatMs.p99 < 100 });
  rows.push({ name: 'Pre-trade gate per order p50 µs', value: fmt(es.gateUs.p50, 2), target: '—', met: null });
  rows.push({ name: 'Pre-trade gate per order p99 µs', value: fmt(es.gateUs.p99, 2), target: '< 20', met: es.gateUs.p99 < 20 });
  rows.push(...(await (await import('./hostileClient')).hostileClientRows(results)));

  const kernel = await benchKernel();
  results.kernel = kernel;
  rows.push({ name: `Kernel, backtest of ${kernel.bars.toLocaleString('en-US')} bars, no strategy: bars/s`, value: fmt(kernel.barsPerSecond), target: '—', met: null });
  rows.push({ name: 'Kernel, no strategy: engine events/s through the simulated clock', value: fmt(kernel.eventsPerSecond), target: '—', met: null });
  rows.push({ name: 'Kernel, no strategy: engine events per bar', value: fmt(kernel.eventsPerBar, 1), target: '—', met: null });
  rows.push({ name: 'Kernel, 2 orders every 10th bar: bars/s', value: fmt(kernel.tradingBarsPerSecond), target: '—', met: null });

  rows.push(...(await realVenueRows(results)));

  rows.push(...(await backtestRows(results)));

  rows.push(...mlTreesRows(results));
  rows.push(...(await mlWorkerRows(results)));

  const width = Math.max(...rows.map((r) => r.name.length));
  console.log(`\nKeel benchmarks — node ${process.version}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}\n`);
  console.log(`${'measure'.padEnd(width)}  ${'value'.padStart(14)}  ${'target'.padStart(10)}  met`);
  for (const r of rows) {
    console.log(`${r.name.padEnd(width)}  ${r.value.padStart(14)}  ${r.target.padStart(10)}  ${r.met === null ? '' : r.met ? 'yes' : 'NO'}`);
  }
  const dir = join(__dirname, 'results');
  mkdirSync(dir, { recursive: true });
  const file = join(dir, 'latest.json');
  writeFileSync(file, JSON.stringify({ at: new Date().toISOString(), node: process.version, cpus: cpus().length, results }, null, 2));
  console.log(`\nwritten: ${file}`);
}

main().then(
  // Done: a timer ccxt set for itself (a Binance listen key's 20-minute keep-alive, which nothing can cancel) would hold the process until it fires.
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
