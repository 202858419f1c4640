/**
 * Display formatting, the one way numbers reach the screen: prices show the
 * instrument's tick decimals, quantities its lot decimals, money two
 * decimals, all with thousands separators and never "-0"; PnL is coloured by
 * the sign of what is shown. Times are local HH:MM:SS. Values arrive as
 * decimal strings and are rounded with `Dec`, never through floats, so what
 * the trader reads is what the ledger holds.
 */
import { Dec, decimalsOf } from '../../shared/decimal';
import { groupThousands } from '../../shared/numberText';
import type { Instrument, Order, Position } from '../../shared/domain';

function parse(value: string | null | undefined): Dec | null {
  if (value === null || value === undefined || !Dec.isValid(value)) return null;
  return Dec.parse(value);
}

/** Inserts thousands separators into the whole part of a plain decimal string (already grouped text is left as it is). */
export function group(text: string): string {
  return groupThousands(text);
}

export interface NumberOptions {
  /** Show "+" on values above zero as shown (PnL, changes). */
  signed?: boolean;
  /** Thousands separators; on unless the text goes into an input. */
  grouped?: boolean;
}

/** A decimal string, an exact decimal or a float (charts, statistics) rounded to `digits`; null when not a number. */
function rounded(value: Dec | string | number | null | undefined, digits: number): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Dec) return value.toFixed(digits);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return null;
    return value.toFixed(digits);
  }
  const d = parse(value);
  return d ? d.toFixed(digits) : null;
}

/**
 * The one number formatter every figure on screen goes through: `digits`
 * decimals, thousands separators, a "+" when asked, and never "-0" (a value
 * that rounds to zero is shown as zero, whichever side it came from).
 */
export function fmtNumber(value: Dec | string | number | null | undefined, digits: number, opts: NumberOptions = {}): string {
  let text = rounded(value, digits);
  if (text === null) return '—';
  const negative = text.startsWith('-');
  const isZero = !/[1-9]/.test(text);
  if (negative && isZero) text = text.slice(1);
  const shown = opts.grouped === false ? text : groupThousands(text);
  return opts.signed && !negative && !isZero ? `+${shown}` : shown;
}

/** Plain text to `digits` decimals, without separators: for values written into a form's input. */
export function fixed(value: string | null | undefined, digits: number): string {
  return fmtNumber(value, digits, { grouped: false });
}

export function priceDigits(inst: Instrument | undefined): number {
  return inst ? decimalsOf(inst.tickSize) : 2;
}

export function qtyDigits(inst: Instrument | undefined): number {
  return inst ? decimalsOf(inst.lotSize) : 4;
}

export function fmtPrice(value: Dec | string | null | undefined, inst: Instrument | undefined): string {
  return fmtNumber(value, priceDigits(inst));
}

export function fmtQty(value: Dec | string | null | undefined, inst: Instrument | undefined): string {
  return fmtNumber(value, qtyDigits(inst));
}

/** A price as the ticket's inputs take it: the tick's decimals, no separators. */
export function inputPrice(value: string | null | undefined, inst: Instrument | undefined): string {
  return fixed(value, priceDigits(inst));
}

/** A quantity as the ticket's inputs take it: the lot's decimals, no separators. */
export function inputQty(value: Dec | string | null | undefined, inst: Instrument | undefined): string {
  return fmtNumber(value, qtyDigits(inst), { grouped: false });
}

export interface MoneyOptions extends NumberOptions {
  digits?: number;
}

/** Money: two decimals unless told otherwise, grouped. */
export function fmtMoney(value: Dec | string | null | undefined, opts: MoneyOptions = {}): string {
  return fmtNumber(value, opts.digits ?? 2, opts);
}

/** -1, 0 or 1 for colouring PnL; 0 for missing values and for values that show as zero at `digits`. */
export function signOf(value: Dec | string | number | null | undefined, digits = 2): -1 | 0 | 1 {
  const text = rounded(value, digits);
  if (text === null || !/[1-9]/.test(text)) return 0;
  return text.startsWith('-') ? -1 : 1;
}

/** The colour class of a PnL figure: by the sign of what is shown, so "0.00" is never red. */
export function pnlClass(value: Dec | string | number | null | undefined, digits = 2): string {
  const s = signOf(value, digits);
  return s > 0 ? 'pos' : s < 0 ? 'neg' : '';
}

/** A percentage with its sign ("+1.23%", "-0.50%", "0.00%"). */
export function fmtPercent(value: number, digits = 2): string {
  if (!Number.isFinite(value)) return '—';
  return `${fmtNumber(value, digits, { signed: true })}%`;
}

const pad = (n: number) => String(n).padStart(2, '0');

