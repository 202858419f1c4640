/** The monitor's store kept in memory (tests): the same behaviour as the journal's, with private copies. */
import type { MonitorStore, StoredStream } from './monitorStore';

export class MemoryMonitorStore implements MonitorStore {
  private readonly streamBodies = new Map<string, Map<string, { venue: string; symbol: string; timeframe: string; body: string }>>();
  private readonly scheduleBodies = new Map<string, string>();

  streams(modelId: string): StoredStream[] {
    return [...(this.streamBodies.get(modelId)?.values() ?? [])].map((s) => ({ venue: s.venue, symbol: s.symbol, timeframe: s.timeframe, body: JSON.parse(s.body) as unknown }));
  }

  saveStream(modelId: string, stream: StoredStream): void {
    let streams = this.streamBodies.get(modelId);
    if (!streams) this.streamBodies.set(modelId, (streams = new Map()));
    streams.set(`${stream.venue}|${stream.symbol}|${stream.timeframe}`, { venue: stream.venue, symbol: stream.symbol, timeframe: stream.timeframe, body: JSON.stringify(stream.body) });
  }

  /** A model version was deleted: its streams go with it (as the journal's cascade does). */
  deleteModel(modelId: string): void {
    this.streamBodies.delete(modelId);
  }

  schedules(): unknown[] {
    return [...this.scheduleBodies.values()].map((body) => JSON.parse(body) as unknown);
  }

  saveSchedule(name: string, body: unknown): void {
    this.scheduleBodies.set(name, JSON.stringify(body));
  }

  deleteSchedule(name: string): void {
    this.scheduleBodies.delete(name);
  }
}
