/**
 * Datasets a trader imports for backtests: a CSV file parsed strictly (a bad
 * file is refused with the row and column at fault and nothing is kept),
 * stored with its bars, listed, read back for drawing and deleted.
 */
import { DEFAULT_DATASET_BARS, MAX_DATASET_CSV_CHARS, type Dataset, type DatasetBarsResult } from '../../../shared/contract/backtests';
import { KeelError } from '../../../shared/errors';
import type { ResearchStore } from '../researchStore';
import { barsBetween, downsampleBars } from './downsampleBars';
import { parseOhlcvCsv } from './ohlcvCsv';

/** An upload left alone this long is dropped (its parts are memory held for nobody). */
export const UPLOAD_IDLE_MS = 10 * 60_000;
/** Uploads open at once. */
export const MAX_OPEN_UPLOADS = 4;

interface Upload {
  name: string | undefined;
  symbol: string | undefined;
  parts: string[];
  chars: number;
  touchedAt: number;
}

export class DatasetLibrary {
  private readonly uploads = new Map<string, Upload>();

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

  /**
   * Takes part `index` of a file too large for one message. Parts come in
   * order from 0; the same part sent again (a retry after a lost answer) is
   * taken once. Nothing is parsed until `finishUpload`.
   */
  uploadPart(params: { uploadId: string; index: number; part: string; name?: string; symbol?: string }): { uploadId: string; parts: number; chars: number } {
    this.dropIdle();
    let upload = this.uploads.get(params.uploadId);
    if (!upload) {
      if (params.index !== 0) throw new KeelError('NOT_FOUND', `Upload ${params.uploadId} is not open (it may have waited too long); start again from part 0`);
      if (this.uploads.size >= MAX_OPEN_UPLOADS) throw new KeelError('INVALID_STATE', `${MAX_OPEN_UPLOADS} uploads are already open; finish one first`);
      upload = { name: undefined, symbol: undefined, parts: [], chars: 0, touchedAt: this.now() };
      this.uploads.set(params.uploadId, upload);
    }
    const expected = upload.parts.length;
    if (params.index === expected - 1 && upload.parts[expected - 1] === params.part) {
      upload.touchedAt = this.now();
      return { uploadId: params.uploadId, parts: upload.parts.length, chars: upload.chars };
    }
    if (params.index !== expected) throw new KeelError('VALIDATION_FAILED', `Upload ${params.uploadId}: expected part ${expected}, got part ${params.index}`);
    if (upload.chars + params.part.length > MAX_DATASET_CSV_CHARS) {
      this.uploads.delete(params.uploadId);
      throw new KeelError('VALIDATION_FAILED', `The file is larger than ${MAX_DATASET_CSV_CHARS} characters; the upload is dropped`);
    }
    upload.parts.push(params.part);
    upload.chars += params.part.length;
    upload.name = params.name ?? upload.name;
    upload.symbol = params.symbol ?? upload.symbol;
    upload.touchedAt = this.now();
    return { uploadId: params.uploadId, parts: upload.parts.length, chars: upload.chars };
  }

  /** Imports what the upload received; it is closed whether the file is accepted or refused. */
  finishUpload(uploadId: string): Dataset {
    this.dropIdle();
    const upload = this.uploads.get(uploadId);
    if (!upload) throw new KeelError('NOT_FOUND', `Upload ${uploadId} is not open (it may have waited too long)`);
    this.uploads.delete(uploadId);
    if (!upload.name) throw new KeelError('VALIDATION_FAILED', `Upload ${uploadId} has no name: send it with part 0`);
    return this.import({ name: upload.name, csv: upload.parts.join(''), ...(upload.symbol ? { symbol: upload.symbol } : {}) });
  }

  private dropIdle(): void {
    const now = this.now();
    for (const [id, upload] of this.uploads) if (now - upload.touchedAt > UPLOAD_IDLE_MS) this.uploads.delete(id);
  }

  list(): Dataset[] {
    return this.store.listDatasets();
  }

  /** The dataset's bars within [from, to), folded into buckets when there are more than `maxBars`. */
  bars(params: { id: string; from?: number; to?: number; maxBars?: number }): DatasetBarsResult {
    const dataset = this.store.getDataset(params.id);
    if (!dataset) throw new KeelError('NOT_FOUND', `There is no dataset ${params.id}`);
    const inRange = barsBetween(this.store.loadDatasetBars(dataset.id), params.from, params.to);
    return downsampleBars(inRange, params.maxBars ?? DEFAULT_DATASET_BARS, dataset.periodMs);
  }

  delete(id: string): void {
    if (!this.store.deleteDataset(id)) throw new KeelError('NOT_FOUND', `There is no dataset ${id}`);
  }
}
