/**
 * How responsive the main thread is: Node's event-loop delay histogram, read
 * as "the worst delay since the previous read". The composition root hands
 * `readMs` to the engine, which reports it in `system.health`; the engine
 * itself never touches perf_hooks, so a backtest passes a constant.
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';

export interface EventLoopDelayProbe {
  /**
   * The longest the loop was late over the window since the previous read,
   * in ms (0.1 ms steps), then starts a new window. The max, not a
   * percentile: one 300 ms stall in a 2 s window is what a trader felt, and a
   * p99 of ~200 samples would hide it. Delay means lateness beyond the
   * sampling interval, so an idle loop reads about 0.
   */
  readMs(): number;
  stop(): void;
}

/** Node samples every `resolutionMs`; a stall shorter than that can go unseen. */
export function startEventLoopDelayProbe(resolutionMs = 10): EventLoopDelayProbe {
  const histogram = monitorEventLoopDelay({ resolution: resolutionMs });
  histogram.enable();
  return {
    readMs() {
      // Samples are the time between two ticks of Node's sampling timer (ns), so the timer's own interval comes off.
      const worst = histogram.count > 0 ? Math.max(0, histogram.max / 1e6 - resolutionMs) : 0;
      // Node drops the sample in progress when reset: a stall starting within one sampling interval of a read goes unreported.
      histogram.reset();
      return Math.round(worst * 10) / 10;
    },
    stop() {
      histogram.disable();
    },
  };
}
