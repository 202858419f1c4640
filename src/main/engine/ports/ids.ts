/**
 * Identifiers chosen by Keel. A client order id is chosen before an order is
 * sent and is its idempotency key at the venue, so it must never repeat, not
 * even across restarts: live ids are time, a per-process counter and random
 * bits. Backtests use sequential ids instead, so a run can be repeated exactly.
 */
import { randomBytes } from 'node:crypto';
import { clientOrderId, orderId, type ClientOrderId, type OrderId } from '../../../shared/ids';
import type { Clock } from './clock';

/** Ids come out through the checked constructors, so a generator can never hand out one the contract would refuse. */
export interface IdGenerator {
  orderId(): OrderId;
  clientOrderId(): ClientOrderId;
}

export class RandomIdGenerator implements IdGenerator {
  private counter = 0;
  /** Random per process: two processes started in the same millisecond still never collide. */
  private readonly processStem = randomBytes(4).toString('hex');

  constructor(private readonly clock: Clock) {}

  orderId(): OrderId {
    return orderId(`o-${this.stem()}`);
  }

  clientOrderId(): ClientOrderId {
    return clientOrderId(`k${this.stem()}`);
  }

  private stem(): string {
    this.counter = (this.counter + 1) % 1_679_616;
    return `${this.clock.now().toString(36)}${this.counter.toString(36).padStart(4, '0')}${this.processStem}`;
  }
}

/**
 * Ids that are the same on every run: "o-000001", "c-000001", ... Two runs of
 * one backtest then journal identical books and can be compared line by line.
 * Only for a simulated venue: the counters restart with every instance, so at
 * a real venue these client order ids would repeat.
 */
export class SequentialIdGenerator implements IdGenerator {
  private orders = 0;
  private clientOrders = 0;

  orderId(): OrderId {
    return orderId(`o-${sequence(++this.orders)}`);
  }

  clientOrderId(): ClientOrderId {
    return clientOrderId(`c-${sequence(++this.clientOrders)}`);
  }
}

/** Zero-padded, so ids sort in issue order below a million; past that they only grow longer. */
function sequence(n: number): string {
  return String(n).padStart(6, '0');
}
