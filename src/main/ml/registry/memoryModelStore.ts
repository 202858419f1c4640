/** The model registry kept in memory (tests, backtests): the same behaviour as the SQLite store, with private copies. */
import { modelRecordSchema, type ModelRecord } from '../../../shared/models';
import type { ModelStore } from './modelStore';

export class MemoryModelStore implements ModelStore {
  private readonly records = new Map<string, string>();
  private readonly models = new Map<string, Uint8Array>();

  insert(record: ModelRecord, model: Uint8Array): void {
    if (this.records.has(record.id)) throw new Error(`The registry already has a model ${record.id}`);
    this.records.set(record.id, JSON.stringify(modelRecordSchema.parse(record)));
    this.models.set(record.id, model.slice());
  }

  update(record: ModelRecord): void {
    if (!this.records.has(record.id)) throw new Error(`The registry has no model ${record.id}`);
    this.records.set(record.id, JSON.stringify(modelRecordSchema.parse(record)));
  }

  get(id: string): ModelRecord | undefined {
    const text = this.records.get(id);
    return text === undefined ? undefined : modelRecordSchema.parse(JSON.parse(text));
  }

  list(): ModelRecord[] {
    return [...this.records.values()].map((text) => modelRecordSchema.parse(JSON.parse(text))).sort((a, b) => b.createdAt - a.createdAt || b.version - a.version);
  }

  model(id: string): Uint8Array | undefined {
    return this.models.get(id)?.slice();
  }

  delete(id: string): boolean {
    this.models.delete(id);
    return this.records.delete(id);
  }

  transaction<T>(fn: () => T): T {
    const records = new Map(this.records);
    const models = new Map(this.models);
    try {
      return fn();
    } catch (error) {
      this.records.clear();
      for (const [k, v] of records) this.records.set(k, v);
      this.models.clear();
      for (const [k, v] of models) this.models.set(k, v);
      throw error;
    }
  }
}
