/**
 * The contract's performance analytics, trade journal and exports: figures
 * for a scope (the account, a venue, a strategy, a symbol, a market regime,
 * manual trading) over a date range, the equity curve with its drawdown and
 * daily results, the round trips built from fills with the trader's notes
 * and tags, and the books as CSV (Keel's columns or a tax tool's) or as a
 * printable HTML report.
 *
 * Money is a decimal string in the scope's settlement currency; ratios and
 * percentages (12.5 = 12.5 %) are numbers; a figure the data leaves
 * undefined (no losing trade for a profit factor, one day of returns for a
 * Sharpe ratio) is null. Calendar buckets (days, weekdays, hours) are UTC.
 */
import { z } from 'zod';
import { decimalString, orderSource, symbol, timestampMs, unsignedDecimalString, venueId } from '../domain';
import { cursorSchema, MAX_PAGE_ROWS, method } from './common';
import { regimeLabelSchema } from './ml';

const strategyIdSchema = z.string().min(1).max(64);

export const ANALYTICS_SCOPE_KINDS = ['account', 'venue', 'strategy', 'symbol', 'regime', 'manual'] as const;

/** Whose trading the figures are about. A round trip belongs to the trader whose fill opened it. */
export const analyticsScopeSchema = z.discriminatedUnion('kind', [
  /** Everything on every venue (all venues must settle in one currency). */
  z.object({ kind: z.literal('account') }).strict(),
  z.object({ kind: z.literal('venue'), venue: venueId }).strict(),
  z.object({ kind: z.literal('strategy'), strategyId: strategyIdSchema }).strict(),
  /** A symbol on every venue, or on one. */
  z.object({ kind: z.literal('symbol'), symbol, venue: venueId.optional() }).strict(),
  /** Round trips opened while the market was in this regime. */
  z.object({ kind: z.literal('regime'), regime: regimeLabelSchema }).strict(),
  /** Round trips opened by hand at the desk. */
  z.object({ kind: z.literal('manual') }).strict(),
]);
export type AnalyticsScope = z.infer<typeof analyticsScopeSchema>;

/** A date range: from (exclusive) to (inclusive); open ends mean "from the first fill" and "until now". */
const rangeFields = { from: timestampMs.optional(), to: timestampMs.optional() };
const rangeIsOrdered = (p: { from?: number | undefined; to?: number | undefined }) => p.from === undefined || p.to === undefined || p.from < p.to;
const rangeMessage = { message: '"from" must be before "to"', path: ['from'] };

export const analyticsParamsSchema = z
  .object({ scope: analyticsScopeSchema, ...rangeFields })
  .strict()
  .refine(rangeIsOrdered, rangeMessage);
export type AnalyticsParams = z.infer<typeof analyticsParamsSchema>;

export const tradeModelSchema = z.object({ modelId: z.string(), modelName: z.string(), modelVersion: z.number().int().positive() });

/** One round trip of the trade journal. */
export const roundTripSchema = z.object({
  /** `venue:tradeId` of the fill that opened it. */
  id: z.string(),
  venue: venueId,
  symbol,
  side: z.enum(['long', 'short']),
  status: z.enum(['open', 'closed']),
  currency: z.string(),
  openedAt: timestampMs,
  closedAt: timestampMs.nullable(),
  durationMs: z.number().int().nonnegative().nullable(),
  /** Everything bought (long) or sold (short) to build it. */
  quantity: unsignedDecimalString,
  /** The largest position it reached. */
  peakQuantity: unsignedDecimalString,
  /** Still open (zero once closed). */
  openQuantity: unsignedDecimalString,
  entryPrice: decimalString,
  /** Average of the exits so far; null before the first. */
  exitPrice: decimalString.nullable(),
  /** Realized before fees and funding (FIFO lots closed so far). */
  grossPnl: decimalString,
  fees: decimalString,
  /** Funding booked while it was open, as it moved the balance (negative when paid). */
  funding: decimalString,
  /** grossPnl − fees + funding. */
  netPnl: decimalString,
  /** The open quantity at the current mark; null once closed or when no mark is known. */
  unrealizedPnl: decimalString.nullable(),
  /** netPnl over the entries' value, in percent; null while open. */
  returnPct: z.number().nullable(),
  /** Who traded: the source of the order whose fill opened it, and the strategy id or API client. */
  source: orderSource,
  sourceId: z.string().nullable(),
  /** The model version behind the signal that caused the opening order, when there was one. */
  model: tradeModelSchema.nullable(),
  /** The market regime when it opened (1h bars of the venue); null without enough history. */
  regime: regimeLabelSchema.nullable(),
  /** The first reduce-only stop placed on the position while it was open: it defined the risk. */
  stopPrice: decimalString.nullable(),
  /** |entry − stop| × quantity; null without such a stop, or with one at or beyond the entry. */
  initialRisk: decimalString.nullable(),
  /** netPnl over initialRisk; null while open or without initial risk. */
  rMultiple: z.number().nullable(),
  /** Fills that made it (a flip's fill counts in both round trips). */
  fills: z.number().int().positive(),
  note: z.string(),
  tags: z.array(z.string()),
});
export type RoundTripView = z.infer<typeof roundTripSchema>;

