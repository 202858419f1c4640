/**
 * At most one call per key per interval, on engine time: the first request
 * after a quiet interval goes out at once, later ones within the interval
 * are folded into one call at its end. What is sent is read when it is sent,
 * so the folded call carries the latest state.
 */
import type { Clock, TimerHandle } from '../../engine/ports/clock';

export class KeyedThrottle {
  private readonly last = new Map<string, number>();
  private readonly timers = new Map<string, TimerHandle>();

  constructor(
    private readonly clock: Pick<Clock, 'now' | 'after'>,
    private readonly intervalMs: number,
    private readonly send: (key: string) => void,
  ) {
    if (!(intervalMs > 0)) throw new RangeError(`a throttle needs a positive interval, got ${intervalMs}`);
  }

  request(key: string): void {
    if (this.timers.has(key)) return;
    const last = this.last.get(key);
    const now = this.clock.now();
    if (last === undefined || now - last >= this.intervalMs) {
      this.fire(key);
      return;
    }
    this.timers.set(
      key,
      this.clock.after(last + this.intervalMs - now, () => {
        this.timers.delete(key);
        this.fire(key);
      }),
    );
  }

  stop(): void {
    for (const timer of this.timers.values()) timer.cancel();
    this.timers.clear();
  }

  private fire(key: string): void {
    this.last.set(key, this.clock.now());
    this.send(key);
  }
}
