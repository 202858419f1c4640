/**
 * The header's account figures across venues: equity, available, PnL and
 * margin summed over the venues whose account is kept in the chosen
 * currency. Real money is never added to practice money: the sum covers the
 * venues of the same kind as the one selected (live venues, or paper and
 * demo ones), so a paper balance cannot inflate a live equity.
 */
import { Dec } from '../../shared/decimal';
import type { AccountSummary } from '../../shared/domain';
import { isRealMoney, type VenueScheme } from './venueScheme';

export interface AccountTotals {
  currency: string;
  equity: string;
  available: string;
  unrealizedPnl: string;
  realizedPnl: string;
  realizedPnlGross: string;
  feesPaid: string;
  marginUsed: string;
  /** The venues summed. */
  venues: string[];
  /** Venues of the same kind left out because their account is in another currency. */
  otherCurrency: { venue: string; currency: string }[];
}

type Summed = 'equity' | 'available' | 'unrealizedPnl' | 'realizedPnl' | 'realizedPnlGross' | 'feesPaid' | 'marginUsed';

/** Sums the accounts kept in `currency`; null when none is. */
export function sumAccounts(accounts: readonly AccountSummary[], currency: string): AccountTotals | null {
  const summed = accounts.filter((a) => a.currency === currency);
  if (summed.length === 0) return null;
  const total = (field: Summed) => Dec.sum(summed.map((a) => Dec.parse(a[field]))).toString();
  return {
    currency,
    equity: total('equity'),
    available: total('available'),
    unrealizedPnl: total('unrealizedPnl'),
    realizedPnl: total('realizedPnl'),
    realizedPnlGross: total('realizedPnlGross'),
    feesPaid: total('feesPaid'),
    marginUsed: total('marginUsed'),
    venues: summed.map((a) => a.venue),
    otherCurrency: accounts.filter((a) => a.currency !== currency).map((a) => ({ venue: a.venue, currency: a.currency })),
  };
}

/** The accounts of the venues that trade the same kind of money as `selected` (real, or practice). */
export function sameMoneyAccounts(
  accounts: Readonly<Record<string, AccountSummary>>,
  schemeOf: (venue: string) => VenueScheme | null,
  selected: VenueScheme | null,
): AccountSummary[] {
  const real = isRealMoney(selected);
  return Object.values(accounts)
    .filter((a) => isRealMoney(schemeOf(a.venue)) === real)
    .sort((a, b) => a.venue.localeCompare(b.venue));
}

/** The currencies the accounts are kept in, the default first, for the "sum in" choice. */
export function sumCurrencies(accounts: Readonly<Record<string, AccountSummary>>, fallback = 'USDT'): string[] {
  const found = new Set(Object.values(accounts).map((a) => a.currency));
  found.delete(fallback);
  return [fallback, ...[...found].sort()];
}
