/**
 * A page cursor, the same for every journal: the sort key of the last row
 * handed out, as base-36 numbers joined by "_". Opaque to clients; a cursor
 * that does not decode is a validation error, never a silent first page.
 */
import { KeelError } from '../../shared/errors';

export function encodeCursor(key: number[]): string {
  return key.map((n) => n.toString(36)).join('_');
}

export function decodeCursor(cursor: string, parts: number): number[] {
  const key = cursor.split('_').map((part) => (/^[0-9a-z]{1,12}$/.test(part) ? parseInt(part, 36) : NaN));
  if (key.length !== parts || key.some((n) => !Number.isSafeInteger(n))) {
    throw new KeelError('VALIDATION_FAILED', 'Invalid request: cursor is not one this list handed out.');
  }
  return key;
}
