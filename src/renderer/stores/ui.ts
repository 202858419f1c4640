/**
 * UI slice: what the trader is looking at (venue, symbol, timeframe), the
 * order ticket's draft (shared so the order book can fill in a price) with
 * the quantity last typed for each instrument, the bottom panel's tab,
 * transient notifications, whether the settings dialog is open (several
 * places open it: menu, gear, hotkey banner, a blocked venue's banner) and
 * on which tab, each blotter's venue filter, the currency the header sums
 * accounts in, and which order's detail is open (any blotter row opens it).
 */
import { NO_ATTACHMENTS, type TicketAttachments } from './ticketAttachments';
import type { OrderSide, OrderType, TimeInForce, Timeframe } from '../../shared/domain';
import { marketKey } from './market';
import type { SliceCreator } from './store';

/** How the ticket's size is typed: a base quantity, a value in the quote currency, or a share (%) of the available margin. */
export const SIZE_MODES = ['base', 'quote', 'margin'] as const;
export type SizeMode = (typeof SIZE_MODES)[number];

export interface TicketDraft {
  side: OrderSide;
  type: OrderType;
  /** The base quantity typed (sizing by quantity). */
  quantity: string;
  sizeMode: SizeMode;
  /** The value or percentage typed when sizing by value or by share of margin; turned into a quantity when sent. */
  sizeAmount: string;
  price: string;
  stopPrice: string;
  timeInForce: TimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  /** Send the next order even if its price is outside the price band; cleared once it is sent. */
  overridePriceBand: boolean;
  /** Let the next stop trigger at once although its trigger is already crossed; cleared once it is sent. */
  triggerNow: boolean;
  /** A bracket's take-profit and stop-loss, a trail, an OCO leg. */
  attach: TicketAttachments;
}

export type BlotterTab = 'history' | 'fills' | 'activity' | 'risk';

/** The blotters that can be narrowed to one venue. */
export type VenueFilteredBlotter = 'positions' | 'open' | 'history' | 'fills';

export type SettingsTab = 'general' | 'trading' | 'exchanges' | 'email' | 'alerts';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

/** The order whose detail view is open; `tradeId` when it was opened from one of its fills. */
export interface OrderDetailTarget {
  orderId: string;
  tradeId: string | null;
}

export interface UiSlice {
  venue: string | null;
  symbol: string | null;
  timeframe: Timeframe;
  ticket: TicketDraft;
  /**
   * The size last in the ticket for each instrument, restored when the trader comes back to it: the quantity
   * by market key, a value or share of margin by market key and sizing mode.
   */
  ticketQuantities: Record<string, string>;
  blotterTab: BlotterTab;
  toasts: Toast[];
  settingsOpen: boolean;
  settingsTab: SettingsTab;
  /** Each blotter's venue filter: a venue id, or null for every venue. */
  blotterVenues: Record<VenueFilteredBlotter, string | null>;
  /** The currency the header sums the accounts of several venues in. */
  sumCurrency: string;
  /** True while the settings dialog records a key combination: the emergency hotkey must not fire then. */
  hotkeyCapture: boolean;
  orderDetail: OrderDetailTarget | null;
  selectMarket(venue: string, symbol: string): void;
  setVenue(venue: string): void;
  /** Switches to a venue, keeping the symbol when it trades there, else its first instrument (none while it has not come up). */
  chooseVenue(venue: string): void;
  setTimeframe(tf: Timeframe): void;
  editTicket(patch: Partial<TicketDraft>): void;
  /** Esc in the ticket: every typed value and one-order choice back to empty; side, type, time in force and sizing mode stay. */
  clearTicket(): void;
  setBlotterTab(tab: BlotterTab): void;
  notify(kind: Toast['kind'], text: string): void;
  dismissToast(id: number): void;
  openSettings(tab?: SettingsTab): void;
  setSettingsTab(tab: SettingsTab): void;
  setBlotterVenue(blotter: VenueFilteredBlotter, venue: string | null): void;
  setSumCurrency(currency: string): void;
  closeSettings(): void;
  setHotkeyCapture(on: boolean): void;
  openOrderDetail(orderId: string, tradeId?: string): void;
  closeOrderDetail(): void;
}

