/** Promise helpers: stop waiting on an abort or a deadline, and bound how many calls are in flight (searches, the backtest service). */

/** Settles as `promise` does, or rejects as soon as `signal` aborts. */
export function untilAborted<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(
      (value) => {
        signal.removeEventListener('abort', onAbort);
        resolve(value);
      },
      (error: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/**
 * Settles as `work` does, or rejects with `message` once `ms` have passed on
 * `after`'s timer (the caller's clock, so a simulated clock drives it in tests).
 */
export function withDeadline<T>(work: Promise<T>, ms: number, message: string, after: (ms: number, run: () => void) => { cancel(): void }): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = after(ms, () => reject(new Error(message)));
    work.then(
      (value) => {
        timer.cancel();
        resolve(value);
      },
      (error: unknown) => {
        timer.cancel();
        reject(error instanceof Error ? error : new Error(String(error)));
      },
    );
  });
}

/** Runs `fn` over `items` with at most `limit` in flight; results in item order. */
export async function mapLimited<T, R>(items: readonly T[], limit: number, fn: (item: T) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      results[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return results;
}
