import { describe, expect, it } from 'vitest';
import { InMemoryResearchStore } from '../inMemoryResearchStore';
import { DatasetLibrary, MAX_OPEN_UPLOADS, UPLOAD_IDLE_MS } from './datasetLibrary';

function csvOf(rows: number): string {
  const lines = ['time,open,high,low,close,volume'];
  for (let i = 0; i < rows; i++) lines.push(`${Date.UTC(2024, 0, 1) + i * 60_000},100,101,99,100.5,10`);
  return `${lines.join('\n')}\n`;
}

function library() {
  let now = 1_000;
  let id = 0;
  const store = new InMemoryResearchStore();
  const lib = new DatasetLibrary(store, () => now, () => `d-${++id}`);
  return { lib, store, advance: (ms: number) => (now += ms) };
}

/** The text cut into parts of at most `size` characters. */
function parts(text: string, size: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < text.length; i += size) out.push(text.slice(i, i + size));
  return out;
}

describe('DatasetLibrary', () => {
  it('imports a file and refuses a bad one naming its row and column, keeping nothing', () => {
    const { lib, store } = library();
    const dataset = lib.import({ name: 'minute', csv: csvOf(3), symbol: 'X' });
    expect(dataset).toMatchObject({ name: 'minute', symbol: 'X', bars: 3, periodMs: 60_000 });
    expect(() => lib.import({ name: 'bad', csv: 'time,open,high,low,close\n2024-01-01,1,1,1,x\n2024-01-02,1,1,1,1\n' })).toThrow(/Row 2, column 5 \(close\)/);
    expect(store.listDatasets()).toHaveLength(1);
  });

  it('imports a file sent in parts exactly as the same text sent whole', () => {
    const { lib, store } = library();
    const text = csvOf(2_000);
    parts(text, 7_000).forEach((part, index) => lib.uploadPart({ uploadId: 'upload-0001', index, part, ...(index === 0 ? { name: 'big', symbol: 'X' } : {}) }));
    const dataset = lib.finishUpload('upload-0001');
    expect(dataset).toMatchObject({ name: 'big', symbol: 'X', bars: 2_000 });
    expect(store.loadDatasetBars(dataset.id)).toEqual(store.loadDatasetBars(lib.import({ name: 'whole', csv: text }).id));
  });

  it('takes a part sent twice once, refuses a part out of order, and knows no upload it never opened', () => {
    const { lib } = library();
    const [a, b] = parts(csvOf(10), 200);
    lib.uploadPart({ uploadId: 'upload-0002', index: 0, part: a!, name: 'x' });
    expect(lib.uploadPart({ uploadId: 'upload-0002', index: 0, part: a! })).toMatchObject({ parts: 1, chars: a!.length });
    expect(() => lib.uploadPart({ uploadId: 'upload-0002', index: 2, part: b! })).toThrow(/expected part 1, got part 2/);
    expect(() => lib.uploadPart({ uploadId: 'upload-0009', index: 1, part: b! })).toThrow(/not open/);
    expect(() => lib.finishUpload('upload-0009')).toThrow(/not open/);
  });

  it('drops an upload left idle, and holds at most a few open at once', () => {
    const { lib, advance } = library();
    for (let i = 0; i < MAX_OPEN_UPLOADS; i++) lib.uploadPart({ uploadId: `upload-100${i}`, index: 0, part: 'time', name: 'x' });
    expect(() => lib.uploadPart({ uploadId: 'upload-2000', index: 0, part: 'time', name: 'x' })).toThrow(/already open/);
    advance(UPLOAD_IDLE_MS + 1);
    expect(() => lib.finishUpload('upload-1000')).toThrow(/not open/);
    expect(lib.uploadPart({ uploadId: 'upload-2000', index: 0, part: 'time', name: 'x' })).toMatchObject({ parts: 1 });
  });

  it('closes an upload when its file is refused, and refuses one without a name', () => {
    const { lib } = library();
    lib.uploadPart({ uploadId: 'upload-0003', index: 0, part: 'time,open\n1,2\n', name: 'bad' });
    expect(() => lib.finishUpload('upload-0003')).toThrow();
    expect(() => lib.finishUpload('upload-0003')).toThrow(/not open/);
    lib.uploadPart({ uploadId: 'upload-0004', index: 0, part: csvOf(3) });
    expect(() => lib.finishUpload('upload-0004')).toThrow(/no name/);
  });

  it('reads a dataset back within a range, folded to at most maxBars, and knows no dataset it does not hold', () => {
    const { lib } = library();
    const dataset = lib.import({ name: 'minute', csv: csvOf(100) });
    const start = Date.UTC(2024, 0, 1);
    expect(lib.bars({ id: dataset.id })).toMatchObject({ bucketMs: 60_000 });
    expect(lib.bars({ id: dataset.id }).bars).toHaveLength(100);
    const range = lib.bars({ id: dataset.id, from: start + 10 * 60_000, to: start + 40 * 60_000 });
    expect(range.bars.map((b) => b.time)).toEqual(Array.from({ length: 30 }, (_, i) => start + (10 + i) * 60_000));
    const folded = lib.bars({ id: dataset.id, maxBars: 10 });
    expect(folded.bucketMs).toBe(10 * 60_000);
    expect(folded.bars).toHaveLength(10);
    expect(folded.bars[1]).toEqual({ time: start + 10 * 60_000, open: 100, high: 101, low: 99, close: 100.5, volume: 100 });
    expect(lib.bars({ id: dataset.id, from: start + 1_000 * 60_000 })).toEqual({ bars: [], bucketMs: 60_000 });
    expect(() => lib.bars({ id: 'd-404' })).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
  });
});
