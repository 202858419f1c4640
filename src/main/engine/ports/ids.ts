/**
 * Identifiers chosen by Keel. A client order id is chosen before an order is
 * sent and is its idempotency key at the venue, so it must never repeat, not
 * even across restarts: time, a per-process counter and random bits.
 */
import { randomBytes } from 'node:crypto';
import type { Clock } from './clock';

export interface IdGenerator {
  orderId(): string;
  clientOrderId(): string;
}

export class RandomIdGenerator implements IdGenerator {
  private counter = 0;
  /** Random per process: two processes started in the same millisecond still never collide. */
  private readonly processStem = randomBytes(4).toString('hex');

  constructor(private readonly clock: Clock) {}

  orderId(): string {
    return `o-${this.stem()}`;
  }

  clientOrderId(): string {
    return `k${this.stem()}`;
  }

  private stem(): string {
    this.counter = (this.counter + 1) % 1_679_616;
    return `${this.clock.now().toString(36)}${this.counter.toString(36).padStart(4, '0')}${this.processStem}`;
  }
}