export function fmtTime(ms: number): string {
  const d = new Date(ms);
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

export function fmtDateTime(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${fmtTime(ms)}`;
}

/** Local time to the millisecond, for event histories where the order of things within a second matters. */
export function fmtTimeMs(ms: number): string {
  return `${fmtTime(ms)}.${String(new Date(ms).getMilliseconds()).padStart(3, '0')}`;
}

export function fmtDateTimeMs(ms: number): string {
  const d = new Date(ms);
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${fmtTimeMs(ms)}`;
}

/** A span of time, short: "0.4 s", "12 s", "3 min", "2 h 5 min" (how long ago, how long a job took). */
export function fmtShortSpan(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || !Number.isFinite(ms)) return '—';
  if (ms < 10_000) return `${fmtNumber(ms / 1000, 1)} s`;
  const s = Math.round(ms / 1000);
  if (s < 120) return `${s} s`;
  const min = Math.floor(s / 60);
  if (min < 120) return `${min} min`;
  return `${Math.floor(min / 60)} h ${min % 60} min`;
}

/** A moment for "since ...": the time alone today, the date and time before. */
export function fmtSince(ms: number, now: number = Date.now()): string {
  return new Date(ms).toDateString() === new Date(now).toDateString() ? fmtTime(ms) : fmtDateTime(ms);
}

/** Compact volume: 1234567 -> "1.23M", 850.5 -> "851", 0.85 -> "0.85". */
export function fmtCompact(value: string | number | null | undefined): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === null || value === undefined || value === '' || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${fmtNumber(n / 1e9, 2)}B`;
  if (abs >= 1e6) return `${fmtNumber(n / 1e6, 2)}M`;
  if (abs >= 1e3) return `${fmtNumber(n / 1e3, 2)}K`;
  return fmtNumber(n, abs >= 100 ? 0 : 2);
}

export const ORDER_TYPE_LABEL = {
  market: 'Market',
  limit: 'Limit',
  stop: 'Stop',
  stop_limit: 'Stop limit',
  take_profit: 'Take profit',
  take_profit_limit: 'Take profit limit',
  trailing_stop: 'Trailing stop',
} as const;
export const ORDER_TYPE_SHORT = {
  market: 'MKT',
  limit: 'LMT',
  stop: 'STP',
  stop_limit: 'STP LMT',
  take_profit: 'TP',
  take_profit_limit: 'TP LMT',
  trailing_stop: 'TRAIL',
} as const;

/**
 * An order in words, for the name of a row's buttons ("Cancel buy 0.010
 * BTC/USDT:USDT limit 78,000.0"), so a screen reader says which order a
 * button acts on; `venue` is added where several venues share the table.
 */
export function fmtOrderSummary(
  o: Pick<Order, 'side' | 'quantity' | 'symbol' | 'type' | 'price' | 'stopPrice' | 'venue'>,
  inst: Instrument | undefined,
  opts: { venue?: boolean } = {},
): string {
  const price = o.price ? fmtPrice(o.price, inst) : null;
  const stop = o.stopPrice ? fmtPrice(o.stopPrice, inst) : null;
  const how =
    o.type === 'market'
      ? 'market'
      : o.type === 'limit'
        ? `limit ${price ?? ''}`
        : o.type === 'stop'
          ? `stop ${stop ?? ''}`
          : `stop limit ${price ?? ''} (stop ${stop ?? ''})`;
  return `${o.side} ${fmtQty(o.quantity, inst)} ${o.symbol} ${how.trim()}${opts.venue ? ` on ${o.venue}` : ''}`;
}

/** A position in words, for the name of its row's buttons: "long 0.010 BTC/USDT:USDT". */
export function fmtPositionSummary(
  p: Pick<Position, 'side' | 'quantity' | 'symbol' | 'venue'>,
  inst: Instrument | undefined,
  opts: { venue?: boolean } = {},
): string {
  return `${p.side} ${fmtQty(p.quantity, inst)} ${p.symbol}${opts.venue ? ` on ${p.venue}` : ''}`;
}

export function fmtStatus(status: string): string {
  return status.replace(/_/g, ' ');
}

const SOURCE_LABEL: Record<Order['source'], string> = {
  manual: 'Manual',
  api: 'API',
  strategy: 'Strategy',
  emergency: 'Emergency',
  external: 'External',
  liquidation: 'Liquidation',
};

/** Who sent an order, with the sender's own name when it gave one: "API · mybot". */
export function fmtSource(order: Pick<Order, 'source' | 'sourceId'>): string {
  const label = SOURCE_LABEL[order.source] ?? order.source;
  return order.sourceId ? `${label} · ${order.sourceId}` : label;
}

/** Realized PnL is shown net of fees; this is what the net figure is made of, for its tooltip. */
export function fmtRealizedBreakdown(value: { realizedPnlGross?: string; feesPaid: string; funding?: string }): string | undefined {
  if (value.realizedPnlGross === undefined) return undefined;
  const funding = value.funding === undefined ? '' : ` · funding ${fmtMoney(value.funding, { signed: true, grouped: true, digits: 4 })}`;
  return `Gross ${fmtMoney(value.realizedPnlGross, { signed: true, grouped: true })} · fees ${fmtMoney(value.feesPaid, { grouped: true })}${funding}`;
}
