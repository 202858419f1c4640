/**
 * Sends a CSV file to the engine: whole when it fits in one message, else in
 * parts (`datasets.uploadPart` in order, then `datasets.uploadFinish`), so a
 * year of minute bars goes through the WebSocket's frame limit as it goes
 * through IPC.
 */
import { MAX_DATASET_PART_CHARS, type Dataset } from '../../../shared/contract/backtests';
import type { KeelClient } from '../../api/client';

/** The text cut into parts of at most `size` characters, in order. */
export function splitForUpload(text: string, size = MAX_DATASET_PART_CHARS): string[] {
  if (!(size > 0)) throw new RangeError(`part size must be positive, got ${size}`);
  const parts: string[] = [];
  for (let i = 0; i < text.length; i += size) parts.push(text.slice(i, i + size));
  return parts;
}

/** An id for one upload: random, so two windows never share one. */
export function newUploadId(): string {
  const bytes = new Uint8Array(12);
  crypto.getRandomValues(bytes);
  return `upload-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export async function uploadDataset(
  client: Pick<KeelClient, 'invoke'>,
  file: { name: string; csv: string; symbol?: string },
  onProgress?: (sent: number, total: number) => void,
): Promise<Dataset> {
  const symbol = file.symbol ? { symbol: file.symbol } : {};
  if (file.csv.length <= MAX_DATASET_PART_CHARS) return client.invoke('datasets.import', { name: file.name, csv: file.csv, ...symbol });
  const parts = splitForUpload(file.csv);
  const uploadId = newUploadId();
  for (const [index, part] of parts.entries()) {
    await client.invoke('datasets.uploadPart', { uploadId, index, part, ...(index === 0 ? { name: file.name, ...symbol } : {}) });
    onProgress?.(index + 1, parts.length);
  }
  return client.invoke('datasets.uploadFinish', { uploadId });
}
