/**
 * Where the model monitor keeps what must survive a restart: each stream's
 * state (the online model, the outcome and PSI windows, the rows waiting
 * for their outcome) and the retraining schedules. Bodies are plain JSON;
 * the monitor checks them on the way back in. In the journal a stream goes
 * with its model version when that is deleted.
 */
export interface StoredStream {
  venue: string;
  symbol: string;
  timeframe: string;
  body: unknown;
}

export interface MonitorStore {
  /** The saved streams of a model version. */
  streams(modelId: string): StoredStream[];
  saveStream(modelId: string, stream: StoredStream, updatedAt: number): void;
  /** Every saved schedule. */
  schedules(): unknown[];
  saveSchedule(name: string, body: unknown): void;
  deleteSchedule(name: string): void;
}
