/**
 * The model registry's storage port: model versions and their stored models.
 * The rules of the registry (one active version per name, what may be
 * deleted) live in ModelRegistry; a store only keeps and answers.
 */
import type { ModelRecord } from '../../../shared/models';

export interface ModelStore {
  /** Saves a new version with its model; its id must be new. */
  insert(record: ModelRecord, model: Uint8Array): void;
  /** Writes a version's record again (status changes); the stored model stays. */
  update(record: ModelRecord): void;
  get(id: string): ModelRecord | undefined;
  /** Every version, newest first. */
  list(): ModelRecord[];
  /** The stored model of a version. */
  model(id: string): Uint8Array | undefined;
  delete(id: string): boolean;
  /** Runs `fn` as one unit: all of its writes or none. */
  transaction<T>(fn: () => T): T;
}
