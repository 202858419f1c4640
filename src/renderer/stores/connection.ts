/**
 * Connection slice: the transport's state, the host's identity and the
 * venues' health, plus a sync epoch that bumps after every full reload so
 * views holding their own data (the chart) know to refetch after a gap.
 */
import type { MethodResult } from '../../shared/contract';
import type { VenueStatus } from '../../shared/domain';
import type { ConnectionStatus } from '../api/bridge';
import type { SliceCreator } from './store';

export type SystemInfo = MethodResult<'system.info'>;

export interface ConnectionSlice {
  connection: ConnectionStatus;
  info: SystemInfo | null;
  venues: VenueStatus[];
  eventLoopLagMs: number | null;
  /** Increments after each completed snapshot load (start-up and every reconnect). */
  syncEpoch: number;
  /** Why the last snapshot load was incomplete; null when it succeeded. */
  syncError: string | null;
  setConnection(status: ConnectionStatus): void;
  setInfo(info: SystemInfo): void;
  finishSync(error: string | null): void;
}

export const createConnectionSlice: SliceCreator<ConnectionSlice> = (set) => ({
  connection: { state: 'connecting', transport: 'ws', detail: null },
  info: null,
  venues: [],
  eventLoopLagMs: null,
  syncEpoch: 0,
  syncError: null,
  setConnection: (connection) => set({ connection }),
  setInfo: (info) => set({ info, venues: info.venues }),
  finishSync: (syncError) => set((s) => ({ syncError, syncEpoch: s.syncEpoch + 1 })),
});
