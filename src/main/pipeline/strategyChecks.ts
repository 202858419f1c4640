/**
 * Two checks a card's strategy version must pass before it trades, judged
 * on backtests of the same set (run in the backtest workers like any):
 *
 * - lookahead, by truncation: the same strategy on the bars cut at bar k
 *   must trade exactly as on the full history up to the cut. A strategy that
 *   read a bar it could not yet have seen decides differently once that bar
 *   is missing. Compared: every round trip that closed before the cut's last
 *   bar (the truncated run may close its position on that bar), and the
 *   equity of every bar before it.
 * - warm-up: no trade may fill before the strategy's declared warm-up is
 *   over, neither on the full history nor on one that starts later (where
 *   indicators that silently need more history than declared would act on
 *   a half-filled window).
 *
 * The comparison functions are pure; `runChecks` plays the backtests.
 */
import type { BacktestResult, BacktestTrade, EquityPoint } from '../../shared/contract/backtests';
import type { CheckResult } from '../../shared/contract/pipeline';

/** Trades and equity compare as equal when their numbers agree to this relative tolerance (the same code, the same bars). */
const TOLERANCE = 1e-9;

export function lookaheadVerdict(full: Pick<BacktestResult, 'trades' | 'equity'>, truncated: Pick<BacktestResult, 'trades' | 'equity'>, cutTime: number): CheckResult {
  const lastKept = truncated.equity.at(-1)?.time;
  if (lastKept === undefined || truncated.equity.length < 3) return { status: 'not_run', detail: 'too few bars before the cut to compare' };
  const settled = (t: BacktestTrade) => t.exitTime < lastKept;
  const before = full.trades.filter(settled);
  const cut = truncated.trades.filter(settled);
  if (before.length !== cut.length) {
    return { status: 'failed', detail: `${before.length} trades closed before ${iso(lastKept)} on the full history, ${cut.length} with the bars after ${iso(cutTime)} removed` };
  }
  for (let i = 0; i < before.length; i++) {
    if (!sameTrade(before[i]!, cut[i]!)) {
      return { status: 'failed', detail: `trade ${i + 1} (entered ${iso(before[i]!.entryTime)}) differs once the bars after ${iso(cutTime)} are removed: it read the future` };
    }
  }
  const equity = new Map(full.equity.map((p) => [p.time, p.equity]));
  const diverged = truncated.equity.slice(0, -1).find((p: EquityPoint) => !close(equity.get(p.time), p.equity));
  if (diverged) return { status: 'failed', detail: `equity at ${iso(diverged.time)} differs once the bars after ${iso(cutTime)} are removed: it read the future` };
  return { status: 'passed', detail: `the same ${before.length} trades and equity up to ${iso(lastKept)} with the bars after it removed` };
}

export function warmupVerdict(runs: ReadonlyArray<{ label: string; trades: readonly BacktestTrade[] }>, warmupBars: number): CheckResult {
  for (const run of runs) {
    const early = run.trades.find((t) => t.entryBar < warmupBars);
    if (early) return { status: 'failed', detail: `${run.label}: a trade filled on bar ${early.entryBar}, inside the declared warm-up of ${warmupBars} bars` };
  }
  const trades = runs.reduce((s, r) => s + r.trades.length, 0);
  if (trades === 0) return { status: 'not_run', detail: 'no trade in either run to judge' };
  return { status: 'passed', detail: `no trade inside the ${warmupBars}-bar warm-up (${runs.map((r) => r.label).join(', ')})` };
}

function sameTrade(a: BacktestTrade, b: BacktestTrade): boolean {
  return a.entryTime === b.entryTime && a.exitTime === b.exitTime && close(a.size, b.size) && close(a.entryPrice, b.entryPrice) && close(a.exitPrice, b.exitPrice) && close(a.pnl, b.pnl);
}

function close(a: number | undefined, b: number): boolean {
  if (a === undefined) return false;
  return Math.abs(a - b) <= TOLERANCE * Math.max(1, Math.abs(a), Math.abs(b));
}

function iso(time: number): string {
  return new Date(time).toISOString().slice(0, 16).replace('T', ' ');
}
