/**
 * Datasets a trader imports for backtests: a CSV file parsed strictly (a bad
 * file is refused with the row and column at fault and nothing is kept),
 * stored with its bars, listed and deleted.
 */
import type { Dataset } from '../../../shared/contract/backtests';
import { KeelError } from '../../../shared/errors';
import type { ResearchStore } from '../researchStore';
import { parseOhlcvCsv } from './ohlcvCsv';

export class DatasetLibrary {
  constructor(
    private readonly store: ResearchStore,
    private readonly now: () => number,
    private readonly newId: () => string,
  ) {}

  import(params: { name: string; csv: string; symbol?: string }): Dataset {
    const parsed = parseOhlcvCsv(params.csv);
    if (parsed.rows < 2) throw new KeelError('VALIDATION_FAILED', `A dataset needs at least 2 bars; ${params.name} has ${parsed.rows}`);
    const dataset: Dataset = {
      id: this.newId(),
      name: params.name,
      symbol: params.symbol ?? params.name,
      bars: parsed.rows,
      from: parsed.first.time,
      to: parsed.last.time,
      periodMs: Math.max(1, Math.round(parsed.timeframe?.ms ?? 1)),
      createdAt: this.now(),
    };
    this.store.saveDataset(dataset, parsed.bars);
    return dataset;
  }

  list(): Dataset[] {
    return this.store.listDatasets();
  }

  delete(id: string): void {
    if (!this.store.deleteDataset(id)) throw new KeelError('NOT_FOUND', `There is no dataset ${id}`);
  }
}
