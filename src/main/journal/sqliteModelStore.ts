/**
 * The model registry on the journal's SQLite database (tables from migration
 * 12): one row per model version with its record as JSON, the stored model
 * (tree JSON, online state or ONNX bytes) in its own table so that listing
 * versions never reads a model. Records are checked against their schema on
 * the way in and out.
 */
import type Database from 'better-sqlite3';
import { writeTransactions } from './writeTransactions';
import { errorText } from '../../shared/errors';
import { modelRecordSchema, type ModelRecord } from '../../shared/models';
import type { ModelStore } from '../ml/registry/modelStore';

interface BodyRow {
  body: string;
}

function parse(row: BodyRow): ModelRecord {
  try {
    return modelRecordSchema.parse(JSON.parse(row.body));
  } catch (error) {
    throw new Error(`Unreadable model record in the journal: ${errorText(error)}`);
  }
}

export class SqliteModelStore implements ModelStore {
  private readonly s: Record<string, Database.Statement>;
  private readonly write: <T>(fn: () => T) => T;

  constructor(private readonly db: Database.Database) {
    this.write = writeTransactions(db);
    this.s = {
      insert: db.prepare('INSERT INTO models (id, name, version, status, created_at, body) VALUES (?, ?, ?, ?, ?, ?)'),
      insertBlob: db.prepare('INSERT INTO model_blobs (model_id, bytes) VALUES (?, ?)'),
      update: db.prepare('UPDATE models SET status = ?, body = ? WHERE id = ?'),
      get: db.prepare('SELECT body FROM models WHERE id = ?'),
      list: db.prepare('SELECT body FROM models ORDER BY created_at DESC, version DESC'),
      blob: db.prepare('SELECT bytes FROM model_blobs WHERE model_id = ?'),
      delete: db.prepare('DELETE FROM models WHERE id = ?'),
    };
  }

  insert(record: ModelRecord, model: Uint8Array): void {
    const checked = modelRecordSchema.parse(record);
    this.transaction(() => {
      this.s.insert!.run(checked.id, checked.name, checked.version, checked.status, checked.createdAt, JSON.stringify(checked));
      this.s.insertBlob!.run(checked.id, Buffer.from(model.buffer, model.byteOffset, model.byteLength));
    });
  }

  update(record: ModelRecord): void {
    const checked = modelRecordSchema.parse(record);
    if (this.s.update!.run(checked.status, JSON.stringify(checked), checked.id).changes === 0) throw new Error(`The registry has no model ${checked.id}`);
  }

  get(id: string): ModelRecord | undefined {
    const row = this.s.get!.get(id) as BodyRow | undefined;
    return row ? parse(row) : undefined;
  }

  list(): ModelRecord[] {
    return (this.s.list!.all() as BodyRow[]).map(parse);
  }

  model(id: string): Uint8Array | undefined {
    const row = this.s.blob!.get(id) as { bytes: Buffer } | undefined;
    return row ? new Uint8Array(row.bytes) : undefined;
  }

  delete(id: string): boolean {
    // The stored model goes with its record (ON DELETE CASCADE).
    return this.s.delete!.run(id).changes > 0;
  }

  transaction<T>(fn: () => T): T {
    return this.write(fn);
  }
}
