/**
 * Realised volatility of closes: the root mean square of the last `window`
 * one-bar log returns (not de-meaned, the usual realised-variance definition;
 * over a few dozen bars the mean return is noise). Per-bar units: multiply by
 * the square root of bars per year to annualise.
 */
import { RingBuffer } from './ringBuffer';

export class RealisedVolatility {
  private readonly returns: RingBuffer;
  private previousClose = Number.NaN;

  constructor(readonly window: number) {
    this.returns = new RingBuffer(window);
  }

  /** Bars needed before the first value: `window` returns need one more close. */
  get warmup(): number {
    return this.window + 1;
  }

  /** Feeds a close; answers the volatility, or NaN until `warmup` closes have been seen. */
  update(close: number): number {
    if (!Number.isNaN(this.previousClose)) this.returns.push(Math.log(close / this.previousClose));
    this.previousClose = close;
    if (!this.returns.full) return Number.NaN;
    let squares = 0;
    for (let i = 0; i < this.returns.size; i++) {
      const r = this.returns.get(i);
      squares += r * r;
    }
    return Math.sqrt(squares / this.returns.size);
  }
}