export const analyticsFiguresSchema = z.object({
  /** Round trips closed in the range. */
  trades: z.number().int().nonnegative(),
  /** Round trips of the scope still open at the end of the range. */
  openTrades: z.number().int().nonnegative(),
  wins: z.number().int().nonnegative(),
  losses: z.number().int().nonnegative(),
  /** Net PnL of the round trips closed in the range. */
  netPnl: decimalString,
  /** Σ of the winners' net PnL. */
  grossProfit: decimalString,
  /** Σ of the losers' net PnL (zero or negative). */
  grossLoss: decimalString,
  /** grossProfit / |grossLoss|. */
  profitFactor: z.number().nullable(),
  winRatePct: z.number().nullable(),
  averageWin: decimalString.nullable(),
  averageLoss: decimalString.nullable(),
  /** averageWin / |averageLoss|. */
  payoffRatio: z.number().nullable(),
  /** Net PnL per round trip. */
  expectancy: decimalString.nullable(),
  /** Mean return per round trip, in percent. */
  expectancyPct: z.number().nullable(),
  /** Mean R multiple of the round trips that had one. */
  expectancyR: z.number().nullable(),
  rTrades: z.number().int().nonnegative(),
  bestTradePct: z.number().nullable(),
  worstTradePct: z.number().nullable(),
  averageDurationMs: z.number().nullable(),
  /** Annualised (365 days) from daily equity returns. */
  sharpeRatio: z.number().nullable(),
  sortinoRatio: z.number().nullable(),
  /** Deepest fall of equity below its running high, in money and in percent of that high. */
  maxDrawdown: decimalString,
  maxDrawdownPct: z.number().nullable(),
  /** Longest time from a high to the next (or to the end of the range). */
  maxDrawdownDurationMs: z.number().nullable(),
  /** Share of the range with a position open. */
  exposurePct: z.number(),
  feesPaid: decimalString,
  /** Funding paid (negative when more was received). */
  fundingPaid: decimalString,
  startEquity: decimalString,
  endEquity: decimalString,
  /** endEquity / startEquity − 1, in percent; null without positive starting equity. */
  returnPct: z.number().nullable(),
  /** Open round trips at the end of the range, at their marks. */
  unrealizedPnl: decimalString,
});
export type AnalyticsFigures = z.infer<typeof analyticsFiguresSchema>;

/** Round trips grouped by a calendar bucket of their opening time (UTC). */
export const bucketFiguresSchema = z.object({
  /** 0 = Monday … 6 = Sunday, or the hour 0 … 23. */
  key: z.number().int().min(0).max(23),
  trades: z.number().int().nonnegative(),
  wins: z.number().int().nonnegative(),
  netPnl: decimalString,
});

export const returnBinSchema = z.object({ fromPct: z.number(), toPct: z.number(), count: z.number().int().nonnegative() });

export const analyticsSummarySchema = z.object({
  scope: analyticsScopeSchema,
  /** The range the figures cover (open ends filled in). */
  from: timestampMs,
  to: timestampMs,
  currency: z.string(),
  figures: analyticsFiguresSchema,
  byDayOfWeek: z.array(bucketFiguresSchema).length(7),
  byHour: z.array(bucketFiguresSchema).length(24),
  /** Returns of the closed round trips, in bins of equal width. */
  returnDistribution: z.array(returnBinSchema),
});
export type AnalyticsSummary = z.infer<typeof analyticsSummarySchema>;

export const analyticsEquityPointSchema = z.object({
  time: timestampMs,
  equity: decimalString,
  /** Since the start of the range. */
  pnl: decimalString,
  /** Below the running high, in money (zero at a high). */
  drawdown: decimalString,
  /** The same in percent of the high (positive). */
  drawdownPct: z.number(),
});
export type AnalyticsEquityPoint = z.infer<typeof analyticsEquityPointSchema>;

