/**
 * Venues slice: the venues the engine runs as Settings → Exchanges shows them
 * (exchange, demo or live, label, the loopback server standing in for the
 * exchange) and each exchange venue's key status. The status is what the
 * engine answers about a key (stored, last four, permissions), never the key:
 * secrets never enter the store.
 */
import type { CredentialStatus, VenueView } from '../../shared/contract';
import type { SliceCreator } from './store';

export interface VenuesSlice {
  venueList: VenueView[];
  /** Key status per exchange venue; absent until asked. */
  credentials: Record<string, CredentialStatus>;
  setVenueList(list: VenueView[]): void;
  setCredentialStatus(status: CredentialStatus): void;
  /** A venue as an engine answer describes it (added, mode switched), before the event that follows. */
  upsertVenue(view: VenueView): void;
  /** A venue the engine has just removed, before the event that follows. */
  dropVenue(id: string): void;
}

/** Drops the key status of venues that are gone, so a removed venue's status cannot reappear under a reused id. */
export function keepCredentialsOf(credentials: Record<string, CredentialStatus>, list: readonly VenueView[]): Record<string, CredentialStatus> {
  const ids = new Set(list.map((v) => v.id));
  const kept = Object.entries(credentials).filter(([venue]) => ids.has(venue));
  return kept.length === Object.keys(credentials).length ? credentials : Object.fromEntries(kept);
}

/** The list with `view` replacing the venue of the same id, or added at the end. */
export function upsertView(list: readonly VenueView[], view: VenueView): VenueView[] {
  return list.some((v) => v.id === view.id) ? list.map((v) => (v.id === view.id ? view : v)) : [...list, view];
}

function listPatch(credentials: Record<string, CredentialStatus>, venueList: VenueView[]) {
  return { venueList, venues: venueList.map((v) => v.status), credentials: keepCredentialsOf(credentials, venueList) };
}

export const createVenuesSlice: SliceCreator<VenuesSlice> = (set) => ({
  venueList: [],
  credentials: {},
  setVenueList: (venueList) => set((s) => listPatch(s.credentials, venueList)),
  setCredentialStatus: (status) => set((s) => ({ credentials: { ...s.credentials, [status.venue]: status } })),
  upsertVenue: (view) => set((s) => listPatch(s.credentials, upsertView(s.venueList, view))),
  dropVenue: (id) => set((s) => listPatch(s.credentials, s.venueList.filter((v) => v.id !== id))),
});
