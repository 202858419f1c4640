/**
 * Loads the reference backtest runs in tests/fixtures/backtesting: price
 * data, each run's settings, statistics, closed trades and per-bar equity.
 * Bar times in the files are naive timestamps; they are read as UTC.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Bar } from '../../src/shared/domain';
import type { BacktestStatistics, ClosedTrade } from '../../src/main/backtest/statistics';

export const REFERENCE_DIR = join(__dirname, '..', 'fixtures', 'backtesting');

export const REFERENCE_RUNS = [
  'eurusd_sma10_20_commission',
  'eurusd_sma10_20_spread',
  'btcusd_sma3_6',
  'goog_sma10_30_testsuite',
] as const;
export type ReferenceRunName = (typeof REFERENCE_RUNS)[number];

/** A bar of the reference price data: the domain's own bar. */
export type ReferenceBar = Bar;

/** A closed trade as the statistics take it, with the times the reference also records. */
export interface ReferenceTrade extends ClosedTrade {
  entryTime: number;
  exitTime: number;
  durationMs: number;
}

export interface ReferenceEquityRow {
  time: number;
  equity: number;
  drawdown: number;
  /** Set on the bar that closes a drawdown period, null elsewhere. */
  drawdownDurationMs: number | null;
}

export interface ReferenceMeta {
  name: string;
  data: string;
  data_rows: number;
  backtest_kwargs: Record<string, string>;
  run_kwargs: Record<string, number>;
}

export interface ReferenceRun {
  meta: ReferenceMeta;
  /** Statistic name (as the reference prints it) to value: numbers, ISO times and duration strings. */
  stats: Record<string, number | string>;
  bars: ReferenceBar[];
  trades: ReferenceTrade[];
  equity: ReferenceEquityRow[];
}

/** "2017-04-19 09:00:00", "2017-04-19T09:00:00" or "2012-01-31", read as UTC. */
export function parseUtc(text: string): number {
  const iso = text.trim().replace(' ', 'T');
  const ms = Date.parse(iso.length === 10 ? `${iso}T00:00:00Z` : `${iso}Z`);
  if (Number.isNaN(ms)) throw new Error(`not a timestamp: ${text}`);
  return ms;
}

/** "294 days 06:00:00", "22 days" or "0 days 19:00:00" in milliseconds. */
export function parseDuration(text: string): number {
  const m = /^(-?\d+) days?(?: (\d\d):(\d\d):(\d\d)(?:\.(\d+))?)?$/.exec(text.trim());
  if (!m) throw new Error(`not a duration: ${text}`);
  const [, days, h = '0', min = '0', s = '0', frac = ''] = m;
  const fracMs = frac === '' ? 0 : Number(`0.${frac}`) * 1000;
  return ((Number(days) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000 + fracMs;
}

/** Splits one CSV line, honouring double quotes (headers quote names that contain commas). */
function splitCsv(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i]!;
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      out.push(field);
      field = '';
    } else field += ch;
  }
  out.push(field);
  return out;
}

function readCsv(path: string): Record<string, string>[] {
  const lines = readFileSync(path, 'utf8').split(/\r?\n/).filter((l) => l.length > 0);
  const header = splitCsv(lines[0]!);
  return lines.slice(1).map((line) => {
    const cells = splitCsv(line);
    return Object.fromEntries(header.map((h, i) => [h, cells[i] ?? '']));
  });
}

function num(text: string | undefined, what: string): number {
  if (text === undefined || text.trim() === '') throw new Error(`missing ${what}`);
  const v = Number(text);
  if (Number.isNaN(v)) throw new Error(`${what} is not a number: ${text}`);
  return v;
}

export function loadReferenceBars(data: string): ReferenceBar[] {
  return readCsv(join(REFERENCE_DIR, 'data', `${data}.csv`)).map((r) => ({
    time: parseUtc(r['']!),
    open: num(r.Open, 'Open'),
    high: num(r.High, 'High'),
    low: num(r.Low, 'Low'),
    close: num(r.Close, 'Close'),
    volume: num(r.Volume, 'Volume'),
  }));
}

