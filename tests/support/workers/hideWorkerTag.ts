/**
 * Imported first by a fixture worker that serves an entry's handlers its
 * own way: while the tag that marks a Keel worker is hidden, importing the
 * entry does not start serving it (`serveWorker` sees no Keel worker);
 * `restoreWorkerTag` puts it back before the fixture serves.
 */
import { workerData } from 'node:worker_threads';
import { WORKER_TAG } from '../../../src/main/workers/protocol';

const data = workerData as Record<string, unknown>;
const tag = data[WORKER_TAG];
delete data[WORKER_TAG];

export function restoreWorkerTag(): void {
  data[WORKER_TAG] = tag;
}