export const dailyResultSchema = z.object({
  /** UTC date, "2025-03-14". */
  date: z.string(),
  /** Midnight UTC opening the day. */
  time: timestampMs,
  /** Change of equity over the day (marked to market). */
  pnl: decimalString,
  /** Equity at the day's close. */
  equity: decimalString,
  returnPct: z.number().nullable(),
  /** Round trips closed that day. */
  trades: z.number().int().nonnegative(),
});
export type DailyResult = z.infer<typeof dailyResultSchema>;

export const analyticsEquitySchema = z.object({
  scope: analyticsScopeSchema,
  from: timestampMs,
  to: timestampMs,
  currency: z.string(),
  startEquity: decimalString,
  /** After each fill, at each UTC day's close, and at the end of the range. */
  points: z.array(analyticsEquityPointSchema),
  /** True when a long range had more points than are sent; the day closes and each day's high and low are kept. */
  thinned: z.boolean(),
  daily: z.array(dailyResultSchema),
});
export type AnalyticsEquity = z.infer<typeof analyticsEquitySchema>;

export const MAX_NOTE_CHARS = 2_000;
export const MAX_TAGS = 16;
export const tagSchema = z
  .string()
  .trim()
  .min(1, 'a tag cannot be empty')
  .max(32, 'a tag has at most 32 characters')
  .regex(/^[\p{L}\p{N}][\p{L}\p{N} _\-/.#+]*$/u, 'a tag is letters, digits, spaces and - _ / . # +, starting with a letter or digit');

export const tradeFiltersSchema = z
  .object({
    scope: analyticsScopeSchema.optional(),
    ...rangeFields,
    /** Closed round trips are in range when they closed in it; open ones when they opened before its end. */
    status: z.enum(['open', 'closed', 'all']).optional(),
    /** Only round trips carrying this tag. */
    tag: tagSchema.optional(),
    /** Newest opened first; default 500. */
    limit: z.number().int().min(1).max(MAX_PAGE_ROWS).optional(),
    cursor: cursorSchema.optional(),
  })
  .strict()
  .refine(rangeIsOrdered, rangeMessage);
export type TradeFilters = z.infer<typeof tradeFiltersSchema>;

export const annotateTradeParams = z
  .object({
    tradeId: z.string().min(1).max(200),
    /** Replaces the note; "" clears it. */
    note: z.string().max(MAX_NOTE_CHARS).optional(),
    /** Replaces the tags; [] clears them. Repeats are dropped. */
    tags: z.array(tagSchema).max(MAX_TAGS).optional(),
  })
  .strict()
  .refine((p) => p.note !== undefined || p.tags !== undefined, { message: 'give a note, tags or both', path: ['note'] });
export type AnnotateTradeParams = z.infer<typeof annotateTradeParams>;

export const EXPORT_KINDS = ['fills', 'trades', 'taxLots'] as const;
/** Keel's own columns, or the generic import layout of a tax tool (see docs/analytics.md). */
export const EXPORT_FORMATS = ['keel', 'koinly', 'cointracker'] as const;

export const exportCsvParams = z
  .object({ kind: z.enum(EXPORT_KINDS), format: z.enum(EXPORT_FORMATS).optional(), ...rangeFields })
  .strict()
  .refine(rangeIsOrdered, rangeMessage);
export type ExportCsvParams = z.infer<typeof exportCsvParams>;

/** Largest file one export answers (it crosses the contract in one message); a longer one asks for a shorter range. */
export const MAX_EXPORT_CHARS = 8 * 1024 * 1024;

export const exportFileSchema = z.object({
  filename: z.string(),
  mimeType: z.string(),
  /** The file's text. */
  content: z.string(),
  /** Data rows (CSV) or round trips listed (report). */
  rows: z.number().int().nonnegative(),
});
export type ExportFile = z.infer<typeof exportFileSchema>;

export const analyticsMethods = {
  'analytics.summary': method('query', analyticsParamsSchema, analyticsSummarySchema),
  'analytics.equity': method('query', analyticsParamsSchema, analyticsEquitySchema),
  'journal.trades': method(
    'query',
    z.object({ filters: tradeFiltersSchema.optional() }).strict(),
    z.object({ trades: z.array(roundTripSchema), nextCursor: z.string().nullable() }),
  ),
  'journal.annotate': method('command', annotateTradeParams, roundTripSchema),
  'export.csv': method('query', exportCsvParams, exportFileSchema),
  /** The analytics of a scope as one self-contained, printable HTML page. */
  'export.report': method('query', analyticsParamsSchema, exportFileSchema),
} as const;