export const DEFAULT_TICKET: TicketDraft = {
  side: 'buy',
  type: 'limit',
  quantity: '',
  sizeMode: 'base',
  sizeAmount: '',
  price: '',
  stopPrice: '',
  timeInForce: 'GTC',
  postOnly: false,
  reduceOnly: false,
  overridePriceBand: false,
  triggerNow: false,
  attach: NO_ATTACHMENTS,
};

/** Where a value or share of margin typed for an instrument is remembered (the base quantity is kept under the market key itself). */
function sizeMemoryKey(market: string, mode: SizeMode): string {
  return `${market}|${mode}`;
}

const TOAST_MS = 5_000;
let toastSeq = 0;

export const createUiSlice: SliceCreator<UiSlice> = (set, get) => ({
  venue: null,
  symbol: null,
  timeframe: '1m',
  ticket: DEFAULT_TICKET,
  ticketQuantities: {},
  blotterTab: 'history',
  toasts: [],
  settingsOpen: false,
  settingsTab: 'general',
  blotterVenues: { positions: null, open: null, history: null, fills: null },
  sumCurrency: 'USDT',
  hotkeyCapture: false,
  orderDetail: null,
  selectMarket: (venue, symbol) => {
    const s = get();
    if (s.venue === venue && s.symbol === symbol) return;
    // Neither prices nor the size typed for another instrument mean anything here (5 ETH is not
    // 5 BTC): the size is the one last used on this instrument, or empty. Side, type, flags and the
    // sizing mode carry over, except the one-order overrides, which were meant for the old instrument.
    const mode = s.ticket.sizeMode;
    const ticketQuantities =
      s.venue && s.symbol
        ? {
            ...s.ticketQuantities,
            [marketKey(s.venue, s.symbol)]: s.ticket.quantity,
            [sizeMemoryKey(marketKey(s.venue, s.symbol), mode)]: s.ticket.sizeAmount,
          }
        : s.ticketQuantities;
    const key = marketKey(venue, symbol);
    set({
      venue,
      symbol,
      ticketQuantities,
      ticket: {
        ...s.ticket,
        quantity: ticketQuantities[key] ?? '',
        sizeAmount: ticketQuantities[sizeMemoryKey(key, mode)] ?? '',
        price: '',
        stopPrice: '',
        overridePriceBand: false,
        triggerNow: false,
        attach: { ...s.ticket.attach, takeProfit: '', stopLoss: '', ocoPrice: '' },
      },
    });
  },
  setVenue: (venue) => set({ venue }),
  chooseVenue: (venue) => {
    const s = get();
    const onVenue = s.instruments.filter((i) => i.venue === venue);
    const symbol = onVenue.some((i) => i.symbol === s.symbol) ? s.symbol : (onVenue[0]?.symbol ?? null);
    if (symbol) s.selectMarket(venue, symbol);
    else set({ venue, symbol: null });
  },
  setTimeframe: (timeframe) => set({ timeframe }),
  editTicket: (patch) => set((s) => ({ ticket: { ...s.ticket, ...patch } })),
  clearTicket: () =>
    set((s) => ({
      ticket: { ...DEFAULT_TICKET, side: s.ticket.side, type: s.ticket.type, timeInForce: s.ticket.timeInForce, sizeMode: s.ticket.sizeMode },
    })),
  setBlotterTab: (blotterTab) => set({ blotterTab }),
  notify: (kind, text) => {
    const id = ++toastSeq;
    set((s) => ({ toasts: [...s.toasts.slice(-4), { id, kind, text }] }));
    setTimeout(() => get().dismissToast(id), TOAST_MS);
  },
  dismissToast: (id) => set((s) => ({ toasts: s.toasts.filter((t) => t.id !== id) })),
  openSettings: (tab) => set((s) => ({ settingsOpen: true, settingsTab: tab ?? s.settingsTab })),
  setSettingsTab: (settingsTab) => set({ settingsTab }),
  setBlotterVenue: (blotter, venue) => set((s) => ({ blotterVenues: { ...s.blotterVenues, [blotter]: venue } })),
  setSumCurrency: (sumCurrency) => set({ sumCurrency }),
  closeSettings: () => set({ settingsOpen: false, hotkeyCapture: false }),
  setHotkeyCapture: (hotkeyCapture) => set({ hotkeyCapture }),
  openOrderDetail: (orderId, tradeId) => set({ orderDetail: { orderId, tradeId: tradeId ?? null } }),
  closeOrderDetail: () => set({ orderDetail: null }),
});
