/**
 * UI slice: what the trader is looking at (venue, symbol, timeframe), the
 * order ticket's draft (shared so the order book can fill in a price), the
 * bottom panel's tab, transient notifications and whether the settings
 * dialog is open (several places open it: menu, gear, hotkey banner).
 */
import type { OrderSide, OrderType, TimeInForce, Timeframe } from '../../shared/domain';
import type { SliceCreator } from './store';

export interface TicketDraft {
  side: OrderSide;
  type: OrderType;
  quantity: string;
  price: string;
  stopPrice: string;
  timeInForce: TimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  /** Send the next order even if its price is outside the price band; cleared once it is sent. */
  overridePriceBand: boolean;
}

export type BlotterTab = 'history' | 'fills' | 'activity' | 'risk';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

export interface UiSlice {
  venue: string | null;
  symbol: string | null;
  timeframe: Timeframe;
  ticket: TicketDraft;
  blotterTab: BlotterTab;
  toasts: Toast[];
  settingsOpen: boolean;
  /** True while the settings dialog records a key combination: the emergency hotkey must not fire then. */
  hotkeyCapture: boolean;
  selectMarket(venue: string, symbol: string): void;
  setVenue(venue: string): void;
  setTimeframe(tf: Timeframe): void;
  editTicket(patch: Partial<TicketDraft>): void;
  setBlotterTab(tab: BlotterTab): void;
  notify(kind: Toast['kind'], text: string): void;
  dismissToast(id: number): void;
  openSettings(): void;
  closeSettings(): void;
  setHotkeyCapture(on: boolean): void;
}

export const DEFAULT_TICKET: TicketDraft = {
  side: 'buy',
  type: 'limit',
  quantity: '',
  price: '',
  stopPrice: '',
  timeInForce: 'GTC',
  postOnly: false,
  reduceOnly: false,
  overridePriceBand: false,
};

const TOAST_MS = 5_000;
let toastSeq = 0;

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  venue: null,
  symbol: null,
  timeframe: '1m',
  ticket: DEFAULT_TICKET,
  blotterTab: 'history',
  toasts: [],
  settingsOpen: false,
  hotkeyCapture: false,
  selectMarket: (venue, symbol) => {
    const s = get();
    if (s.venue === venue && s.symbol === symbol) return;
    // Prices typed for another instrument would be wildly wrong here; quantity and flags carry over,
    // except a price-band override, which was meant for one order on the old instrument.
    set({ venue, symbol, ticket: { ...s.ticket, price: '', stopPrice: '', overridePriceBand: false } });
  },
  setVenue: (venue) => set({ venue }),
  setTimeframe: (timeframe) => set({ timeframe }),
  editTicket: (patch) => set((s) => ({ ticket: { ...s.ticket, ...patch } })),
  setBlotterTab: (blotterTab) => set({ blotterTab }),
  notify: (kind, text) => {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, text }] }));
    setTimeout(() => get().dismissToast(id), TOAST_MS);
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  openSettings: () => set({ settingsOpen: true }),
  closeSettings: () => set({ settingsOpen: false, hotkeyCapture: false }),
  setHotkeyCapture: (hotkeyCapture) => set({ hotkeyCapture }),
});
