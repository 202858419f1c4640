/**
 * What Cancel all cancels: every open order the blotter shows (one venue
 * when it is filtered), or, when the trader chose so in Settings, only the
 * orders in the instrument on screen. The same target names the button,
 * fills the confirmation and becomes the engine's request, so what is
 * asked is what is done.
 */
import type { Order } from '../../../shared/domain';

export interface CancelAllTarget {
  params: { venue?: string; symbol?: string };
  /** The open orders it would cancel, as the screen knows them. */
  orders: Order[];
  /** "every venue", "paper", "BTC/USDT:USDT on paper". */
  scope: string;
  /** The button's words. */
  label: string;
}

export function cancelAllTarget(
  scope: 'all' | 'symbol',
  filterVenue: string | null,
  selected: { venue: string | null; symbol: string | null },
  open: readonly Order[],
): CancelAllTarget {
  if (scope === 'symbol' && selected.venue && selected.symbol) {
    const { venue, symbol } = selected;
    return {
      params: { venue, symbol },
      orders: open.filter((o) => o.venue === venue && o.symbol === symbol),
      scope: `${symbol} on ${venue}`,
      label: `Cancel all ${symbol.split('/')[0] ?? symbol}`,
    };
  }
  return {
    params: filterVenue ? { venue: filterVenue } : {},
    orders: open.filter((o) => !filterVenue || o.venue === filterVenue),
    scope: filterVenue ?? 'every venue',
    label: 'Cancel all',
  };
}
