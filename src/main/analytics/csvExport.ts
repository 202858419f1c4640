/**
 * The books as CSV: fills, round trips and FIFO tax lots, in Keel's own
 * columns or in the generic import layouts of two crypto tax tools (the
 * column names and rules are in docs/analytics.md):
 *
 * - Koinly's universal template: Date ("YYYY-MM-DD HH:mm UTC"), Sent Amount,
 *   Sent Currency, Received Amount, Received Currency, Fee Amount, Fee
 *   Currency, Net Worth Amount, Net Worth Currency, Label, Description,
 *   TxHash. Derivative PnL is a deposit (profit) or withdrawal (loss)
 *   labelled "realized gain"; fees on derivatives are withdrawals labelled
 *   "margin fee".
 * - CoinTracker's template: Date ("MM/DD/YYYY HH:MM:SS", UTC), Received
 *   Quantity, Received Currency, Sent Quantity, Sent Currency, Fee Amount,
 *   Fee Currency, Tag. Derivative PnL is tagged "margin gain" or
 *   "margin loss", fees "margin fee", rebates "margin rebate".
 *
 * A spot fill is a trade in both layouts (what was sent and received); a
 * perpetual's fill moves no coins, only money: its realized PnL (as the
 * ledger booked it) and its fee. Round trips and lots in a tax layout are
 * one PnL row each, at their close, net of fees and funding.
 *
 * Files follow RFC 4180 (CRLF, fields quoted when they hold a comma, quote
 * or line break). Text a trader typed (notes, tags) that starts with = + -
 * @ is prefixed with ' so a spreadsheet shows it instead of running it.
 */
import type { ExportCsvParams, RoundTripView } from '../../shared/contract/analytics';
import { Dec } from '../../shared/decimal';
import type { Fill, Instrument } from '../../shared/domain';
import type { ClosedLot } from './fifoLots';

export type ExportFormat = NonNullable<ExportCsvParams['format']>;

export interface ExportLookups {
  instrumentOf(venue: string, symbol: string): Instrument | undefined;
  currencyOf(venue: string): string;
}

export interface Csv {
  content: string;
  /** Data rows, header excluded. */
  rows: number;
}

const DAY_MS = 86_400_000;

export function csvField(value: string | number | null): string {
  const text = value === null ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** Free text that a spreadsheet would take for a formula is shown as text. */
export function safeText(text: string): string {
  return /^[=+\-@\t\r]/.test(text) ? `'${text}` : text;
}

function csv(header: readonly string[], rows: ReadonlyArray<ReadonlyArray<string | number | null>>): Csv {
  const lines = [header.map(csvField).join(','), ...rows.map((r) => r.map(csvField).join(','))];
  return { content: `${lines.join('\r\n')}\r\n`, rows: rows.length };
}

const pad = (n: number) => String(n).padStart(2, '0');

export function isoUtc(time: number): string {
  return new Date(time).toISOString();
}

/** Koinly's date: "2025-03-14 09:26 UTC". */
export function koinlyDate(time: number): string {
  const d = new Date(time);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())} UTC`;
}

/** CoinTracker's date, in UTC: "03/14/2025 09:26:53". */
export function coinTrackerDate(time: number): string {
  const d = new Date(time);
  return `${pad(d.getUTCMonth() + 1)}/${pad(d.getUTCDate())}/${d.getUTCFullYear()} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
}

/** One money movement in a tax tool's terms. */
interface Movement {
  time: number;
  sent: { amount: Dec; currency: string } | null;
  received: { amount: Dec; currency: string } | null;
  fee: { amount: Dec; currency: string } | null;
  /** What it is: a plain trade, derivative PnL, a fee, a rebate. */
  kind: 'trade' | 'pnl' | 'fee' | 'rebate';
  description: string;
  reference: string;
}

const KOINLY_HEADER = [
  'Date',
  'Sent Amount',
  'Sent Currency',
  'Received Amount',
  'Received Currency',
  'Fee Amount',
  'Fee Currency',
  'Net Worth Amount',
  'Net Worth Currency',
  'Label',
  'Description',
  'TxHash',
] as const;

const COINTRACKER_HEADER = ['Date', 'Received Quantity', 'Received Currency', 'Sent Quantity', 'Sent Currency', 'Fee Amount', 'Fee Currency', 'Tag'] as const;

function koinlyLabel(m: Movement): string {
  switch (m.kind) {
    case 'trade':
      return '';
    case 'pnl':
      return 'realized gain';
    case 'fee':
      return 'margin fee';
    case 'rebate':
      return 'fee refund';
  }
}

