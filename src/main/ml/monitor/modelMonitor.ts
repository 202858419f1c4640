/**
 * The model monitor: the receiving side of the live scorer's ScoringObserver
 * port. Every scored closed bar is routed to its stream (model version,
 * venue, symbol, timeframe; see StreamMonitor for what a stream does with
 * it), and the stream's state is written to the journal at once, so a
 * restart picks up where it was. A version's view gathers its streams.
 *
 * A row that is malformed, does not fit its model or is not after the
 * stream's last bar is refused with a KeelError (VALIDATION_FAILED, or
 * INVALID_STATE for a bar already seen) and changes nothing; an unknown
 * model is NOT_FOUND.
 */
import type { ModelDrift } from '../../../shared/contract/modelMonitor';
import { PSI_THRESHOLDS } from '../drift/psi';
import type { Logger } from '../../engine/ports/logger';
import { errorText } from '../../../shared/errors';
import type { ModelRegistry } from '../registry/modelRegistry';
import type { ScoredRow, ScoringObserver } from '../scoring/scoringObserver';
import { worstStatus } from './driftJudgement';
import { monitoredModel, type MonitoredModel } from './monitoredModel';
import type { MonitorStore } from './monitorStore';
import { checkRowFitsModel, checkRowShape } from './scoredRowCheck';
import { DEFAULT_MONITOR_SETTINGS, StreamMonitor, type MonitorSettings, type RealisedOutcome } from './streamMonitor';

export interface ModelMonitorOptions {
  registry: Pick<ModelRegistry, 'get'>;
  store: MonitorStore;
  now: () => number;
  log: Logger;
  settings?: Partial<MonitorSettings>;
  /** Told after a version's view changed (the caller throttles what it publishes). */
  onChanged?: (modelId: string) => void;
  /** Told of every outcome settled (tests, and whoever wants the raw record). */
  onOutcome?: (modelId: string, outcome: RealisedOutcome) => void;
}

interface Watched {
  model: MonitoredModel;
  streams: Map<string, StreamMonitor>;
}

export type ModelDriftView = Omit<ModelDrift, 'schedule'>;

export class ModelMonitor implements ScoringObserver {
  private readonly watched = new Map<string, Watched>();
  readonly settings: Readonly<MonitorSettings>;

  constructor(private readonly options: ModelMonitorOptions) {
    this.settings = Object.freeze(checkSettings({ ...DEFAULT_MONITOR_SETTINGS, ...options.settings }));
  }

  observe(scored: ScoredRow): void {
    const row = checkRowShape(scored);
    const watched = this.watch(row.modelId);
    checkRowFitsModel(row, watched.model);
    const key = streamKey(row.venue, row.symbol, row.timeframe);
    let stream = watched.streams.get(key);
    const isNew = stream === undefined;
    stream ??= StreamMonitor.create(watched.model, { venue: row.venue, symbol: row.symbol, timeframe: row.timeframe }, this.settings);
    const now = this.options.now();
    const settled = stream.observe(row, now);
    if (isNew) watched.streams.set(key, stream);
    this.options.store.saveStream(row.modelId, { venue: row.venue, symbol: row.symbol, timeframe: row.timeframe, body: stream.toJSON() }, now);
    for (const outcome of settled) this.options.onOutcome?.(row.modelId, outcome);
    this.options.onChanged?.(row.modelId);
  }

  /** A version's view: every stream it was scored on, and its worst status. */
  drift(modelId: string): ModelDriftView {
    const { model, streams } = this.watch(modelId);
    const views = [...streams.values()].map((s) => s.view()).sort((a, b) => a.venue.localeCompare(b.venue) || a.symbol.localeCompare(b.symbol) || a.timeframe.localeCompare(b.timeframe));
    const updated = views.map((v) => v.updatedAt).filter((t): t is number => t !== null);
    const s = this.settings;
    return {
      modelId: model.id,
      name: model.name,
      version: model.version,
      status: worstStatus(views.map((v) => v.status)),
      hasReference: model.bins !== null,
      referenceAccuracy: model.referenceAccuracy,
      thresholds: { psiWatch: PSI_THRESHOLDS.watch, psiDrift: PSI_THRESHOLDS.drift, accuracyWindow: s.accuracyWindow, minOutcomes: s.minOutcomes, psiWindow: s.psiWindow, minPsiRows: s.minPsiRows, z: s.z },
      streams: views,
      updatedAt: updated.length > 0 ? Math.max(...updated) : null,
    };
  }

  /** The monitored version, its saved streams read back on first use. Throws NOT_FOUND for a version the registry does not have (or no longer has). */
  private watch(modelId: string): Watched {
    let record;
    try {
      record = this.options.registry.get(modelId);
    } catch (error) {
      // Deleted since it was watched: its streams went with it in the journal.
      this.watched.delete(modelId);
      throw error;
    }
    let watched = this.watched.get(modelId);
    if (watched) return watched;
    const model = monitoredModel(record);
    const streams = new Map<string, StreamMonitor>();
    for (const saved of this.options.store.streams(modelId)) {
      try {
        const stream = StreamMonitor.restore(model, this.settings, saved.body);
        streams.set(streamKey(stream.key.venue, stream.key.symbol, stream.key.timeframe), stream);
      } catch (error) {
        // A damaged state is not judged from: that stream starts again.
        this.options.log.warn(`[models] the monitor state of ${model.name} v${model.version} on ${saved.venue} ${saved.symbol} ${saved.timeframe} is unreadable and starts again: ${errorText(error)}`);
      }
    }
    watched = { model, streams };
    this.watched.set(modelId, watched);
    return watched;
  }
}

function streamKey(venue: string, symbol: string, timeframe: string): string {
  return `${venue}\u0000${symbol}\u0000${timeframe}`;
}

function checkSettings(s: MonitorSettings): MonitorSettings {
  const whole = (name: keyof MonitorSettings, min: number) => {
    if (!Number.isInteger(s[name]) || s[name] < min) throw new RangeError(`monitor setting ${name} must be a whole number of at least ${min}, got ${s[name]}`);
  };
  whole('accuracyWindow', 1);
  whole('minOutcomes', 1);
  whole('psiWindow', 1);
  whole('minPsiRows', 1);
  if (s.minOutcomes > s.accuracyWindow) throw new RangeError('minOutcomes cannot exceed the accuracy window');
  if (s.minPsiRows > s.psiWindow) throw new RangeError('minPsiRows cannot exceed the PSI window');
  if (!(s.z > 0)) throw new RangeError(`z must be positive, got ${s.z}`);
  return s;
}
