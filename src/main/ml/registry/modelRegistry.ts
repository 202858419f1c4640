/**
 * The model registry's rules over its store: versions numbered per name,
 * one active version per name (activating one retires the one before, so
 * rolling back is activating an earlier version), an active model is never
 * deleted, and a model past its age is not handed out for new decisions.
 */
import { KeelError } from '../../../shared/errors';
import { isModelExpired, modelRecordSchema, type ModelRecord } from '../../../shared/models';
import type { PermutationImportance } from '../../../shared/contract/ml';
import type { ModelStore } from './modelStore';

export type NewModel = Omit<ModelRecord, 'id' | 'version' | 'status' | 'createdAt' | 'sizeBytes' | 'trainingParams'> & { trainingParams?: Record<string, unknown> };

export class ModelRegistry {
  constructor(
    private readonly store: ModelStore,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  /** Registers a new version of `model.name` as a candidate, with its stored model; answers the record. */
  register(model: NewModel, bytes: Uint8Array): ModelRecord {
    const version = Math.max(0, ...this.store.list().filter((m) => m.name === model.name).map((m) => m.version)) + 1;
    const record = modelRecordSchema.parse({ ...model, id: this.newId(), version, status: 'candidate', createdAt: this.now(), sizeBytes: bytes.byteLength });
    this.store.insert(record, bytes);
    return record;
  }

  list(): ModelRecord[] {
    return this.store.list();
  }

  get(id: string): ModelRecord {
    const record = this.store.get(id);
    if (!record) throw new KeelError('NOT_FOUND', `There is no model ${id}.`, { id });
    return record;
  }

  /** The stored model of a version. */
  bytes(id: string): Uint8Array {
    const bytes = this.store.model(id);
    if (!bytes) throw new KeelError('NOT_FOUND', `Model ${id} has nothing stored.`, { id });
    return bytes;
  }

  /**
   * Keeps a permutation importance with a version: in its metrics (`importance`, with how it was
   * measured) and as its feature importance (each feature's mean drop, largest first).
   */
  recordImportance(id: string, importance: PermutationImportance): ModelRecord {
    const record = this.get(id);
    const updated = modelRecordSchema.parse({
      ...record,
      metrics: { ...record.metrics, importance },
      featureImportance: importance.features.map((f) => ({ feature: f.feature, importance: f.importance })).sort((a, b) => b.importance - a.importance),
    });
    this.store.update(updated);
    return updated;
  }

  /** Makes a version the active one of its name; the one active before is retired. Rolling back is activating an older version. */
  activate(id: string): ModelRecord {
    const record = this.get(id);
    if (record.status === 'active') return record;
    if (isModelExpired(record, this.now())) {
      throw new KeelError('INVALID_STATE', `Model ${record.name} v${record.version} is older than its maximum age; retrain it rather than activate it.`, { id });
    }
    const active: ModelRecord = { ...record, status: 'active' };
    this.store.transaction(() => {
      for (const other of this.store.list()) {
        if (other.name === record.name && other.status === 'active') this.store.update({ ...other, status: 'retired' });
      }
      this.store.update(active);
    });
    return active;
  }

  /** Retires a version without activating another (no model of that name is then used). */
  retire(id: string): ModelRecord {
    const record = this.get(id);
    const retired: ModelRecord = { ...record, status: 'retired' };
    this.store.update(retired);
    return retired;
  }

  /** Deletes a version; an active one must be retired (or replaced) first. */
  delete(id: string): void {
    const record = this.get(id);
    if (record.status === 'active') throw new KeelError('INVALID_STATE', `Model ${record.name} v${record.version} is active; activate another version or retire it first.`, { id });
    this.store.delete(id);
  }

  /** The active version of a name that may be used for a new decision now: null when none is active or it has expired. */
  usable(name: string): ModelRecord | null {
    const active = this.store.list().find((m) => m.name === name && m.status === 'active');
    return active && !isModelExpired(active, this.now()) ? active : null;
  }
}
