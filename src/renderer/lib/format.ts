/**
 * Display formatting. Prices show the instrument's tick decimals, quantities
 * its lot decimals, money two decimals; times are local HH:MM:SS. Values
 * arrive as decimal strings and are rounded with `Dec`, never through floats,
 * so what the trader reads is what the ledger holds.
 */
import { Dec, decimalsOf } from '../../shared/decimal';
import type { Instrument, Order } from '../../shared/domain';

function parse(value: string | null | undefined): Dec | null {
  if (value === null || value === undefined || !Dec.isValid(value)) return null;
  return Dec.parse(value);
}

/** Inserts thousands separators into the whole part of a plain decimal string. */
export function group(text: string): string {
  const negative = text.startsWith('-');
  const body = negative ? text.slice(1) : text;
  const [whole = '', fraction] = body.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  return `${negative ? '-' : ''}${grouped}${fraction !== undefined ? `.${fraction}` : ''}`;
}

export function fixed(value: string | null | undefined, digits: number): string {
  const d = parse(value);
  return d ? d.toFixed(digits) : '—';
}

export function priceDigits(inst: Instrument | undefined): number {
  return inst ? decimalsOf(inst.tickSize) : 2;
}

export function qtyDigits(inst: Instrument | undefined): number {
  return inst ? decimalsOf(inst.lotSize) : 4;
}

export function fmtPrice(value: string | null | undefined, inst: Instrument | undefined): string {
  return fixed(value, priceDigits(inst));
}

export function fmtQty(value: string | null | undefined, inst: Instrument | undefined): string {
  return fixed(value, qtyDigits(inst));
}

export interface MoneyOptions {
  /** Show "+" on positive values (PnL). */
  signed?: boolean;
  /** Thousands separators (headline figures). */
  grouped?: boolean;
  digits?: number;
}

export function fmtMoney(value: string | null | undefined, opts: MoneyOptions = {}): string {
  const d = parse(value);
  if (!d) return '—';
  const text = d.toFixed(opts.digits ?? 2);
  const shown = opts.grouped ? group(text) : text;
  return opts.signed && d.isPositive() && Number(text) !== 0 ? `+${shown}` : shown;
}

/** -1, 0 or 1 for colouring PnL; 0 for missing values. */
export function signOf(value: string | null | undefined): -1 | 0 | 1 {
  return parse(value)?.sign() ?? 0;
}

export function pnlClass(value: string | null | undefined): string {
  const s = signOf(value);
  return s > 0 ? 'pos' : s < 0 ? 'neg' : '';
}

export function fmtPercent(value: number): string {
  if (!Number.isFinite(value)) return '—';
  return `${value > 0 ? '+' : ''}${value.toFixed(2)}%`;
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

/** A moment for "since ...": the time alone today, the date and time before. */
export function fmtSince(ms: number, now: number = Date.now()): string {
  return new Date(ms).toDateString() === new Date(now).toDateString() ? fmtTime(ms) : fmtDateTime(ms);
}

/** Compact volume: 1234567 -> "1.23M". */
export function fmtCompact(value: string | number | null | undefined): string {
  const n = typeof value === 'number' ? value : Number(value);
  if (value === null || value === undefined || !Number.isFinite(n)) return '—';
  const abs = Math.abs(n);
  if (abs >= 1e9) return `${(n / 1e9).toFixed(2)}B`;
  if (abs >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (abs >= 1e3) return `${(n / 1e3).toFixed(2)}K`;
  return n.toFixed(abs >= 100 ? 0 : 2);
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

export function fmtStatus(status: string): string {
  return status.replace(/_/g, ' ');
}

const SOURCE_LABEL: Record<Order['source'], string> = {
  manual: 'Manual',
  api: 'API',
  strategy: 'Strategy',
  emergency: 'Emergency',
  external: 'External',
};

/** Who sent an order, with the sender's own name when it gave one: "API · mybot". */
export function fmtSource(order: Pick<Order, 'source' | 'sourceId'>): string {
  const label = SOURCE_LABEL[order.source] ?? order.source;
  return order.sourceId ? `${label} · ${order.sourceId}` : label;
}

/** Realized PnL is shown net of fees; this is what the net figure is made of, for its tooltip. */
export function fmtRealizedBreakdown(value: { realizedPnlGross?: string; feesPaid: string }): string | undefined {
  if (value.realizedPnlGross === undefined) return undefined;
  return `Gross ${fmtMoney(value.realizedPnlGross, { signed: true, grouped: true })} · fees ${fmtMoney(value.feesPaid, { grouped: true })}`;
}
