/**
 * Funding payments as the exchanges record them, read through ccxt's
 * `fetchFundingHistory` and turned into Keel's funding reports, each keyed
 * by the exchange's own id for it (Binance's income `tranId`, Bybit's
 * funding execution `execId`, OKX's bill `billId`), so a payment is booked
 * once however often it is read.
 *
 * The amount is taken exactly from the exchange's own text, not from ccxt's
 * float: Binance's `income` (positive: received), OKX's balance change
 * `balChg` (or `posBalChg` for an isolated position, as ccxt does), and
 * Bybit's `execFee`, which is a fee (positive: paid) and so is negated.
 * Only Bybit states the rate, mark and size a payment was charged at; for
 * the others they stay null rather than being guessed.
 *
 * Each exchange pages its history its own way; `FUNDING_PAGING` says how to
 * walk it from a given time to now without missing a payment.
 */
import { Dec } from '../../../shared/decimal';
import type { VenueFundingReport } from '../../engine/ports/venue';
import type { CcxtFunding } from './ccxtTypes';
import type { ExchangeId } from './exchanges';

/** Payments asked for per request (every one of the three takes 100). */
export const FUNDING_PAGE = 100;
/** The widest window Binance and Bybit answer for one request. */
export const FUNDING_WINDOW_MS = 7 * 24 * 3_600_000;

/**
 * How the history is walked: Binance answers a window oldest first (the next
 * page starts after the last payment); Bybit answers it newest first (the
 * next page ends before the oldest); OKX ignores `since`, takes `begin` and
 * answers newest first, the next page being the bills `after` the oldest.
 */
export const FUNDING_PAGING: Record<ExchangeId, 'forward' | 'backward' | 'bills'> = {
  binanceusdm: 'forward',
  bybit: 'backward',
  okx: 'bills',
};

/** One page request: `since` and the extra params ccxt passes on. */
export interface FundingPageRequest {
  since: number | undefined;
  params: Record<string, unknown>;
}

/**
 * Reads every payment from `since` to `now`, page by page, through `fetch`
 * (one ccxt call). Bounded: a history longer than `maxPages` pages is cut
 * there, oldest kept, and reported by `truncated`.
 */
export async function walkFundingHistory(
  exchange: ExchangeId,
  since: number,
  now: number,
  fetch: (request: FundingPageRequest) => Promise<CcxtFunding[]>,
  maxPages = 200,
): Promise<{ entries: CcxtFunding[]; truncated: boolean }> {
  const entries: CcxtFunding[] = [];
  let pages = 0;
  const take = async (request: FundingPageRequest): Promise<CcxtFunding[] | null> => {
    if (pages >= maxPages) return null;
    pages += 1;
    const page = await fetch(request);
    entries.push(...page);
    return page;
  };
  const times = (page: CcxtFunding[]) => page.map((f) => f.timestamp ?? 0);
  const paging = FUNDING_PAGING[exchange];
  if (paging === 'bills') {
    let after: string | undefined;
    for (;;) {
      const page = await take({ since: undefined, params: { begin: String(since), ...(after === undefined ? {} : { after }) } });
      if (page === null) return { entries, truncated: true };
      if (page.length < FUNDING_PAGE) break;
      const oldest = page.reduce((a, b) => ((a.timestamp ?? 0) <= (b.timestamp ?? 0) ? a : b));
      if (!oldest.id) break;
      after = oldest.id;
    }
    return { entries, truncated: false };
  }
  for (let start = since; start <= now; start += FUNDING_WINDOW_MS) {
    let from = start;
    let until = Math.min(start + FUNDING_WINDOW_MS - 1, now);
    for (;;) {
      const page = await take({ since: from, params: { until } });
      if (page === null) return { entries, truncated: true };
      if (page.length < FUNDING_PAGE) break;
      if (paging === 'forward') from = Math.max(...times(page)) + 1;
      else until = Math.min(...times(page)) - 1;
      if (from > until) break;
    }
  }
  return { entries, truncated: false };
}

function textOf(value: unknown): string | null {
  if (typeof value === 'string' && value.trim() !== '') return value.trim();
  if (typeof value === 'number' && Number.isFinite(value)) return Dec.fromNumber(value).toString();
  return null;
}

/** A decimal from exchange text (which may carry a leading plus or trailing zeros), or null. */
function decimalOf(value: unknown): Dec | null {
  const text = textOf(value);
  if (text === null) return null;
  const match = /^([+-])?(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) return null;
  const whole = match[2]!.replace(/^0+(?=\d)/, '');
  const fraction = (match[3] ?? '').replace(/0+$/, '');
  const parsed = Dec.parse(fraction === '' ? whole : `${whole}.${fraction}`);
  return match[1] === '-' ? parsed.neg() : parsed;
}

/** Bybit and OKX write "0" for "none". */
function positiveOrNull(value: Dec | null): string | null {
  return value !== null && value.isPositive() ? value.toString() : null;
}

/**
 * A funding payment in Keel's terms, or null when the entry is not one Keel
 * can book (no id, no time, no amount, or another currency than `settle`).
 */
export function fundingReportOf(exchange: ExchangeId, funding: CcxtFunding, settle: string): VenueFundingReport | null {
  const info = funding.info ?? {};
  const id = funding.id ?? null;
  const timestamp = funding.timestamp ?? null;
  if (!id || timestamp === null || !funding.symbol) return null;
  if ((funding.code ?? settle) !== settle) return null;
  let amount: Dec | null;
  let rate: Dec | null = null;
  let markPrice: string | null = null;
  let quantity: string | null = null;
  switch (exchange) {
    case 'binanceusdm':
      amount = decimalOf(info.income);
      break;
    case 'okx': {
      const balance = decimalOf(info.balChg);
      amount = balance !== null && !balance.isZero() ? balance : decimalOf(info.posBalChg);
      break;
    }
    case 'bybit': {
      const fee = decimalOf(info.execFee);
      amount = fee === null ? null : fee.neg();
      rate = decimalOf(info.feeRate);
      markPrice = positiveOrNull(decimalOf(info.execPrice));
      const size = decimalOf(info.execQty);
      if (amount !== null && rate !== null && size !== null && !rate.isZero() && !amount.isZero()) {
        // amount = −quantity × mark × rate: the sign of the position follows from the two that are stated.
        const long = amount.isNegative() === rate.isPositive();
        quantity = (long ? size.abs() : size.abs().neg()).toString();
      }
      break;
    }
  }
  if (amount === null) return null;
  return {
    fundingId: id,
    symbol: funding.symbol,
    rate: rate?.toString() ?? null,
    markPrice,
    quantity,
    amount: amount.toString(),
    currency: settle,
    fundingTime: timestamp,
    timestamp,
  };
}
