/**
 * The pipeline service on fake ports: how it reads running evidence, when
 * it demotes on its own, what it does when an instance cannot start, and
 * how it picks (or refuses) a live venue. The whole engine path is in
 * tests/integration/pipeline.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_SETTINGS, type PipelineMove } from '../../shared/contract/pipeline';
import type { CreateStrategyParams, StrategyInstance } from '../../shared/contract/strategies';
import { NO_STRATEGY_LIMITS } from '../../shared/contract/strategies';
import type { VenueStatus } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import { silentLogger } from '../engine/ports/logger';
import { BUILTIN_STRATEGIES } from '../engine/strategies/catalog';
import { MemoryPipelineStore } from './pipelineStore';
import { PipelineService, type PipelineInstances } from './pipelineService';
import { testEvidence } from './testCards';

const DAY = 86_400_000;

class FakeInstances implements PipelineInstances {
  readonly byId = new Map<string, StrategyInstance>();
  failStart: string | null = null;
  deleted: string[] = [];
  private n = 0;

  create(p: CreateStrategyParams): StrategyInstance {
    const id = `s-${++this.n}`;
    const instance: StrategyInstance = {
      id,
      type: p.type,
      name: p.name ?? p.type,
      venue: p.venue,
      symbol: p.symbol,
      timeframe: p.timeframe,
      params: p.params,
      limits: NO_STRATEGY_LIMITS,
      status: 'stopped',
      statusReason: null,
      resumeAfterRestart: p.resumeAfterRestart ?? false,
      accounting: { realizedPnl: '0', unrealizedPnl: '0', fees: '0', trades: 0, wins: 0, winRatePct: null, position: '0', entryPrice: null, openOrders: 0, lastSignal: null },
      createdAt: 0,
      updatedAt: 0,
    };
    this.byId.set(id, instance);
    return instance;
  }

  start(id: string): Promise<StrategyInstance> {
    if (this.failStart) return Promise.reject(new KeelError('VENUE_UNAVAILABLE', this.failStart));
    return Promise.resolve(this.set(id, { status: 'running' }));
  }

  stop(id: string, _flatten?: boolean, reason?: string | null): Promise<StrategyInstance> {
    return Promise.resolve(this.set(id, { status: 'stopped', statusReason: reason ?? null }));
  }

  get(id: string): StrategyInstance {
    const instance = this.byId.get(id);
    if (!instance) throw new KeelError('NOT_FOUND', `No strategy ${id}`);
    return instance;
  }

  delete(id: string): void {
    this.byId.delete(id);
    this.deleted.push(id);
  }

  set(id: string, patch: Partial<StrategyInstance>): StrategyInstance {
    const next = { ...this.get(id), ...patch };
    this.byId.set(id, next);
    return next;
  }
}

const ready = (venue: string, paper = false): VenueStatus => ({ venue, state: 'ready', reason: null, paper });

function setup(venues: VenueStatus[] = [ready('paper', true), ready('binance')]) {
  let now = Date.UTC(2026, 10, 1);
  const store = new MemoryPipelineStore();
  const instances = new FakeInstances();
  const readings = { trackingError: null as number | null, drawdownPct: null as number | null };
  const published: string[] = [];
  let ids = 0;
  const service = new PipelineService({
    store,
    instances,
    definitions: { get: (type) => BUILTIN_STRATEGIES.find((d) => d.type === type) },
    venues: () => venues,
    facts: { drawdownPct: () => Promise.resolve(readings.drawdownPct), openDifferences: () => 0, riskRefusals: () => 2 },
    parity: { trackingError: () => Promise.resolve(readings.trackingError) },
    publish: (topic) => published.push(topic),
    now: () => now,
    newId: (prefix) => `${prefix}-${++ids}`,
    log: silentLogger,
  });
  const card = service.addCard({
    name: 'RSI',
    type: 'rsi-reversion',
    params: { period: 14, fraction: 0.5 },
    model: null,
    symbol: 'BTC/USDT:USDT',
    timeframe: '1h',
    dataLabel: 'test',
    discoveryId: null,
    evidence: testEvidence(),
  });
  const moves = (): PipelineMove[] => store.moves(20, card.id);
  return { service, store, instances, readings, published, card, moves, later: (ms: number) => (now += ms) };
}

const openLiveGate = { live: { minPaperDays: 1, minPaperTrades: 0, maxTrackingError: 0.05, maxOpenDifferences: 0 } };

describe('the pipeline service', () => {
  it('reads a paper card\'s evidence: days on its clock, its trades, refusals, and the tracking error before the last change', async () => {
    const { service, instances, readings, card, later } = setup();
    const paper = await service.promote({ cardId: card.id });
    instances.set(paper.instanceId!, { accounting: { ...instances.get(paper.instanceId!).accounting, trades: 7 } });
    later(DAY / 2);
    readings.trackingError = 0.01;
    await service.refresh();
    expect(service.card(card.id).evidence.run).toMatchObject({ days: 0.5, trades: 7, riskRefusals: 2, trackingError: 0.01, previousTrackingError: null });
    await service.refresh();
    expect(service.card(card.id).evidence.run).toMatchObject({ trackingError: 0.01, previousTrackingError: null });
    readings.trackingError = 0.02;
    await service.refresh();
    expect(service.card(card.id).evidence.run).toMatchObject({ trackingError: 0.02, previousTrackingError: 0.01 });
  });

  it('demotes a live card whose tracking error is over the bound and rising, and only when automatic demotion is on', async () => {
    const { service, instances, readings, card, moves, later } = setup();
    service.setGates(openLiveGate);
    await service.promote({ cardId: card.id });
    later(2 * DAY);
    readings.trackingError = 0.01;
    const live = await service.promote({ cardId: card.id });
    expect(live).toMatchObject({ column: 'live', venue: 'binance', sizeFactor: 0.25, params: { period: 14, fraction: 0.5 } });
    expect(instances.get(live.instanceId!).params).toMatchObject({ fraction: 0.125 });

    service.setGates({ autoDemote: false });
    readings.trackingError = 0.06;
    await service.refresh();
    readings.trackingError = 0.07;
    await service.refresh();
    const degraded = service.card(card.id);
    expect(degraded.column).toBe('live');
    expect(degraded.degradation).toMatch(/tracking error 0.0700 is over its bound 0.05 and rising \(from 0.0600\)/);

    service.setGates({ autoDemote: true });
    await service.refresh();
    expect(service.card(card.id).column).toBe('paper');
    expect(instances.get(live.instanceId!)).toMatchObject({ status: 'stopped', statusReason: expect.stringMatching(/^pipeline: demoted: tracking error/) });
    expect(moves()[0]).toMatchObject({ kind: 'demote', from: 'live', to: 'paper', automatic: true, reason: expect.stringMatching(/rising/) });
  });

  it('leaves the card where it was when its instance cannot start, and removes the instance', async () => {
    const { service, instances, card, moves } = setup();
    instances.failStart = 'paper is reconciling';
    await expect(service.promote({ cardId: card.id })).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE', message: 'paper is reconciling' });
    expect(service.card(card.id)).toMatchObject({ column: 'discovery', instanceId: null });
    expect(instances.deleted).toEqual(['s-1']);
    expect(moves().map((m) => m.kind)).toEqual(['created']);
  });

  it('asks which real venue when several are ready, and takes the one the settings name', async () => {
    const { service, readings, card, later } = setup([ready('paper', true), ready('binance'), ready('bybit')]);
    service.setGates(openLiveGate);
    await service.promote({ cardId: card.id });
    later(2 * DAY);
    readings.trackingError = 0.01;
    await expect(service.promote({ cardId: card.id })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/Several real venues are ready \(binance, bybit\)/) });
    service.setGates({ liveVenue: 'bybit', liveSizeFactor: 0.5 });
    expect(await service.promote({ cardId: card.id })).toMatchObject({ column: 'live', venue: 'bybit', sizeFactor: 0.5 });
  });

  it('refuses gate settings out of range and keeps the old ones', () => {
    const { service } = setup();
    expect(() => service.setGates({ liveSizeFactor: 3 })).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    expect(service.gates()).toEqual(DEFAULT_GATE_SETTINGS);
  });

  it('publishes the board on every change', async () => {
    const { service, card, published } = setup();
    published.length = 0;
    service.setGates({ paper: { ...DEFAULT_GATE_SETTINGS.paper, minOosTrades: 1 } });
    await service.promote({ cardId: card.id });
    expect(published).toEqual(['pipeline.updated', 'pipeline.updated']);
  });
});
