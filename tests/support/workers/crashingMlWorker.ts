/**
 * The ML worker's own handlers, except that a row scoring takes the thread
 * down (exit code 9) while the marker file named by
 * KEEL_TEST_CRASH_SCORING_FILE exists; the first crash removes the marker,
 * so the pool's replacement scores normally.
 */
import { existsSync, rmSync } from 'node:fs';
import { restoreWorkerTag } from './hideWorkerTag';
import { createMlHandlers, type MlWorkerMethods } from '../../../src/main/ml/worker/mlWorker';
import { serveWorker } from '../../../src/main/workers/server';

restoreWorkerTag();

const handlers = createMlHandlers();
const marker = process.env.KEEL_TEST_CRASH_SCORING_FILE;

serveWorker<MlWorkerMethods>({
  ...handlers,
  scoreRows: (job, context) => {
    if (marker !== undefined && existsSync(marker)) {
      rmSync(marker);
      process.exit(9);
    }
    return handlers.scoreRows(job, context);
  },
});
