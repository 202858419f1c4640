/**
 * Desk preferences: which actions ask for a confirmation (Cancel all and
 * its scope, Close, Flatten all, orders above a chosen value) and how fills
 * and triggered stops announce themselves (toast, sound, desktop
 * notification). They belong to the person at this computer, not to the
 * engine: kept in the renderer's local storage and shared by its windows.
 */
import type { KeelStore, SliceCreator } from './store';

export interface DeskPrefs {
  confirmCancelAll: boolean;
  /** What Cancel all cancels: every open order the blotter shows, or only those in the selected instrument. */
  cancelAllScope: 'all' | 'symbol';
  confirmClose: boolean;
  confirmFlatten: boolean;
  /** Ask before sending an order worth more than `confirmAboveValue` (in the instrument's quote currency). */
  confirmAbove: boolean;
  confirmAboveValue: string;
  announceToast: boolean;
  announceSound: boolean;
  /** A desktop notification while the window is not focused (the system must allow them). */
  announceDesktop: boolean;
}

export const DEFAULT_DESK_PREFS: DeskPrefs = {
  // Cancel all takes protective stops with it, and Flatten all closes everything: both ask by default.
  confirmCancelAll: true,
  cancelAllScope: 'all',
  // An exit is reduce-only and often urgent: Close goes at once unless the trader wants a question.
  confirmClose: false,
  confirmFlatten: true,
  confirmAbove: false,
  confirmAboveValue: '10000',
  announceToast: true,
  announceSound: false,
  announceDesktop: false,
};

const BOOLEAN_KEYS = [
  'confirmCancelAll',
  'confirmClose',
  'confirmFlatten',
  'confirmAbove',
  'announceToast',
  'announceSound',
  'announceDesktop',
] as const satisfies readonly (keyof DeskPrefs)[];

/** A positive amount in plain decimal text ("10000", "2500.5"). */
export function isThreshold(text: string): boolean {
  return /^\d{1,15}(\.\d{1,8})?$/.test(text) && Number(text) > 0;
}

/** Saved preferences, read field by field: anything missing or of the wrong type keeps its default. */
export function readDeskPrefs(raw: unknown): DeskPrefs {
  if (typeof raw !== 'object' || raw === null) return DEFAULT_DESK_PREFS;
  const r = raw as Record<string, unknown>;
  const out: DeskPrefs = { ...DEFAULT_DESK_PREFS };
  for (const key of BOOLEAN_KEYS) if (typeof r[key] === 'boolean') out[key] = r[key];
  if (r.cancelAllScope === 'all' || r.cancelAllScope === 'symbol') out.cancelAllScope = r.cancelAllScope;
  if (typeof r.confirmAboveValue === 'string' && isThreshold(r.confirmAboveValue)) out.confirmAboveValue = r.confirmAboveValue;
  return out;
}

export interface DeskPrefsSlice {
  deskPrefs: DeskPrefs;
  setDeskPrefs(patch: Partial<DeskPrefs>): void;
}

export const createDeskPrefsSlice: SliceCreator<DeskPrefsSlice> = (set) => ({
  deskPrefs: DEFAULT_DESK_PREFS,
  // Read back through the same checks as a saved copy: a bad value never gets in.
  setDeskPrefs: (patch) => set((s) => ({ deskPrefs: readDeskPrefs({ ...s.deskPrefs, ...patch }) })),
});

const KEY = 'keel.desk.v1';

/**
 * Restores the saved preferences, saves every change, and follows changes
 * made in another window (the browser's storage event); returns the unsubscribe.
 */
export function persistDeskPrefs(store: KeelStore, storage: Storage, events?: Pick<Window, 'addEventListener' | 'removeEventListener'>): () => void {
  const load = () => {
    try {
      const raw = storage.getItem(KEY);
      return raw === null ? DEFAULT_DESK_PREFS : readDeskPrefs(JSON.parse(raw));
    } catch {
      return DEFAULT_DESK_PREFS;
    }
  };
  store.setState({ deskPrefs: load() });
  const off = store.subscribe(
    (s) => s.deskPrefs,
    (prefs) => {
      try {
        storage.setItem(KEY, JSON.stringify(prefs));
      } catch {
        // Quota or privacy mode: the preferences last this session only.
      }
    },
  );
  const onStorage = (e: StorageEvent) => {
    if (e.key === KEY) store.setState({ deskPrefs: load() });
  };
  events?.addEventListener('storage', onStorage);
  return () => {
    off();
    events?.removeEventListener('storage', onStorage);
  };
}
