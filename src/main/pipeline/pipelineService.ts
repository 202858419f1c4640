/**
 * The strategy pipeline: cards on a board of three columns, moved forward
 * only when the gate of the column they would enter passes on their
 * evidence, and back when they degrade.
 *
 * - Entering Paper creates the card's strategy instance on the paper venue
 *   and starts it; entering Live creates it on a real venue that is ready, at
 *   the live size factor, and stops the paper one. Orders go through the
 *   kernel like anyone's, so the risk governor judges every one.
 * - Demoting (by hand with a reason, or automatically when the card
 *   degrades) stops its instance, which cancels its orders, and moves it one
 *   column back; a card demoted from Live proves itself on paper again.
 * - Every move is journaled with the evidence and the gate it was made on.
 * - `refresh` reads each running card's evidence (paper days, trades,
 *   drawdown, tracking error, reconciliation, risk refusals) and makes the
 *   automatic moves the settings allow. Moves and refreshes run one at a
 *   time, so a refresh never acts on a card a click is moving.
 */
import type { EventPayload } from '../../shared/contract';
import {
  DEFAULT_GATE_SETTINGS,
  gateSettingsSchema,
  type CardEvidence,
  type DiscoveryProgress,
  type DiscoverySchedule,
  type GateResult,
  type GateSettings,
  type PipelineCard,
  type PipelineColumn,
  type PipelineList,
  type PipelineMove,
  type RunEvidence,
} from '../../shared/contract/pipeline';
import type { CreateStrategyParams, StrategyInstance } from '../../shared/contract/strategies';
import type { VenueStatus } from '../../shared/domain';
import { errorText, KeelError } from '../../shared/errors';
import type { Logger } from '../engine/ports/logger';
import type { StrategyDefinition } from '../engine/strategies/definition';
import { degradation, evaluateGate, nextColumn, previousColumn } from './gates';
import type { CardRecord, PipelineStore } from './pipelineStore';
import { scaleSize } from './sizeScaling';
import { parse } from '../backtest/service/parseInput';

const DAY_MS = 86_400_000;
/** Moves listed with the board. */
const MOVES_LISTED = 100;
/** Discoveries listed with the board, and kept in the journal once ended. */
export const DISCOVERIES_KEPT = 50;

/** The strategy runtime, as the pipeline uses it. */
export interface PipelineInstances {
  create(params: CreateStrategyParams): StrategyInstance;
  start(id: string): Promise<StrategyInstance>;
  stop(id: string, flatten?: boolean, reason?: string | null): Promise<StrategyInstance>;
  get(id: string): StrategyInstance;
  delete(id: string): void;
}

/** The parity report, as the pipeline reads it: how far an instance strays from a replay of its period. */
export interface ParityPort {
  /** Null while there is not enough to compare. */
  trackingError(instanceId: string): Promise<number | null>;
}

/** What the engine knows about a running instance besides its own accounting. */
export interface RunFacts {
  /** Its equity's deepest fall since `since`, in percent (positive); null before it has traded. */
  drawdownPct(instanceId: string, since: number): Promise<number | null>;
  /** Differences the venue's latest reconciliation found that are still unresolved. */
  openDifferences(venue: string): number;
  /** Its orders the risk stage refused since `since`. */
  riskRefusals(instanceId: string, since: number): number;
}

export type PipelineTopic = 'pipeline.updated' | 'pipeline.discovery';

export interface PipelineServiceOptions {
  store: PipelineStore;
  instances: PipelineInstances;
  /** The catalog's definitions, for the size parameters a live card scales. */
  definitions: { get(type: string): StrategyDefinition | null | undefined };
  venues: () => VenueStatus[];
  facts: RunFacts;
  /** The parity report's tracking error, as a fraction of a trade's return; without it the tracking error stays unknown (and no card passes the Live gate). */
  parity?: ParityPort;
  publish<T extends PipelineTopic>(topic: T, payload: EventPayload<T>): void;
  now: () => number;
  newId: (prefix: string) => string;
  log: Logger;
  /** The venue cards prove themselves on. Default `paper`. */
  paperVenue?: string;
}

export interface PromoteInput {
  cardId: string;
  venue?: string | undefined;
  sizeFactor?: number | undefined;
}

/** A candidate discovery found, with its backtest evidence. */
export type NewCard = Pick<CardRecord, 'name' | 'type' | 'params' | 'model' | 'symbol' | 'timeframe' | 'dataLabel' | 'discoveryId'> & { evidence: CardEvidence };

