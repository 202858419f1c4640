/**
 * The backtest exchange's store: in memory, like the paper venue's default,
 * but nothing is ever restored from it (a backtest's exchange lives only as
 * long as its run), so the exchange saves only its fills and funding
 * payments, which the engine may ask for, and no order or account records
 * after every command. The engine's own journal is untouched by this.
 */
import { InMemoryPaperVenueStore, type PaperFillRecord } from '../venues/paper/store';

export class BacktestVenueStore extends InMemoryPaperVenueStore {
  readonly restorable = false;

  /**
   * Kept without the check against every trade id saved before: the
   * exchange saves each fill once (its unit of work clears what it wrote)
   * and nothing is ever replayed into a store nothing restores from, so the
   * set of a million-fill run's ids would only cost time and memory.
   */
  override saveFill(fill: PaperFillRecord): void {
    this.fills.push(fill);
    this.writes++;
  }
}
