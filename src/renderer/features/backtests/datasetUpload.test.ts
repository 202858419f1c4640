import { describe, expect, it, vi } from 'vitest';
import { MAX_DATASET_PART_CHARS } from '../../../shared/contract/backtests';
import { newUploadId, splitForUpload, uploadDataset } from './datasetUpload';

describe('dataset upload', () => {
  it('cuts a text into parts that join back to it, none longer than the limit', () => {
    const text = 'x'.repeat(2 * MAX_DATASET_PART_CHARS + 17);
    const parts = splitForUpload(text);
    expect(parts.map((p) => p.length)).toEqual([MAX_DATASET_PART_CHARS, MAX_DATASET_PART_CHARS, 17]);
    expect(parts.join('')).toBe(text);
    expect(() => splitForUpload('abc', 0)).toThrow(RangeError);
  });

  it('sends a small file whole and a large one in ordered parts, naming it with the first', async () => {
    const dataset = { id: 'd-1' };
    const invoke = vi.fn(async (method: string) => (method === 'datasets.uploadPart' ? { parts: 1 } : dataset));
    await uploadDataset({ invoke } as never, { name: 'small', csv: 'time,open\n' });
    expect(invoke.mock.calls.map((c) => c[0])).toEqual(['datasets.import']);

    invoke.mockClear();
    const progress: number[] = [];
    const csv = 'y'.repeat(MAX_DATASET_PART_CHARS * 2 + 1);
    expect(await uploadDataset({ invoke } as never, { name: 'big', csv, symbol: 'X' }, (sent) => progress.push(sent))).toBe(dataset);
    const calls = invoke.mock.calls as unknown as Array<[string, Record<string, unknown>]>;
    expect(calls.map((c) => c[0])).toEqual(['datasets.uploadPart', 'datasets.uploadPart', 'datasets.uploadPart', 'datasets.uploadFinish']);
    expect(calls.slice(0, 3).map((c) => c[1].index)).toEqual([0, 1, 2]);
    expect(calls[0]![1]).toMatchObject({ name: 'big', symbol: 'X' });
    expect(calls[1]![1].name).toBeUndefined();
    expect(new Set(calls.map((c) => c[1].uploadId)).size).toBe(1);
    expect(calls.slice(0, 3).map((c) => c[1].part as string).join('')).toBe(csv);
    expect(progress).toEqual([1, 2, 3]);
  });

  it('makes a fresh id each time, in the shape the contract takes', () => {
    const a = newUploadId();
    expect(a).toMatch(/^[A-Za-z0-9_-]{8,64}$/);
    expect(newUploadId()).not.toBe(a);
  });
});
