/**
 * The strategy pipeline through the contract, on the whole engine: a paper
 * venue and a second simulated venue standing in for a real exchange (ready,
 * not paper), the strategy runtime, the pipeline kept in SQLite. The
 * evidence a real run takes days to gather is controlled: the pipeline reads
 * time from a clock the test moves by days, the tracking error from a parity
 * port the test answers, a card's drawdown from a source the test sets.
 *
 * A card moves Discovery → Paper → Live only when its gate passes, starting
 * its instance on paper and then on the real venue at the reduced size; it
 * is demoted automatically when its drawdown goes beyond its backtest's
 * worst (its live instance stopped, its orders cancelled) and by hand with a
 * reason; every move is in the journal with its evidence.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { composeKernel } from '../../src/main/engine/kernel';
import { LIVE_CADENCES, type Engine } from '../../src/main/engine/engine';
import { SimulatedClock } from '../../src/main/engine/ports/clock';
import { RandomIdGenerator } from '../../src/main/engine/ports/ids';
import { silentLogger } from '../../src/main/engine/ports/logger';
import type { VenuePort } from '../../src/main/engine/ports/venue';
import { BUILTIN_STRATEGIES } from '../../src/main/engine/strategies/catalog';
import { CandlePollingBarFeed } from '../../src/main/engine/strategies/barFeed';
import { StrategyRuntime } from '../../src/main/engine/strategies/runtime';
import { StrategyCatalog } from '../../src/main/engine/strategies/strategyCatalog';
import { Dispatcher } from '../../src/main/host/dispatcher';
import type { Handlers } from '../../src/main/host/handlers';
import { openJournalDatabase, type JournalDatabase } from '../../src/main/journal/database';
import { PaperVenueRepository } from '../../src/main/journal/paperVenueRepository';
import { SqliteJournal } from '../../src/main/journal/sqliteJournal';
import { SqlitePipelineStore } from '../../src/main/journal/sqlitePipelineStore';
import { PipelineService } from '../../src/main/pipeline/pipelineService';
import { testEvidence } from '../../src/main/pipeline/testCards';
import { PaperVenue } from '../../src/main/venues/paper/paperVenue';
import type { GateSettings, PipelineCard, PipelineList } from '../../src/shared/contract/pipeline';
import type { StrategyInstance } from '../../src/shared/contract/strategies';
import type { VenueStatus } from '../../src/shared/domain';

const DAY = 86_400_000;
const SYMBOL = 'BTC/USDT:USDT';

interface World {
  engine: Engine;
  clock: SimulatedClock;
  db: JournalDatabase;
  server: Dispatcher;
  board: PipelineService;
  strategies: StrategyRuntime;
  /** What the test makes the evidence sources answer. */
  evidence: { daysLater: number; trackingError: number | null; drawdownPct: number | null };
  close(): Promise<void>;
}

const worlds: World[] = [];
afterEach(async () => {
  for (const world of worlds.splice(0)) await world.close();
});

