/**
 * Runs a flush at most once per animation frame, however often it is
 * requested. A hidden window gets no animation frames, so a timer stands in
 * after `fallbackMs`: state must keep moving (notifications, a later
 * screenshot) even when nobody is looking.
 */
export interface FrameBatcher {
  request(): void;
  /** Flushes now if a flush is pending (used before reading state synchronously). */
  flushNow(): void;
  dispose(): void;
}

export interface FrameClock {
  requestFrame(cb: () => void): number;
  cancelFrame(handle: number): void;
  setTimer(cb: () => void, ms: number): ReturnType<typeof setTimeout>;
  clearTimer(handle: ReturnType<typeof setTimeout>): void;
}

export const browserFrameClock: FrameClock = {
  requestFrame: (cb) => requestAnimationFrame(() => cb()),
  cancelFrame: (h) => cancelAnimationFrame(h),
  setTimer: (cb, ms) => setTimeout(cb, ms),
  clearTimer: (h) => clearTimeout(h),
};

export function createFrameBatcher(flush: () => void, clock: FrameClock = browserFrameClock, fallbackMs = 250): FrameBatcher {
  let frame: number | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;
  let disposed = false;

  function run(): void {
    if (frame !== null) clock.cancelFrame(frame);
    if (timer !== null) clock.clearTimer(timer);
    frame = null;
    timer = null;
    flush();
  }

  return {
    request() {
      if (disposed || frame !== null) return;
      frame = clock.requestFrame(run);
      timer = clock.setTimer(run, fallbackMs);
    },
    flushNow() {
      if (frame !== null) run();
    },
    dispose() {
      disposed = true;
      if (frame !== null) clock.cancelFrame(frame);
      if (timer !== null) clock.clearTimer(timer);
      frame = null;
      timer = null;
    },
  };
}