export class PipelineService {
  private readonly paperVenue: string;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: PipelineServiceOptions) {
    this.paperVenue = options.paperVenue ?? 'paper';
  }

  list(): PipelineList {
    const settings = this.gates();
    return {
      cards: this.options.store.cards().map((card) => this.view(card, settings)),
      moves: this.options.store.moves(MOVES_LISTED),
      discoveries: this.options.store.discoveries(DISCOVERIES_KEPT),
      schedules: this.options.store.schedules(),
    };
  }

  card(id: string): PipelineCard {
    return this.view(this.record(id), this.gates());
  }

  gates(): GateSettings {
    return this.options.store.gates() ?? DEFAULT_GATE_SETTINGS;
  }

  setGates(patch: Partial<GateSettings>): GateSettings {
    const settings = parse(gateSettingsSchema, { ...this.gates(), ...patch });
    this.options.store.saveGates(settings);
    this.publishBoard();
    return settings;
  }

  /** Moves a card into the next column when that column's gate passes on its freshest evidence. */
  promote(input: PromoteInput, automatic = false): Promise<PipelineCard> {
    return this.serial(() => this.promoteNow(input, automatic, null));
  }

  /** Moves a card one column back with the reason, stopping its instance. */
  demote(cardId: string, reason: string, automatic = false): Promise<PipelineCard> {
    return this.serial(() => this.demoteNow(this.record(cardId), reason, automatic));
  }

  /** Puts a candidate discovery kept on the board, in Discovery; journals its creation. */
  addCard(candidate: NewCard): PipelineCard {
    const now = this.options.now();
    const card: CardRecord = {
      ...candidate,
      id: this.options.newId('card'),
      column: 'discovery',
      instanceId: null,
      venue: null,
      sizeFactor: null,
      createdAt: now,
      updatedAt: now,
    };
    this.options.store.saveCard(card);
    const gate = evaluateGate('discovery', card.evidence, this.gates());
    this.journalMove(card, { kind: 'created', from: null, to: 'discovery', reason: `kept by a discovery on ${card.dataLabel} (${card.evidence.backtest.trials} sets tried)`, automatic: true, gate });
    this.publishBoard();
    return this.view(card, this.gates());
  }

  /** A discovery's progress, kept in the journal, listed with the board and published. */
  reportDiscovery(progress: DiscoveryProgress): void {
    this.options.store.saveDiscovery(progress);
    this.safePublish('pipeline.discovery', progress);
    if (progress.status === 'running') return;
    // One that ends makes room by forgetting the oldest ended ones.
    this.options.store.pruneDiscoveries(DISCOVERIES_KEPT);
    this.publishBoard();
  }

  /** Discoveries still marked running that no run carries on (Keel stopped while they ran) end failed with the reason. */
  failInterruptedDiscoveries(reason: string): number {
    const interrupted = this.options.store.runningDiscoveries();
    for (const progress of interrupted) {
      this.options.store.saveDiscovery({ ...progress, status: 'failed', message: `${reason} (at ${progress.done}/${progress.total}: ${progress.message})` });
    }
    return interrupted.length;
  }

  schedules(): DiscoverySchedule[] {
    return this.options.store.schedules();
  }

  schedule(id: string): DiscoverySchedule | null {
    return this.options.store.schedules().find((s) => s.id === id) ?? null;
  }

  saveSchedule(schedule: DiscoverySchedule): void {
    this.options.store.saveSchedule(schedule);
    this.publishBoard();
  }

  /** Forgets a schedule; an unknown id is `NOT_FOUND`. */
  removeSchedule(id: string): void {
    if (!this.options.store.removeSchedule(id)) throw new KeelError('NOT_FOUND', `No discovery schedule ${id}`);
    this.publishBoard();
  }

  /**
   * Reads every running card's evidence, demotes those that degraded (when
   * automatic demotion is on) and promotes those whose gate passes (when
   * automatic promotion is on). A failure on one card is logged and the
   * others go on.
   */
  refresh(): Promise<void> {
    return this.serial(async () => {
      const settings = this.gates();
      let changed = false;
      for (const card of this.options.store.cards()) {
        try {
          changed = (await this.refreshCard(card, settings)) || changed;
        } catch (error) {
          this.options.log.warn(`[pipeline] card ${card.id}: ${errorText(error)}`);
        }
      }
      if (changed) this.publishBoard();
    });
  }

  // ---- moves ----------------------------------------------------------------

  private async refreshCard(stored: CardRecord, settings: GateSettings): Promise<boolean> {
    let card = stored;
    if (card.column !== 'discovery' && card.instanceId !== null) {
      card = { ...card, evidence: await this.withRun(card), updatedAt: this.options.now() };
      this.options.store.saveCard(card);
    }
    const reason = degradation(card.column, card.evidence, settings);
    if (reason !== null && settings.autoDemote) {
      await this.demoteNow(card, reason, true);
      return true;
    }
    const next = nextColumn(card.column);
    if (reason === null && next !== null && settings.autoPromote && evaluateGate(next, card.evidence, settings).passed) {
      try {
        await this.promoteNow({ cardId: card.id }, true, card);
      } catch (error) {
        this.options.log.warn(`[pipeline] card ${card.id} passed its gate but could not enter ${next}: ${errorText(error)}`);
      }
      return true;
    }
    return card !== stored;
  }

  private async promoteNow(input: PromoteInput, automatic: boolean, fresh: CardRecord | null): Promise<PipelineCard> {
    let card = fresh ?? this.record(input.cardId);
    const target = nextColumn(card.column);
    if (target === null) throw new KeelError('INVALID_STATE', `${card.name} is already Live, the last column`);
    if (fresh === null && card.instanceId !== null) card = { ...card, evidence: await this.withRun(card) };
    const settings = this.gates();
    const gate = evaluateGate(target, card.evidence, settings);
    if (!gate.passed) {
      const failing = gate.criteria.filter((c) => !c.passed).map((c) => `${c.label} ${c.value === null ? 'unknown' : String(c.value)} (needs ${c.requirement})`);
      throw new KeelError('INVALID_STATE', `${card.name} cannot enter ${columnName(target)}: ${failing.join('; ')}`, { gate });
    }
    const definition = this.definition(card.type);
    let started: StrategyInstance;
    let sizeFactor: number | null = null;
    if (target === 'paper') {
      started = await this.launch(card, this.paperVenue, card.params, 'Paper');
    } else {
      const venue = this.liveVenue(input.venue ?? settings.liveVenue);
      sizeFactor = input.sizeFactor ?? settings.liveSizeFactor;
      started = await this.launch(card, venue, scaleSize(definition, card.params, sizeFactor), 'Live');
      await this.stopInstance(card.instanceId, 'promoted to Live');
    }
    const now = this.options.now();
    const moved: CardRecord = {
      ...card,
      column: target,
      instanceId: started.id,
      venue: started.venue,
      sizeFactor,
      evidence: { ...card.evidence, run: freshRun(started, now), updatedAt: now },
      updatedAt: now,
    };
    this.options.store.saveCard(moved);
    const reason = target === 'live' ? `gate passed; live on ${started.venue} at size ×${sizeFactor}` : 'gate passed; trading on paper';
    // The move keeps the evidence that opened the gate, not the fresh run it starts.
    this.journalMove({ ...moved, evidence: card.evidence }, { kind: 'promote', from: card.column, to: target, reason, automatic, gate });
    this.publishBoard();
    return this.view(moved, settings);
  }

  private async demoteNow(card: CardRecord, reason: string, automatic: boolean): Promise<PipelineCard> {
    const target = previousColumn(card.column);
    if (target === null) throw new KeelError('INVALID_STATE', `${card.name} is in Discovery, the first column: there is nothing to demote it to`);
    await this.stopInstance(card.instanceId, `demoted: ${reason}`);
    const now = this.options.now();
    let moved: CardRecord = { ...card, column: target, instanceId: null, venue: null, sizeFactor: null, evidence: { ...card.evidence, run: null, updatedAt: now }, updatedAt: now };
    let note = '';
    if (target === 'paper') {
      // Back on paper it proves itself again, from a fresh start.
      try {
        const started = await this.launch(card, this.paperVenue, card.params, 'Paper');
        moved = { ...moved, instanceId: started.id, venue: started.venue, evidence: { ...moved.evidence, run: freshRun(started, now) } };
      } catch (error) {
        note = ` (its paper instance could not start: ${errorText(error)})`;
      }
    }
    this.options.store.saveCard(moved);
    this.journalMove({ ...moved, evidence: card.evidence }, { kind: 'demote', from: card.column, to: target, reason: `${reason}${note}`, automatic, gate: null });
    this.publishBoard();
    return this.view(moved, this.gates());
  }

  /** Creates and starts the card's instance; one that cannot start is removed again, and the card stays where it was. */
  private async launch(card: CardRecord, venue: string, params: CardRecord['params'], label: string): Promise<StrategyInstance> {
    const instance = this.options.instances.create({
      type: card.type,
      name: `${card.name} (${label})`.slice(0, 80),
      venue,
      symbol: card.symbol,
      timeframe: card.timeframe,
      params,
      resumeAfterRestart: true,
    });
    try {
      return await this.options.instances.start(instance.id);
    } catch (error) {
      try {
        this.options.instances.delete(instance.id);
      } catch (cleanup) {
        this.options.log.warn(`[pipeline] removing instance ${instance.id} that could not start failed: ${errorText(cleanup)}`);
      }
      throw error;
    }
  }

  /** Stops an instance (its orders cancelled); one already stopped or deleted is left as it is. */
  private async stopInstance(id: string | null, reason: string): Promise<void> {
    if (id === null) return;
    let instance: StrategyInstance;
    try {
      instance = this.options.instances.get(id);
    } catch (error) {
      if (error instanceof KeelError && error.code === 'NOT_FOUND') return;
      throw error;
    }
    if (instance.status === 'stopped') return;
    await this.options.instances.stop(id, false, `pipeline: ${reason}`);
  }

  /** The real venue a card goes live on: the one asked for, or the only one ready; refused clearly when none is. */
  private liveVenue(asked: string | null | undefined): string {
    const statuses = this.options.venues();
    const real = statuses.filter((s) => !s.paper);
    if (asked !== null && asked !== undefined) {
      const status = statuses.find((s) => s.venue === asked);
      if (!status) throw new KeelError('VENUE_UNAVAILABLE', `No venue "${asked}" is configured; add it in Settings → Exchanges`);
      if (status.paper) throw new KeelError('VALIDATION_FAILED', `${asked} is a paper venue; Live needs a real one`);
      if (status.state !== 'ready') throw new KeelError('VENUE_UNAVAILABLE', `${asked} is not ready (${status.state}${status.reason ? `: ${status.reason}` : ''})`);
      return asked;
    }
    const ready = real.filter((s) => s.state === 'ready');
    if (ready.length === 1) return ready[0]!.venue;
    if (ready.length === 0) {
      const seen = real.map((s) => `${s.venue} ${s.state}`).join(', ');
      throw new KeelError('VENUE_UNAVAILABLE', `No real venue is ready to go live on${seen ? ` (${seen})` : ' (none is configured)'}`);
    }
    throw new KeelError('VALIDATION_FAILED', `Several real venues are ready (${ready.map((s) => s.venue).join(', ')}): choose one in the gate settings or with the promotion`);
  }

  // ---- evidence -------------------------------------------------------------

  private async withRun(card: CardRecord): Promise<CardEvidence> {
    const previous = card.evidence.run;
    if (card.instanceId === null || previous === null) return card.evidence;
    const { facts, parity } = this.options;
    const now = this.options.now();
    let trades = previous.trades;
    let status: RunEvidence['status'] = 'deleted';
    try {
      const instance = this.options.instances.get(card.instanceId);
      trades = instance.accounting.trades;
      status = instance.status;
    } catch (error) {
      if (!(error instanceof KeelError && error.code === 'NOT_FOUND')) throw error;
    }
    const trackingError = parity ? await parity.trackingError(card.instanceId) : null;
    const run: RunEvidence = {
      ...previous,
      status,
      days: Math.max(0, (now - previous.startedAt) / DAY_MS),
      trades,
      drawdownPct: await facts.drawdownPct(card.instanceId, previous.startedAt),
      trackingError,
      // The reading before a change, so "rising" compares two different readings.
      previousTrackingError: trackingError !== previous.trackingError ? previous.trackingError : previous.previousTrackingError,
      openDifferences: facts.openDifferences(previous.venue),
      riskRefusals: facts.riskRefusals(card.instanceId, previous.startedAt),
    };
    return { ...card.evidence, run, updatedAt: now };
  }

  // ---- plumbing -------------------------------------------------------------

  private view(card: CardRecord, settings: GateSettings): PipelineCard {
    const next = nextColumn(card.column);
    return {
      ...card,
      nextGate: next === null ? null : evaluateGate(next, card.evidence, settings),
      degradation: degradation(card.column, card.evidence, settings),
    };
  }

  private record(id: string): CardRecord {
    const card = this.options.store.card(id);
    if (card === null) throw new KeelError('NOT_FOUND', `No pipeline card ${id}`);
    return card;
  }

  private definition(type: string): StrategyDefinition {
    const definition = this.options.definitions.get(type);
    if (!definition) throw new KeelError('NOT_FOUND', `No strategy type "${type}" in the catalog`);
    return definition;
  }

  private journalMove(card: CardRecord, move: Pick<PipelineMove, 'kind' | 'from' | 'to' | 'reason' | 'automatic'> & { gate: GateResult | null }): void {
    this.options.store.addMove({ id: this.options.newId('mv'), cardId: card.id, evidence: card.evidence, at: this.options.now(), ...move });
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }

  private publishBoard(): void {
    this.safePublish('pipeline.updated', this.list());
  }

  private safePublish<T extends PipelineTopic>(topic: T, payload: EventPayload<T>): void {
    try {
      this.options.publish(topic, payload);
    } catch (error) {
      this.options.log.warn(`[pipeline] publishing ${topic} failed: ${errorText(error)}`);
    }
  }
}

function freshRun(instance: StrategyInstance, now: number): RunEvidence {
  return { instanceId: instance.id, venue: instance.venue, status: instance.status, startedAt: now, days: 0, trades: 0, drawdownPct: null, trackingError: null, previousTrackingError: null, openDifferences: 0, riskRefusals: 0 };
}

function columnName(column: PipelineColumn): string {
  return column === 'discovery' ? 'Discovery' : column === 'paper' ? 'Paper' : 'Live';
}
