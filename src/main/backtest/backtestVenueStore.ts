/**
 * The backtest exchange's store: in memory, like the paper venue's default,
 * but nothing is ever restored from it (a backtest's exchange lives only as
 * long as its run), so the exchange saves only its fills and funding
 * payments, which the engine may ask for, and no order or account records
 * after every command. The engine's own journal is untouched by this.
 */
import { InMemoryPaperVenueStore } from '../venues/paper/store';

export class BacktestVenueStore extends InMemoryPaperVenueStore {
  readonly restorable = false;
}
