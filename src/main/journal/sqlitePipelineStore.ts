/**
 * The pipeline's board on the journal's SQLite database (the tables of
 * migrations 20 and 21): cards, moves, schedules and discoveries as JSON
 * records beside the columns their reads use, and the gate settings as one
 * row. Records are checked against the contract on the way out.
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import {
  discoveryProgressSchema,
  discoveryScheduleSchema,
  gateSettingsSchema,
  pipelineCardSchema,
  pipelineMoveSchema,
  type DiscoveryProgress,
  type DiscoverySchedule,
  type GateSettings,
  type PipelineMove,
} from '../../shared/contract/pipeline';
import { errorText } from '../../shared/errors';
import type { CardRecord, PipelineStore } from '../pipeline/pipelineStore';

const cardRecordSchema = pipelineCardSchema.omit({ nextGate: true, degradation: true });

function parse<S extends z.ZodType>(schema: S, body: string, what: string): z.infer<S> {
  try {
    return schema.parse(JSON.parse(body));
  } catch (error) {
    throw new Error(`Unreadable ${what} in the journal: ${errorText(error)}`);
  }
}

export class SqlitePipelineStore implements PipelineStore {
  private readonly s: Record<
    | 'cards'
    | 'card'
    | 'saveCard'
    | 'addMove'
    | 'moves'
    | 'movesOf'
    | 'gates'
    | 'saveGates'
    | 'schedules'
    | 'saveSchedule'
    | 'removeSchedule'
    | 'discoveries'
    | 'running'
    | 'saveDiscovery'
    | 'pruneDiscoveries',
    Database.Statement
  >;

  constructor(db: Database.Database) {
    this.s = {
      cards: db.prepare('SELECT body FROM pipeline_cards ORDER BY created_at, id'),
      card: db.prepare('SELECT body FROM pipeline_cards WHERE id = ?'),
      saveCard: db.prepare(
        `INSERT INTO pipeline_cards (id, column_name, created_at, updated_at, body) VALUES (@id, @column, @createdAt, @updatedAt, @body)
         ON CONFLICT (id) DO UPDATE SET column_name = excluded.column_name, updated_at = excluded.updated_at, body = excluded.body`,
      ),
      addMove: db.prepare('INSERT INTO pipeline_moves (id, card_id, at, body) VALUES (@id, @cardId, @at, @body)'),
      moves: db.prepare('SELECT body FROM pipeline_moves ORDER BY at DESC, seq DESC LIMIT ?'),
      movesOf: db.prepare('SELECT body FROM pipeline_moves WHERE card_id = ? ORDER BY at DESC, seq DESC LIMIT ?'),
      gates: db.prepare('SELECT body FROM pipeline_gates WHERE id = 1'),
      saveGates: db.prepare('INSERT INTO pipeline_gates (id, body) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET body = excluded.body'),
      schedules: db.prepare('SELECT body FROM pipeline_schedules ORDER BY created_at, id'),
      saveSchedule: db.prepare('INSERT INTO pipeline_schedules (id, created_at, body) VALUES (@id, @createdAt, @body) ON CONFLICT (id) DO UPDATE SET body = excluded.body'),
      removeSchedule: db.prepare('DELETE FROM pipeline_schedules WHERE id = ?'),
      discoveries: db.prepare('SELECT body FROM pipeline_discoveries ORDER BY seq DESC LIMIT ?'),
      running: db.prepare("SELECT body FROM pipeline_discoveries WHERE status = 'running' ORDER BY seq"),
      // An upsert keeps the row, so its seq (its place among starts) stays.
      saveDiscovery: db.prepare(
        `INSERT INTO pipeline_discoveries (job_id, status, body) VALUES (@jobId, @status, @body)
         ON CONFLICT (job_id) DO UPDATE SET status = excluded.status, body = excluded.body`,
      ),
      pruneDiscoveries: db.prepare(
        "DELETE FROM pipeline_discoveries WHERE status <> 'running' AND seq NOT IN (SELECT seq FROM pipeline_discoveries WHERE status <> 'running' ORDER BY seq DESC LIMIT ?)",
      ),
    };
  }

  cards(): CardRecord[] {
    return (this.s.cards.all() as Array<{ body: string }>).map((r) => parse(cardRecordSchema, r.body, 'pipeline card'));
  }

  card(id: string): CardRecord | null {
    const row = this.s.card.get(id) as { body: string } | undefined;
    return row ? parse(cardRecordSchema, row.body, 'pipeline card') : null;
  }

  saveCard(card: CardRecord): void {
    this.s.saveCard.run({ id: card.id, column: card.column, createdAt: card.createdAt, updatedAt: card.updatedAt, body: JSON.stringify(card) });
  }

  addMove(move: PipelineMove): void {
    this.s.addMove.run({ id: move.id, cardId: move.cardId, at: move.at, body: JSON.stringify(move) });
  }

  moves(limit: number, cardId?: string): PipelineMove[] {
    const rows = (cardId === undefined ? this.s.moves.all(limit) : this.s.movesOf.all(cardId, limit)) as Array<{ body: string }>;
    return rows.map((r) => parse(pipelineMoveSchema, r.body, 'pipeline move'));
  }

  gates(): GateSettings | null {
    const row = this.s.gates.get() as { body: string } | undefined;
    return row ? parse(gateSettingsSchema, row.body, 'pipeline gate settings') : null;
  }

  saveGates(settings: GateSettings): void {
    this.s.saveGates.run(JSON.stringify(settings));
  }

  schedules(): DiscoverySchedule[] {
    return (this.s.schedules.all() as Array<{ body: string }>).map((r) => parse(discoveryScheduleSchema, r.body, 'discovery schedule'));
  }

  saveSchedule(schedule: DiscoverySchedule): void {
    this.s.saveSchedule.run({ id: schedule.id, createdAt: schedule.createdAt, body: JSON.stringify(schedule) });
  }

  removeSchedule(id: string): boolean {
    return this.s.removeSchedule.run(id).changes > 0;
  }

  discoveries(limit: number): DiscoveryProgress[] {
    return (this.s.discoveries.all(limit) as Array<{ body: string }>).map((r) => parse(discoveryProgressSchema, r.body, 'discovery'));
  }

  runningDiscoveries(): DiscoveryProgress[] {
    return (this.s.running.all() as Array<{ body: string }>).map((r) => parse(discoveryProgressSchema, r.body, 'discovery'));
  }

  saveDiscovery(progress: DiscoveryProgress): void {
    this.s.saveDiscovery.run({ jobId: progress.jobId, status: progress.status, body: JSON.stringify(progress) });
  }

  pruneDiscoveries(keep: number): void {
    this.s.pruneDiscoveries.run(keep);
  }
}
