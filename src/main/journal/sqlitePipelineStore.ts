/**
 * The pipeline's board on the journal's SQLite database (the tables of
 * migration 20): cards and moves as JSON records beside the columns their
 * reads use, and the gate settings as one row. Records are checked against
 * the contract on the way out.
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { gateSettingsSchema, pipelineCardSchema, pipelineMoveSchema, type GateSettings, type PipelineMove } from '../../shared/contract/pipeline';
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
  private readonly s: Record<'cards' | 'card' | 'saveCard' | 'addMove' | 'moves' | 'movesOf' | 'gates' | 'saveGates', Database.Statement>;

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
}
