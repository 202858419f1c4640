/**
 * Emergency stop under load: 1,000 resting orders over 10 instruments and
 * 10 open positions on the paper venue, with the SQLite journal on disk.
 * Measured per run, from the trigger: HALTED latched, every cancel
 * confirmed, every position flat. Also the pre-trade gate's cost per order.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Dec } from '../src/shared/decimal';
import type { Order } from '../src/shared/domain';
import { LiveClock } from '../src/main/engine/ports/clock';
import { Engine } from '../src/main/engine/engine';
import { defaultRiskConfig } from '../src/main/engine/risk/profiles';
import { WalCheckpointer } from '../src/main/journal/checkpointer';
import { openJournalDatabase } from '../src/main/journal/database';
import { PaperVenueRepository } from '../src/main/journal/paperVenueRepository';
import { SqliteJournal } from '../src/main/journal/sqliteJournal';
import { PAPER_INSTRUMENTS, PaperVenue, type PaperInstrumentSpec } from '../src/main/venues/paper';
import { nowUs, summarize, type LatencySummary } from './stats';

/** The paper venue's own ten instruments (the emergency stop is measured over ten books). */
function tenInstruments(): PaperInstrumentSpec[] {
  if (PAPER_INSTRUMENTS.length < 10) throw new Error(`The paper venue lists ${PAPER_INSTRUMENTS.length} instruments; the benchmark needs ten`);
  return PAPER_INSTRUMENTS.slice(0, 10);
}

export interface EmergencyBench {
  runs: number;
  haltedUs: LatencySummary;
  cancelsConfirmedMs: LatencySummary;
  flatMs: LatencySummary;
  gateUs: LatencySummary;
}

export async function benchEmergencyStop(runs = 10): Promise<EmergencyBench> {
  const dir = mkdtempSync(join(tmpdir(), 'keel-bench-es-'));
  const file = join(dir, 'keel.sqlite');
  const db = openJournalDatabase(file, { externalCheckpoints: true });
  const checkpointer = await WalCheckpointer.start(file);
  const clock = new LiveClock();
  const paper = new PaperVenue({ clock, seed: 21, store: new PaperVenueRepository(db, 'paper'), instruments: tenInstruments(), initialBalance: '100000000', historyMinutes: 60 });
  const engine = new Engine({ clock, journal: new SqliteJournal(db), venues: [paper] });
  await engine.start();
  const off = defaultRiskConfig('paper');
  engine.setRiskLimits({ ...off, account: { ...off.account, maxOrderNotional: null, maxOpenOrders: null, maxOrdersPerSecond: null, maxOrdersPerMinute: null } });

  const instruments = engine.instruments('paper');
  const halted: number[] = [];
  const cancels: number[] = [];
  const flat: number[] = [];
  const gate: number[] = [];
  try {
    for (let run = 0; run < runs; run += 1) {
      engine.rearm();
      // 1,000 resting buys, 100 per instrument, 1-5% under the bid; then one position per instrument.
      for (const instrument of instruments) {
        const tick = Dec.parse(instrument.tickSize);
        const bid = Dec.parse(engine.ticker('paper', instrument.symbol).bid);
        // The smallest size that clears the minimum order value even 5% under the bid.
        const quantity = Dec.max(Dec.parse(instrument.minQuantity), Dec.parse(instrument.minNotional).mul(Dec.parse('1.2')).div(bid).ceilTo(Dec.parse(instrument.lotSize))).toString();
        for (let i = 0; i < 100; i += 1) {
          const price = bid.mul(Dec.parse(String(0.95 + (i % 40) * 0.001))).floorTo(tick).toString();
          await engine.placeOrder({ venue: 'paper', symbol: instrument.symbol, side: 'buy', type: 'limit', quantity, price });
        }
        await engine.placeOrder({ venue: 'paper', symbol: instrument.symbol, side: run % 2 === 0 ? 'buy' : 'sell', type: 'market', quantity });
      }
      if (engine.orders.openOrders().length !== 1000) throw new Error(`expected 1000 open orders, got ${engine.orders.openOrders().length}`);
      if (engine.positions().length !== 10) throw new Error(`expected 10 positions, got ${engine.positions().length}`);

      let cancelsAt = 0;
      let flatAt = 0;
      let haltedAt = 0;
      let canceled = 0;
      const unsubscribe = engine.bus.subscribe((topic, payload) => {
        // Published the instant HALTED is in force in memory, before anything is written.
        if (topic === 'risk.state' && !haltedAt && (payload as { state: string }).state === 'HALTED') haltedAt = nowUs();
        // Counted, not scanned: the observer must not add O(n²) work to what it measures.
        if (topic === 'orders.updated' && (payload as Order).status === 'canceled' && (canceled += 1) === 1000 && !cancelsAt) cancelsAt = nowUs();
        if (topic === 'fills.new' && !flatAt && engine.positions().length === 0) flatAt = nowUs();
      });
      const start = nowUs();
      const stopping = engine.emergencyStop({ flatten: true, trigger: 'bench' });
      if (engine.risk.state().state !== 'HALTED' || !haltedAt) throw new Error('HALTED was not latched synchronously');
      const report = await stopping;
      unsubscribe();
      if (!report.complete) throw new Error(`stop incomplete: ${JSON.stringify(report.unconfirmed)}`);
      halted.push(haltedAt - start);
      cancels.push((cancelsAt - start) / 1000);
      flat.push((flatAt - start) / 1000);
    }

    // The gate as every order meets it: the governor's check with the Standard limits in force.
    engine.rearm();
    // Standard limits, with rate limits kept on (their counting is part of the cost) but above this run's burst.
    const standard = defaultRiskConfig('paper');
    engine.setRiskLimits({ ...standard, account: { ...standard.account, maxOrdersPerSecond: 1_000_000, maxOrdersPerMinute: 10_000_000 } });
    const order = { symbol: 'BTC/USDT:USDT', side: 'buy' as const, type: 'limit' as const, quantity: Dec.parse('0.015'), price: Dec.parse('79500.5'), stopPrice: null, reduceOnly: false, source: 'manual' as const, overridePriceBand: false };
    const mark = Dec.parse(engine.ticker('paper', 'BTC/USDT:USDT').mark);
    const near = mark.mul(Dec.parse('0.99')).floorTo(Dec.parse('0.1'));
    const inputs = { position: Dec.parse('0.2'), pendingReduce: Dec.ZERO, pendingSameSide: Dec.ZERO, mark, referencePrice: near, openOrders: 12 };
    const priced = { ...order, price: near };
    for (let i = 0; i < 120_000; i += 1) {
      const t = process.hrtime.bigint();
      const denial = engine.risk.check('paper', priced, inputs);
      const elapsed = Number(process.hrtime.bigint() - t) / 1000;
      if (denial !== null) throw new Error(`gate refused a valid order: ${denial.message}`);
      if (i >= 20_000) gate.push(elapsed);
    }
  } finally {
    await engine.stop();
    await checkpointer.stop();
    db.close();
    rmSync(dir, { recursive: true, force: true });
  }

  return { runs, haltedUs: summarize(halted), cancelsConfirmedMs: summarize(cancels), flatMs: summarize(flat), gateUs: summarize(gate) };
}
