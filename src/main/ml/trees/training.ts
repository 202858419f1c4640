/**
 * Driving a trainer round by round, so training can run in a worker with a
 * progress bar and a cancel: `onProgress(done, total)` after each round or
 * tree, `isCancelled()` before each. The synchronous runner suits a worker
 * whose cancel flag is shared memory; the asynchronous one yields to the
 * event loop every few milliseconds so a cancel message (an AbortSignal set
 * by the worker protocol) can arrive while training runs.
 */
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface TrainingHooks {
  onProgress?: (done: number, total: number) => void;
  isCancelled?: () => boolean;
  /** The asynchronous runner gives the event loop a turn at least this often (default 20 ms). */
  yieldEveryMs?: number;
}

/** A training run cut into steps (a boosting round, a forest's tree). */
export interface SteppedTrainer<R> {
  /** Steps planned; an early stop lowers it to the steps run, so the last progress reads done = total. */
  readonly total: number;
  readonly completed: number;
  readonly done: boolean;
  step(): void;
  finish(): R;
}

export class TrainingCancelled extends Error {
  constructor(
    readonly completed: number,
    readonly total: number,
  ) {
    super(`training was cancelled after ${completed} of ${total} steps`);
    this.name = 'TrainingCancelled';
  }
}

export function runTrainer<R>(trainer: SteppedTrainer<R>, hooks: TrainingHooks = {}): R {
  while (!trainer.done) {
    if (hooks.isCancelled?.()) throw new TrainingCancelled(trainer.completed, trainer.total);
    trainer.step();
    hooks.onProgress?.(trainer.completed, trainer.total);
  }
  return trainer.finish();
}

/** Like runTrainer, giving the event loop a turn at least every `yieldEveryMs` milliseconds. */
export async function runTrainerAsync<R>(trainer: SteppedTrainer<R>, hooks: TrainingHooks = {}): Promise<R> {
  const sliceMs = hooks.yieldEveryMs ?? 20;
  let sliceStart = performance.now();
  while (!trainer.done) {
    if (performance.now() - sliceStart >= sliceMs) {
      await nextTurn();
      sliceStart = performance.now();
    }
    if (hooks.isCancelled?.()) throw new TrainingCancelled(trainer.completed, trainer.total);
    trainer.step();
    hooks.onProgress?.(trainer.completed, trainer.total);
  }
  return trainer.finish();
}
