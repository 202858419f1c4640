/** The journal's size on disk: the database file and its write-ahead log (absent between checkpoints on some systems: 0). */
import { statSync } from 'node:fs';

export function journalFileSizes(file: string): { fileBytes: number; walBytes: number } {
  return { fileBytes: sizeOf(file), walBytes: sizeOf(`${file}-wal`) };
}

function sizeOf(path: string): number {
  try {
    return statSync(path).size;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return 0;
    throw error;
  }
}
