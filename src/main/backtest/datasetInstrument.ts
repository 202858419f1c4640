/**
 * The instrument a backtest trades on imported data: its tick fine enough
 * for every price in the data and every entry price the spread makes of
 * them, its lot the settings' fractional unit, its fee the commission, and
 * its leverage 1 / margin. A linear perpetual, so shorts are possible, as in
 * the reference backtester.
 */
import { Dec } from '../../shared/decimal';
import type { Bar, Instrument } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import type { BacktestSettings } from '../../shared/contract/backtests';

/** Decimal places of a float's shortest representation (1.0751 → 4; 1e-7 → 7). */
export function decimalPlaces(value: number): number {
  // A float's shortest text is what Dec.fromNumber reads too; only exponent forms need the exact route.
  const plain = String(value);
  const text = plain.includes('e') ? Dec.fromNumber(value).toString() : plain;
  const dot = text.indexOf('.');
  return dot < 0 ? 0 : text.length - dot - 1;
}

/** Powers of ten up to the most places a tick may have. */
const SCALES = Array.from({ length: 13 }, (_, places) => 10 ** places);

/**
 * True when `value` surely has at most `places` decimals: it is the double
 * nearest k / 10^places for a whole k of at most 15 digits. Two decimals of
 * at most 15 significant digits never share a double, so the shortest text
 * of `value` is that decimal, with no more places. Far cheaper than printing
 * it; a false answer is settled by `decimalPlaces`.
 */
function hasAtMostPlaces(value: number, places: number): boolean {
  const scale = SCALES[places];
  if (scale === undefined) return false;
  const k = Math.round(value * scale);
  return Math.abs(k) < 1e15 && k / scale === value;
}

/** `places`, or the decimal places of `value` when it has more: it is printed only when it may have. */
export function widerPlaces(places: number, value: number): number {
  return hasAtMostPlaces(value, places) ? places : Math.max(places, decimalPlaces(value));
}

export function datasetInstrument(symbol: string, bars: readonly Bar[], settings: BacktestSettings, venue: string): Instrument {
  let places = 0;
  // Indexed, not iterated: it runs once over every bar, before the optimizing compiler has seen it, where an iterator allocates per bar.
  for (let i = 0; i < bars.length; i++) {
    const bar = bars[i]!;
    places = widerPlaces(widerPlaces(widerPlaces(widerPlaces(places, bar.open), bar.high), bar.low), bar.close);
  }
  places += decimalPlaces(settings.spread);
  if (places > 12) throw new KeelError('VALIDATION_FAILED', `Prices with the spread need ${places} decimals; at most 12 are supported (round the data or the spread)`);
  const leverage = 1 / settings.margin;
  if (Math.abs(leverage - Math.round(leverage)) > 1e-9) {
    throw new KeelError('VALIDATION_FAILED', `Margin ${settings.margin} is not 1 / a whole number (1, 0.5, 0.2, 0.1, ...)`);
  }
  const lot = Dec.fromNumber(settings.fractionalUnit).toString();
  const fee = Dec.fromNumber(settings.commission).toString();
  const [base, quote] = symbol.includes('/') ? symbol.split('/') : [symbol, 'USD'];
  return {
    venue,
    symbol,
    base: base || symbol,
    quote: (quote ?? 'USD').split(':')[0] || 'USD',
    settle: (quote ?? 'USD').split(':')[0] || 'USD',
    kind: 'linear_perpetual',
    tickSize: Dec.ONE.div(Dec.fromBigInt(10n ** BigInt(places))).toString(),
    lotSize: lot,
    minQuantity: lot,
    minNotional: '0',
    makerFee: fee,
    takerFee: fee,
    maxLeverage: Math.round(leverage),
    defaultLeverage: Math.round(leverage),
  };
}