/** A simulated venue that says it is not paper: what a real exchange is to the pipeline. */
function realLike(venue: PaperVenue): VenuePort {
  return new Proxy(venue, {
    get(target, key) {
      if (key === 'paper') return false;
      const value: unknown = Reflect.get(target, key, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  }) as unknown as VenuePort;
}

/** `venues` lets a test see the venues' states differently (a real venue gone down). */
async function world(venues: (statuses: VenueStatus[]) => VenueStatus[] = (s) => s): Promise<World> {
  const clock = new SimulatedClock(Date.parse('2026-11-20T12:00:30Z'));
  const dir = mkdtempSync(join(tmpdir(), 'keel-pipeline-'));
  const db = openJournalDatabase(':memory:');
  const journal = new SqliteJournal(db);
  const paper = new PaperVenue({ clock, seed: 7, store: new PaperVenueRepository(db, 'paper'), historyMinutes: 600 });
  const exchange = new PaperVenue({ clock, seed: 8, id: 'exch', store: new PaperVenueRepository(db, 'exch'), historyMinutes: 600 });
  const engine = composeKernel({ clock, journal, ids: new RandomIdGenerator(clock), venues: [paper, realLike(exchange)], cadences: LIVE_CADENCES, logger: silentLogger });
  await engine.start();
  const catalog = new StrategyCatalog(BUILTIN_STRATEGIES, dir);
  const feed = new CandlePollingBarFeed((venue, symbol, timeframe, limit) => engine.candles(venue, symbol, timeframe, limit), clock, silentLogger);
  let n = 0;
  const strategies = new StrategyRuntime({ engine, journal, catalog, feed, newId: () => `s-${++n}` });
  strategies.load();
  const evidence: World['evidence'] = { daysLater: 0, trackingError: null, drawdownPct: null };
  let ids = 0;
  const board = new PipelineService({
    store: new SqlitePipelineStore(db),
    instances: strategies,
    definitions: { get: (type) => BUILTIN_STRATEGIES.find((d) => d.type === type) },
    venues: () => venues(engine.venueStatuses()),
    facts: {
      drawdownPct: () => Promise.resolve(evidence.drawdownPct),
      openDifferences: (venue) => (engine.latestReconciliation(venue)?.items ?? []).filter((i) => i.kind !== 'matched' && i.resolution === null).length,
      riskRefusals: () => 0,
    },
    parity: { trackingError: () => Promise.resolve(evidence.trackingError) },
    publish: (topic, payload) => engine.bus.publish(topic, payload),
    // The pipeline's own clock runs days ahead when the test says so; the market's stays on its minutes.
    now: () => clock.now() + evidence.daysLater * DAY,
    newId: (prefix) => `${prefix}-${++ids}`,
    log: silentLogger,
  });
  const pipelineHandlers: Partial<Handlers> = {
    'pipeline.list': () => board.list(),
    'pipeline.promote': (p) => board.promote(p),
    'pipeline.demote': (p) => board.demote(p.cardId, p.reason),
    'pipeline.gates.get': () => board.gates(),
    'pipeline.gates.set': (p) => board.setGates(p.settings),
    'strategies.list': () => ({ strategies: strategies.list() }),
  };
  const server = new Dispatcher(pipelineHandlers as Handlers, engine.bus, { checkResults: true, commands: engine.commands });
  const w: World = {
    engine,
    clock,
    db,
    server,
    board,
    strategies,
    evidence,
    close: async () => {
      await server.drain();
      await strategies.dispose();
      feed.stop();
      await engine.stop();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  worlds.push(w);
  return w;
}

async function call<T>(w: World, method: string, params: unknown = {}): Promise<T> {
  const outcome = await w.server.invoke(method, params);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

async function settle(w: World, minutes = 1): Promise<void> {
  for (let i = 0; i < minutes; i++) await w.clock.advanceAndSettle(60_000);
}

/** A breakout card found by discovery, with backtest evidence whose worst drawdown was 11 %. */
function discovered(w: World, oosTrades: number): PipelineCard {
  const evidence = testEvidence();
  return w.board.addCard({
    name: `Breakout ${oosTrades}`,
    type: 'breakout',
    params: { channel: 'donchian', period: 5, deviations: 2, fraction: 0.4, allowShort: true },
    model: null,
    symbol: SYMBOL,
    timeframe: '1m',
    dataLabel: 'test evidence',
    discoveryId: 'disc-test',
    evidence: { ...evidence, backtest: { ...evidence.backtest, outOfSample: { ...evidence.backtest.outOfSample!, trades: oosTrades }, worstDrawdownPct: 11 } },
  });
}

const instance = (w: World, id: string | null): StrategyInstance => w.strategies.get(id!);

describe('the strategy pipeline through the contract', () => {
  it('moves a card Discovery → Paper → Live only when each gate passes, demotes it when its drawdown exceeds its backtest worst, and journals every move', async () => {
    const w = await world();
    const strong = discovered(w, 120);
    const weak = discovered(w, 99);
    const listed = await call<PipelineList>(w, 'pipeline.list');
    expect(listed.cards.map((c) => [c.name, c.column, c.nextGate?.passed])).toEqual([
      ['Breakout 120', 'discovery', true],
      ['Breakout 99', 'discovery', false],
    ]);
    expect(listed.cards[1]!.nextGate!.criteria.filter((c) => !c.passed).map((c) => [c.key, c.value])).toEqual([['oosTrades', 99]]);

    // The weak card's gate fails: refused, nothing started.
    await expect(call(w, 'pipeline.promote', { cardId: weak.id })).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/cannot enter Paper: Out-of-sample trades 99 \(needs ≥ 100\)/) });
    expect(w.strategies.list()).toEqual([]);

    // The strong one enters Paper: its instance runs on the paper venue with the card's parameters.
    const onPaper = await call<PipelineCard>(w, 'pipeline.promote', { cardId: strong.id });
    expect(onPaper).toMatchObject({ column: 'paper', venue: 'paper', sizeFactor: null });
    expect(instance(w, onPaper.instanceId)).toMatchObject({ status: 'running', venue: 'paper', type: 'breakout', symbol: SYMBOL, params: expect.objectContaining({ fraction: 0.4 }) });
    await settle(w, 3);

    // Into Live: not after three minutes on paper, nor without a tracking error to judge.
    const early = await call<PipelineCard>(w, 'pipeline.promote', { cardId: strong.id }).catch((e: { code: string; data: { gate: PipelineCard['nextGate'] } }) => e);
    expect(early).toMatchObject({ code: 'INVALID_STATE' });
    const failing = (early as { data: { gate: NonNullable<PipelineCard['nextGate']> } }).data.gate.criteria.filter((c) => !c.passed).map((c) => c.key);
    expect(failing).toEqual(['paperDays', 'paperTrades', 'trackingError']);

    // Fourteen days later, with a small tracking error, the live gate passes once its trade count is relaxed (the
    // simulated market decides how often a breakout trades; the count criterion has its own unit tests).
    w.evidence.daysLater = 14;
    w.evidence.trackingError = 0.012;
    await call<GateSettings>(w, 'pipeline.gates.set', { settings: { live: { minPaperDays: 14, minPaperTrades: 0, maxTrackingError: 0.05, maxOpenDifferences: 0 } } });
    await expect(call(w, 'pipeline.promote', { cardId: strong.id, venue: 'nowhere' })).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    await expect(call(w, 'pipeline.promote', { cardId: strong.id, venue: 'paper' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/paper venue; Live needs a real one/) });
    const live = await call<PipelineCard>(w, 'pipeline.promote', { cardId: strong.id });
    expect(live).toMatchObject({ column: 'live', venue: 'exch', sizeFactor: 0.25 });
    // At a quarter of the paper size, on the real venue; the paper instance is stopped.
    expect(instance(w, live.instanceId)).toMatchObject({ status: 'running', venue: 'exch', params: expect.objectContaining({ fraction: 0.1 }) });
    expect(instance(w, onPaper.instanceId).status).toBe('stopped');
    await settle(w, 2);

    // Its drawdown stays within the backtest's worst: nothing happens. Beyond it: demoted, live instance stopped.
    w.evidence.drawdownPct = 10.5;
    await w.board.refresh();
    expect((await call<PipelineList>(w, 'pipeline.list')).cards.find((c) => c.id === strong.id)!.column).toBe('live');
    w.evidence.drawdownPct = 12;
    await w.board.refresh();
    const demoted = (await call<PipelineList>(w, 'pipeline.list')).cards.find((c) => c.id === strong.id)!;
    expect(demoted).toMatchObject({ column: 'paper', venue: 'paper', sizeFactor: null });
    const stoppedLive = instance(w, live.instanceId);
    expect(stoppedLive.status).toBe('stopped');
    expect(stoppedLive.statusReason).toMatch(/demoted: drawdown 12.00 % is beyond its backtest's worst \(11.00 %\)/);
    expect(w.engine.listOrders('open', 500).orders.filter((o) => o.sourceId === live.instanceId)).toEqual([]);
    // Back on paper it proves itself again from a fresh start.
    expect(instance(w, demoted.instanceId)).toMatchObject({ status: 'running', venue: 'paper' });
    expect(demoted.evidence.run).toMatchObject({ status: 'running', trades: 0, drawdownPct: null });

    // By hand, with a reason: back to Discovery, its paper instance stopped.
    await expect(call(w, 'pipeline.demote', { cardId: strong.id, reason: '  ' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    const back = await call<PipelineCard>(w, 'pipeline.demote', { cardId: strong.id, reason: 'regime changed' });
    expect(back).toMatchObject({ column: 'discovery', instanceId: null, venue: null });
    expect(instance(w, demoted.instanceId).status).toBe('stopped');
    await expect(call(w, 'pipeline.demote', { cardId: strong.id, reason: 'again' })).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringMatching(/first column/) });
    await expect(call(w, 'pipeline.promote', { cardId: 'card-none' })).rejects.toMatchObject({ code: 'NOT_FOUND' });

    // Every move is in the journal, newest first, with the evidence it was made on.
    const moves = new SqlitePipelineStore(w.db).moves(50, strong.id);
    expect(moves.map((m) => [m.kind, m.from, m.to, m.automatic])).toEqual([
      ['demote', 'paper', 'discovery', false],
      ['demote', 'live', 'paper', true],
      ['promote', 'paper', 'live', false],
      ['promote', 'discovery', 'paper', false],
      ['created', null, 'discovery', true],
    ]);
    expect(moves[0]!.reason).toBe('regime changed');
    expect(moves[1]!.reason).toMatch(/beyond its backtest's worst/);
    expect(moves[1]!.evidence.run).toMatchObject({ drawdownPct: 12, venue: 'exch', status: 'running' });
    expect(moves[2]!.gate).toMatchObject({ column: 'live', passed: true });
    expect(moves[2]!.evidence.run).toMatchObject({ trackingError: 0.012, venue: 'paper' });
    // Fourteen days on the pipeline's clock and the three minutes the market ran.
    expect(moves[2]!.evidence.run!.days).toBeCloseTo(14 + 3 / 1440, 9);
    expect(moves[3]!.gate).toMatchObject({ column: 'paper', passed: true });
    expect(moves[3]!.evidence.backtest.outOfSample!.trades).toBe(120);
    expect(new SqlitePipelineStore(w.db).moves(50, weak.id).map((m) => m.kind)).toEqual(['created']);
  }, 60_000);

  it('promotes on its own when automatic promotion is on, and only a card whose gate passes', async () => {
    const w = await world();
    const strong = discovered(w, 150);
    const weak = discovered(w, 10);
    await w.board.refresh();
    expect((await call<PipelineList>(w, 'pipeline.list')).cards.map((c) => c.column)).toEqual(['discovery', 'discovery']);
    await call(w, 'pipeline.gates.set', { settings: { autoPromote: true } });
    await w.board.refresh();
    const cards = (await call<PipelineList>(w, 'pipeline.list')).cards;
    expect(cards.find((c) => c.id === strong.id)).toMatchObject({ column: 'paper', venue: 'paper' });
    expect(cards.find((c) => c.id === weak.id)).toMatchObject({ column: 'discovery' });
    const move = new SqlitePipelineStore(w.db).moves(1, strong.id)[0]!;
    expect(move).toMatchObject({ kind: 'promote', to: 'paper', automatic: true });
    // With no real venue chosen and a tracking error unknown, it stays on paper however often the board is read.
    w.evidence.daysLater = 30;
    await w.board.refresh();
    expect((await call<PipelineList>(w, 'pipeline.list')).cards.find((c) => c.id === strong.id)!.column).toBe('paper');
  }, 60_000);

  it('refuses to go live when no real venue is ready, and keeps the card on paper', async () => {
    const w = await world((statuses) => statuses.map((s) => (s.venue === 'exch' ? { ...s, state: 'disconnected' as const, reason: 'socket closed' } : s)));
    const card = discovered(w, 150);
    await call(w, 'pipeline.promote', { cardId: card.id });
    w.evidence.daysLater = 20;
    w.evidence.trackingError = 0.01;
    await call(w, 'pipeline.gates.set', { settings: { live: { minPaperDays: 14, minPaperTrades: 0, maxTrackingError: 0.05, maxOpenDifferences: 0 } } });
    await expect(call(w, 'pipeline.promote', { cardId: card.id })).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE', message: 'No real venue is ready to go live on (exch disconnected)' });
    expect((await call<PipelineList>(w, 'pipeline.list')).cards[0]).toMatchObject({ column: 'paper', venue: 'paper' });
    expect(w.strategies.list().filter((s) => s.venue === 'exch')).toEqual([]);
  }, 60_000);
});
