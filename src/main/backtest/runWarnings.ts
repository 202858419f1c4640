/**
 * What a strategy said it could not do during a backtest: orders it did not
 * send (a size under one unit), orders the risk stage or its own limits
 * refused. Live, these go to the activity feed; a run has none a trader
 * reads, and a run of zero trades with no reason given looks broken. Each
 * distinct message is kept once with how often it came, the first ones
 * only: a refusal repeated on every bar is one line.
 */
import type { BacktestWarning } from '../../shared/contract/backtests';

/** Distinct messages kept; the rest are only counted. */
export const MAX_DISTINCT_WARNINGS = 20;

export class RunWarnings {
  private readonly counts = new Map<string, number>();
  private others = 0;

  add(message: string): void {
    const count = this.counts.get(message);
    if (count !== undefined) this.counts.set(message, count + 1);
    else if (this.counts.size < MAX_DISTINCT_WARNINGS) this.counts.set(message, 1);
    else this.others += 1;
  }

  /** In the order first seen; the messages past the limit as one line of their own. */
  list(): BacktestWarning[] {
    const list = [...this.counts].map(([message, count]) => ({ message, count }));
    if (this.others > 0) list.push({ message: `Other warnings, beyond the first ${MAX_DISTINCT_WARNINGS} kinds`, count: this.others });
    return list;
  }
}
