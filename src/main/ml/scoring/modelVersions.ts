/**
 * Which model version a strategy's model parameter names, and whether it
 * may score bars here. A reference is a version's id (that version, pinned)
 * or a model's name (its active version, whichever that is when asked). A
 * version scores a strategy's bars only when it calls a direction (long,
 * short, neutral, three probabilities) from features this Keel's pipeline
 * computes with the code it was trained with (the features hash); it makes
 * new decisions only until it is older than its maximum age.
 */
import { KeelError } from '../../../shared/errors';
import { isModelExpired, type ModelRecord } from '../../../shared/models';
import { FEATURE_NAMES, featuresHash } from '../features/featureSet';
import type { ModelRegistry } from '../registry/modelRegistry';
import type { StoredModel } from './scoreBars';

/** A version and its stored model, ready to score. */
export interface ResolvedModel {
  record: ModelRecord;
  stored: StoredModel;
}

/** Where a scoring session finds the version a reference names. */
export interface ModelSource {
  /** The version `ref` names now, with its stored model; a KeelError (VALIDATION_FAILED) says why none can be used. */
  resolve(ref: string): ResolvedModel;
  /** Why the version may not make a new decision now (it is too old); null when it may. */
  expiry(record: ModelRecord): string | null;
}

/** Outputs of a direction model, in this order. */
export const DIRECTION_OUTPUTS = 3;

/** The version `ref` names among `records`: the version with that id, else the active version of the model of that name. */
export function findModelVersion(records: readonly ModelRecord[], ref: string): ModelRecord {
  const pinned = records.find((m) => m.id === ref);
  if (pinned) return pinned;
  const versions = records.filter((m) => m.name === ref);
  if (versions.length === 0) throw new KeelError('VALIDATION_FAILED', `there is no model named "${ref}" and no version with that id`, { model: ref });
  const active = versions.find((m) => m.status === 'active');
  if (!active) throw new KeelError('VALIDATION_FAILED', `model "${ref}" has no active version (activate one, or pin a version)`, { model: ref });
  return active;
}

/** Why a version cannot score a strategy's bars with this Keel's features; null when it can. */
export function scoringProblem(record: ModelRecord): string | null {
  const name = `${record.name} v${record.version}`;
  if (record.algorithm === 'online-logistic') return `${name} is an online model, which strategies do not score`;
  if (record.target.kind !== 'direction') return `${name} predicts a return, not a direction (long, short, neutral)`;
  const unknown = record.features.filter((f) => !FEATURE_NAMES.includes(f));
  if (unknown.length > 0) return `${name} uses features this Keel does not compute (${unknown.join(', ')})`;
  const hash = featuresHash(record.features);
  if (record.featuresHash !== hash) return `${name} was trained with other feature code (features hash ${record.featuresHash}, this Keel's ${hash}): retrain it`;
  if (record.algorithm === 'onnx' && record.metrics.outputs !== DIRECTION_OUTPUTS) {
    return `${name} answers ${String(record.metrics.outputs)} outputs; a direction model answers ${DIRECTION_OUTPUTS} (long, short, neutral)`;
  }
  return null;
}

/** Why a version is too old for a new decision at `now`; null when it is not. */
export function expiryProblem(record: ModelRecord, now: number): string | null {
  if (!isModelExpired(record, now)) return null;
  const days = (record.maxAgeMs ?? 0) / 86_400_000;
  const age = days >= 1 ? `${Number(days.toFixed(2))} d` : `${Math.round((record.maxAgeMs ?? 0) / 60_000)} min`;
  return `model ${record.name} v${record.version} expired (older than its maximum age of ${age}): it makes no new decisions`;
}

/** The stored model of a version, in the form the scorers take. */
export function storedModel(record: ModelRecord, bytes: Uint8Array): StoredModel {
  return record.algorithm === 'onnx'
    ? { format: 'onnx', bytes, features: [...record.features] }
    : { format: 'trees', json: new TextDecoder().decode(bytes), features: [...record.features] };
}

/** The version a reference names now and its stored model, refused (VALIDATION_FAILED) when it cannot score. Expiry is not checked. */
export function resolveModel(registry: Pick<ModelRegistry, 'list' | 'bytes'>, ref: string, cache?: Map<string, StoredModel>): ResolvedModel {
  const record = findModelVersion(registry.list(), ref);
  const problem = scoringProblem(record);
  if (problem) throw new KeelError('VALIDATION_FAILED', problem, { model: ref, id: record.id });
  let stored = cache?.get(record.id);
  if (!stored) {
    stored = storedModel(record, registry.bytes(record.id));
    cache?.set(record.id, stored);
  }
  return { record, stored };
}

/** The live registry: the version a name means is looked up on every score (an activation takes effect at the next bar); stored models are read once per version. */
export class RegistryModelSource implements ModelSource {
  /** Stored models by version id: a version never changes. */
  private readonly stored = new Map<string, StoredModel>();

  constructor(
    private readonly registry: Pick<ModelRegistry, 'list' | 'bytes'>,
    private readonly now: () => number,
  ) {}

  resolve(ref: string): ResolvedModel {
    const resolved = resolveModel(this.registry, ref, this.stored);
    // A version deleted meanwhile leaves nothing here to keep alive: drop what no version holds any more.
    if (this.stored.size > 16) {
      const ids = new Set(this.registry.list().map((m) => m.id));
      for (const id of this.stored.keys()) if (!ids.has(id)) this.stored.delete(id);
    }
    return resolved;
  }

  expiry(record: ModelRecord): string | null {
    return expiryProblem(record, this.now());
  }
}

/**
 * Models resolved once, when a backtest was submitted: every reference its
 * parameters make, with the version it meant then. Age is not checked
 * against the bars' time (a backtest replays the past; the model's age was
 * checked when the backtest was asked for).
 */
export class FixedModelSource implements ModelSource {
  constructor(private readonly models: Readonly<Record<string, ResolvedModel>>) {}

  resolve(ref: string): ResolvedModel {
    const model = Object.hasOwn(this.models, ref) ? this.models[ref] : undefined;
    if (!model) throw new KeelError('VALIDATION_FAILED', `model "${ref}" was not resolved when the backtest was submitted`, { model: ref });
    return model;
  }

  expiry(): string | null {
    return null;
  }
}
