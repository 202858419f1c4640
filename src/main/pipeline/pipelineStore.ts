/**
 * Where the pipeline keeps its board: the cards (each strategy version with
 * its evidence), every move made (with the evidence it was made on), and the
 * gate settings, the discovery schedules and the recent discoveries' progress.
 * The journal's SQLite store is the real one; the memory store serves tests.
 * Both keep the same rules: a card's id is unique, moves are append-only, the
 * newest move first when listed; a discovery keeps its place (its start) when
 * its progress is saved again.
 */
import type { DiscoveryProgress, DiscoverySchedule, GateSettings, PipelineCard, PipelineMove } from '../../shared/contract/pipeline';

/** A card as kept: what is derived from it (its next gate, its degradation) is worked out when it is read. */
export type CardRecord = Omit<PipelineCard, 'nextGate' | 'degradation'>;

export interface PipelineStore {
  cards(): CardRecord[];
  card(id: string): CardRecord | null;
  /** Adds a card or replaces the one with its id. */
  saveCard(card: CardRecord): void;
  /** Appends a move; a move's id is unique. */
  addMove(move: PipelineMove): void;
  /** The newest first, at most `limit`; of one card when `cardId` is given. */
  moves(limit: number, cardId?: string): PipelineMove[];
  /** Null until the trader first sets them. */
  gates(): GateSettings | null;
  saveGates(settings: GateSettings): void;
  /** Oldest first. */
  schedules(): DiscoverySchedule[];
  /** Adds a schedule or replaces the one with its id. */
  saveSchedule(schedule: DiscoverySchedule): void;
  /** False when there was none with the id. */
  removeSchedule(id: string): boolean;
  /** The newest (latest started) first, at most `limit`. */
  discoveries(limit: number): DiscoveryProgress[];
  /** Those still marked running, oldest first. */
  runningDiscoveries(): DiscoveryProgress[];
  /** Adds a discovery's progress or replaces the one with its job id (keeping its place). */
  saveDiscovery(progress: DiscoveryProgress): void;
  /** Forgets all but the newest `keep` discoveries that are not running. */
  pruneDiscoveries(keep: number): void;
}

export class MemoryPipelineStore implements PipelineStore {
  private readonly cardsById = new Map<string, CardRecord>();
  private readonly moveList: PipelineMove[] = [];
  private gateSettings: GateSettings | null = null;
  private readonly schedulesById = new Map<string, DiscoverySchedule>();
  /** Oldest first; a Map keeps the place of a key set again. */
  private readonly discoveriesById = new Map<string, DiscoveryProgress>();

  cards(): CardRecord[] {
    return [...this.cardsById.values()].map((c) => structuredClone(c));
  }

  card(id: string): CardRecord | null {
    const card = this.cardsById.get(id);
    return card ? structuredClone(card) : null;
  }

  saveCard(card: CardRecord): void {
    this.cardsById.set(card.id, structuredClone(card));
  }

  addMove(move: PipelineMove): void {
    if (this.moveList.some((m) => m.id === move.id)) throw new Error(`A move ${move.id} is already recorded`);
    this.moveList.push(structuredClone(move));
  }

  moves(limit: number, cardId?: string): PipelineMove[] {
    const list = this.moveList.filter((m) => cardId === undefined || m.cardId === cardId);
    // Newest first; moves made in the same millisecond keep the order they were made in, reversed.
    return list.map((m, i) => ({ m, i })).sort((a, b) => b.m.at - a.m.at || b.i - a.i).slice(0, limit).map(({ m }) => structuredClone(m));
  }

  gates(): GateSettings | null {
    return this.gateSettings === null ? null : structuredClone(this.gateSettings);
  }

  saveGates(settings: GateSettings): void {
    this.gateSettings = structuredClone(settings);
  }

  schedules(): DiscoverySchedule[] {
    return [...this.schedulesById.values()].sort((a, b) => a.createdAt - b.createdAt).map((s) => structuredClone(s));
  }

  saveSchedule(schedule: DiscoverySchedule): void {
    this.schedulesById.set(schedule.id, structuredClone(schedule));
  }

  removeSchedule(id: string): boolean {
    return this.schedulesById.delete(id);
  }

  discoveries(limit: number): DiscoveryProgress[] {
    return [...this.discoveriesById.values()].reverse().slice(0, limit).map((d) => structuredClone(d));
  }

  runningDiscoveries(): DiscoveryProgress[] {
    return [...this.discoveriesById.values()].filter((d) => d.status === 'running').map((d) => structuredClone(d));
  }

  saveDiscovery(progress: DiscoveryProgress): void {
    this.discoveriesById.set(progress.jobId, structuredClone(progress));
  }

  pruneDiscoveries(keep: number): void {
    const ended = [...this.discoveriesById.values()].filter((d) => d.status !== 'running').reverse();
    for (const old of ended.slice(keep)) this.discoveriesById.delete(old.jobId);
  }
}
