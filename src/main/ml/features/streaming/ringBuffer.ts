/**
 * A fixed-capacity first-in-first-out window of numbers: the memory of every
 * rolling feature. Pushing into a full window drops the oldest value, so the
 * window only ever holds the last `capacity` inputs and nothing after them.
 */
export class RingBuffer {
  private readonly values: Float64Array;
  private start = 0;
  private count = 0;

  constructor(readonly capacity: number) {
    if (!Number.isInteger(capacity) || capacity < 1) throw new RangeError(`window capacity must be a positive integer, got ${capacity}`);
    this.values = new Float64Array(capacity);
  }

  get size(): number {
    return this.count;
  }

  get full(): boolean {
    return this.count === this.capacity;
  }

  /** Adds a value; answers the value it pushed out (NaN while the window was not yet full). */
  push(value: number): number {
    if (this.count < this.capacity) {
      this.values[(this.start + this.count) % this.capacity] = value;
      this.count++;
      return Number.NaN;
    }
    const dropped = this.values[this.start] as number;
    this.values[this.start] = value;
    this.start = (this.start + 1) % this.capacity;
    return dropped;
  }

  /** The i-th value, 0 being the oldest held. */
  get(i: number): number {
    if (!Number.isInteger(i) || i < 0 || i >= this.count) throw new RangeError(`index ${i} is outside a window of ${this.count}`);
    return this.values[(this.start + i) % this.capacity] as number;
  }

  /** The value `ago` pushes back, 0 being the newest. */
  back(ago: number): number {
    return this.get(this.count - 1 - ago);
  }

  /** Arithmetic mean and population variance of the values held, summed oldest first (so the result depends only on the window's contents). */
  meanVariance(): { mean: number; variance: number } {
    if (this.count === 0) return { mean: Number.NaN, variance: Number.NaN };
    let sum = 0;
    for (let i = 0; i < this.count; i++) sum += this.get(i);
    const mean = sum / this.count;
    let squares = 0;
    for (let i = 0; i < this.count; i++) {
      const d = this.get(i) - mean;
      squares += d * d;
    }
    return { mean, variance: squares / this.count };
  }
}