function coinTrackerTag(m: Movement): string {
  switch (m.kind) {
    case 'trade':
      return '';
    case 'pnl':
      return m.received ? 'margin gain' : 'margin loss';
    case 'fee':
      return 'margin fee';
    case 'rebate':
      return 'margin rebate';
  }
}

function movementsCsv(movements: readonly Movement[], format: Exclude<ExportFormat, 'keel'>): Csv {
  if (format === 'koinly') {
    return csv(
      KOINLY_HEADER,
      movements.map((m) => [
        koinlyDate(m.time),
        m.sent?.amount.toString() ?? null,
        m.sent?.currency ?? null,
        m.received?.amount.toString() ?? null,
        m.received?.currency ?? null,
        m.fee?.amount.toString() ?? null,
        m.fee?.currency ?? null,
        null,
        null,
        koinlyLabel(m),
        m.description,
        m.reference,
      ]),
    );
  }
  return csv(
    COINTRACKER_HEADER,
    movements.map((m) => [
      coinTrackerDate(m.time),
      m.received?.amount.toString() ?? null,
      m.received?.currency ?? null,
      m.sent?.amount.toString() ?? null,
      m.sent?.currency ?? null,
      m.fee?.amount.toString() ?? null,
      m.fee?.currency ?? null,
      coinTrackerTag(m),
    ]),
  );
}

/** A PnL amount as money received (profit) or sent (loss); nothing for zero. */
function pnlMovement(time: number, amount: Dec, currency: string, description: string, reference: string): Movement | null {
  if (amount.isZero()) return null;
  const money = { amount: amount.abs(), currency };
  return { time, sent: amount.isNegative() ? money : null, received: amount.isPositive() ? money : null, fee: null, kind: 'pnl', description, reference };
}

function feeMovement(time: number, fee: Dec, currency: string, description: string, reference: string): Movement | null {
  if (fee.isZero()) return null;
  const money = { amount: fee.abs(), currency };
  return fee.isPositive()
    ? { time, sent: money, received: null, fee: null, kind: 'fee', description, reference }
    : { time, sent: null, received: money, fee: null, kind: 'rebate', description, reference };
}

function baseAndQuote(fill: Pick<Fill, 'symbol'>, instrument: Instrument | undefined): { base: string; quote: string } {
  if (instrument) return { base: instrument.base, quote: instrument.quote };
  const [pair = ''] = fill.symbol.split(':');
  const [base = pair, quote = ''] = pair.split('/');
  return { base, quote };
}

export function fillsCsv(fills: readonly Fill[], format: ExportFormat, lookups: ExportLookups): Csv {
  if (format === 'keel') {
    return csv(
      ['Time (UTC)', 'Venue', 'Symbol', 'Side', 'Quantity', 'Price', 'Fee', 'Fee Currency', 'Liquidity', 'Realized PnL', 'Trade ID', 'Order ID', 'Client Order ID'],
      fills.map((f) => [isoUtc(f.timestamp), f.venue, f.symbol, f.side, f.quantity, f.price, f.fee, f.feeCurrency, f.liquidity, f.realizedPnl, f.tradeId, f.orderId, f.clientOrderId]),
    );
  }
  const movements: Movement[] = [];
  for (const f of fills) {
    const instrument = lookups.instrumentOf(f.venue, f.symbol);
    const what = `${f.side} ${f.quantity} ${f.symbol} @ ${f.price} on ${f.venue}`;
    const quantity = Dec.parse(f.quantity);
    const fee = Dec.parse(f.fee);
    if (instrument?.kind === 'spot') {
      const { base, quote } = baseAndQuote(f, instrument);
      const value = { amount: quantity.mul(Dec.parse(f.price)), currency: quote };
      const coins = { amount: quantity, currency: base };
      movements.push({
        time: f.timestamp,
        sent: f.side === 'buy' ? value : coins,
        received: f.side === 'buy' ? coins : value,
        fee: fee.isZero() ? null : { amount: fee, currency: f.feeCurrency },
        kind: 'trade',
        description: what,
        reference: f.tradeId,
      });
      continue;
    }
    const currency = instrument?.settle ?? lookups.currencyOf(f.venue);
    const pnl = pnlMovement(f.timestamp, Dec.parse(f.realizedPnl), currency, `PnL of ${what}`, f.tradeId);
    const paid = feeMovement(f.timestamp, fee, f.feeCurrency, `Fee of ${what}`, `${f.tradeId}-fee`);
    if (pnl) movements.push(pnl);
    if (paid) movements.push(paid);
  }
  return movementsCsv(movements, format);
}