export function loadReferenceRun(name: ReferenceRunName): ReferenceRun {
  const dir = join(REFERENCE_DIR, 'runs', name);
  const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as ReferenceMeta;
  const stats = JSON.parse(readFileSync(join(dir, 'stats.json'), 'utf8')) as Record<string, number | string>;
  const trades = readCsv(join(dir, 'trades.csv')).map((r) => ({
    size: num(r.Size, 'Size'),
    entryBar: num(r.EntryBar, 'EntryBar'),
    exitBar: num(r.ExitBar, 'ExitBar'),
    entryPrice: num(r.EntryPrice, 'EntryPrice'),
    exitPrice: num(r.ExitPrice, 'ExitPrice'),
    pnl: num(r.PnL, 'PnL'),
    commission: num(r.Commission, 'Commission'),
    returnFraction: num(r.ReturnPct, 'ReturnPct'),
    entryTime: parseUtc(r.EntryTime!),
    exitTime: parseUtc(r.ExitTime!),
    durationMs: parseDuration(r.Duration!),
  }));
  const equity = readCsv(join(dir, 'equity.csv')).map((r) => ({
    time: parseUtc(r.Time!),
    equity: num(r.Equity, 'Equity'),
    drawdown: num(r.DrawdownPct, 'DrawdownPct'),
    drawdownDurationMs: r.DrawdownDuration ? parseDuration(r.DrawdownDuration) : null,
  }));
  return { meta, stats, bars: loadReferenceBars(meta.data), trades, equity };
}

export type StatKind = 'number' | 'time' | 'duration';
/** The reference's statistic names, with the field each maps to. */
export const FIELDS: [string, keyof BacktestStatistics, StatKind][] = [
  ['Start', 'start', 'time'],
  ['End', 'end', 'time'],
  ['Duration', 'durationMs', 'duration'],
  ['Exposure Time [%]', 'exposureTimePct', 'number'],
  ['Equity Final [$]', 'equityFinal', 'number'],
  ['Equity Peak [$]', 'equityPeak', 'number'],
  ['Commissions [$]', 'commissions', 'number'],
  ['Return [%]', 'returnPct', 'number'],
  ['Buy & Hold Return [%]', 'buyHoldReturnPct', 'number'],
  ['Return (Ann.) [%]', 'returnAnnPct', 'number'],
  ['Volatility (Ann.) [%]', 'volatilityAnnPct', 'number'],
  ['CAGR [%]', 'cagrPct', 'number'],
  ['Sharpe Ratio', 'sharpeRatio', 'number'],
  ['Sortino Ratio', 'sortinoRatio', 'number'],
  ['Calmar Ratio', 'calmarRatio', 'number'],
  ['Alpha [%]', 'alphaPct', 'number'],
  ['Beta', 'beta', 'number'],
  ['Max. Drawdown [%]', 'maxDrawdownPct', 'number'],
  ['Avg. Drawdown [%]', 'avgDrawdownPct', 'number'],
  ['Max. Drawdown Duration', 'maxDrawdownDurationMs', 'duration'],
  ['Avg. Drawdown Duration', 'avgDrawdownDurationMs', 'duration'],
  ['# Trades', 'trades', 'number'],
  ['Win Rate [%]', 'winRatePct', 'number'],
  ['Best Trade [%]', 'bestTradePct', 'number'],
  ['Worst Trade [%]', 'worstTradePct', 'number'],
  ['Avg. Trade [%]', 'avgTradePct', 'number'],
  ['Max. Trade Duration', 'maxTradeDurationMs', 'duration'],
  ['Avg. Trade Duration', 'avgTradeDurationMs', 'duration'],
  ['Profit Factor', 'profitFactor', 'number'],
  ['Expectancy [%]', 'expectancyPct', 'number'],
  ['SQN', 'sqn', 'number'],
  ['Kelly Criterion', 'kellyCriterion', 'number'],
];
