/**
 * How a venue is dressed on screen: paper (the built-in simulated market),
 * demo (an exchange's demo account) or live (real money). Paper and demo
 * share the amber scheme of practice money; live has its own red one. A
 * venue whose kind is not known yet but which is not the paper venue is
 * shown as live: the practice colours must never reassure about real money.
 */
import type { VenueView } from '../../shared/contract';
import type { VenueStatus } from '../../shared/domain';

export type VenueScheme = 'paper' | 'demo' | 'live';

export const SCHEME_BADGE: Record<VenueScheme, string> = { paper: 'PAPER', demo: 'DEMO', live: 'LIVE' };

export const SCHEME_TITLE: Record<VenueScheme, string> = {
  paper: 'Paper trading: simulated market, no real money',
  demo: "The exchange's demo account: exchange prices, no real money",
  live: 'Live trading: real money on the exchange',
};

export const VENUE_STATE_LABEL: Record<VenueStatus['state'], string> = {
  connecting: 'connecting',
  reconciling: 'reconciling',
  ready: 'ready',
  blocked: 'blocked',
  disconnected: 'disconnected',
};

export function venueScheme(view: Pick<VenueView, 'mode'> | undefined, status: Pick<VenueStatus, 'paper'> | undefined): VenueScheme | null {
  if (view) return view.mode;
  if (!status) return null;
  return status.paper ? 'paper' : 'live';
}

/** Whether a venue trades real money; paper and demo are practice. */
export function isRealMoney(scheme: VenueScheme | null): boolean {
  return scheme === 'live';
}