export function tradesCsv(trips: readonly RoundTripView[], format: ExportFormat): Csv {
  if (format === 'keel') {
    return csv(
      [
        'Round Trip',
        'Venue',
        'Symbol',
        'Side',
        'Opened (UTC)',
        'Closed (UTC)',
        'Quantity',
        'Entry Price',
        'Exit Price',
        'Gross PnL',
        'Fees',
        'Funding',
        'Net PnL',
        'Currency',
        'Return %',
        'R Multiple',
        'Stop',
        'Source',
        'Strategy or Client',
        'Model',
        'Regime',
        'Fills',
        'Tags',
        'Note',
      ],
      trips.map((t) => [
        t.id,
        t.venue,
        t.symbol,
        t.side,
        isoUtc(t.openedAt),
        t.closedAt === null ? null : isoUtc(t.closedAt),
        t.quantity,
        t.entryPrice,
        t.exitPrice,
        t.grossPnl,
        t.fees,
        t.funding,
        t.netPnl,
        t.currency,
        t.returnPct,
        t.rMultiple,
        t.stopPrice,
        t.source,
        t.sourceId,
        t.model ? `${t.model.modelName} v${t.model.modelVersion}` : null,
        t.regime,
        t.fills,
        safeText(t.tags.join('; ')),
        safeText(t.note),
      ]),
    );
  }
  const movements = trips
    .filter((t) => t.closedAt !== null)
    .map((t) =>
      pnlMovement(
        t.closedAt!,
        Dec.parse(t.netPnl),
        t.currency,
        `${t.side} ${t.quantity} ${t.symbol} on ${t.venue}: ${t.entryPrice} to ${t.exitPrice ?? ''}, gross ${t.grossPnl}, fees ${t.fees}, funding ${t.funding}`,
        t.id,
      ),
    )
    .filter((m): m is Movement => m !== null);
  return movementsCsv(movements, format);
}

/** A lot's proceeds and cost basis: a long is bought then sold; a short is sold first and bought back. */
export function lotMoney(lot: ClosedLot): { proceeds: Dec; cost: Dec } {
  const open = lot.openPrice.mul(lot.quantity);
  const close = lot.closePrice.mul(lot.quantity);
  return lot.side === 'long' ? { proceeds: close, cost: open } : { proceeds: open, cost: close };
}

export function taxLotsCsv(lots: readonly ClosedLot[], format: ExportFormat, lookups: ExportLookups): Csv {
  if (format === 'keel') {
    return csv(
      [
        'Venue',
        'Symbol',
        'Asset',
        'Side',
        'Quantity',
        'Opened (UTC)',
        'Closed (UTC)',
        'Open Price',
        'Close Price',
        'Proceeds',
        'Cost Basis',
        'Fees',
        'Gain or Loss',
        'Currency',
        'Holding Days',
        'Term',
        'Open Trade ID',
        'Close Trade ID',
      ],
      lots.map((lot) => {
        const instrument = lookups.instrumentOf(lot.venue, lot.symbol);
        const { proceeds, cost } = lotMoney(lot);
        const fees = lot.openFee.add(lot.closeFee);
        const held = lot.closedAt - lot.openedAt;
        return [
          lot.venue,
          lot.symbol,
          baseAndQuote(lot, instrument).base,
          lot.side,
          lot.quantity.toString(),
          isoUtc(lot.openedAt),
          isoUtc(lot.closedAt),
          lot.openPrice.toString(),
          lot.closePrice.toString(),
          proceeds.toString(),
          cost.toString(),
          fees.toString(),
          lot.netPnl.toString(),
          instrument?.settle ?? lookups.currencyOf(lot.venue),
          Math.floor(held / DAY_MS),
          // Held more than a year: long term where the law distinguishes.
          held > 365 * DAY_MS ? 'long' : 'short',
          lot.openTradeId,
          lot.closeTradeId,
        ];
      }),
    );
  }
  const movements = lots
    .map((lot) => {
      const currency = lookups.instrumentOf(lot.venue, lot.symbol)?.settle ?? lookups.currencyOf(lot.venue);
      return pnlMovement(
        lot.closedAt,
        lot.netPnl,
        currency,
        `FIFO lot ${lot.side} ${lot.quantity} ${lot.symbol} on ${lot.venue}: ${lot.openPrice} to ${lot.closePrice}, fees ${lot.openFee.add(lot.closeFee)}`,
        `${lot.openTradeId}>${lot.closeTradeId}`,
      );
    })
    .filter((m): m is Movement => m !== null);
  return movementsCsv(movements, format);
}
