/**
 * Fault injection for the paper venue, so order-manager and reconciliation
 * paths for a flaky exchange can be exercised without one: requests that
 * fail as if the connection dropped (nothing applied, the promise rejects),
 * added latency, and a dropped connection (the venue reports itself
 * disconnected and refuses every command until it is back). Off by default;
 * draws from its own seeded stream so turning it on does not change the
 * simulated market.
 */
import type { Prng } from '../../core/prng';

export interface FaultConfig {
  /** Probability that a submit fails before reaching the venue. */
  orderFailureRate: number;
  /** Probability that a cancel (or cancel-all) fails before reaching the venue. */
  cancelFailureRate: number;
  /** Delay before a submit or cancel is processed, in clock milliseconds. */
  latencyMs: number;
  /** The connection is down: the venue says so and refuses commands with a network error. */
  disconnected: boolean;
}

export const NO_FAULTS: FaultConfig = { orderFailureRate: 0, cancelFailureRate: 0, latencyMs: 0, disconnected: false };

export const INJECTED_FAILURE = 'paper venue: injected failure';

export const CONNECTION_DROPPED = 'paper venue: connection dropped (fault injection)';

/** A request that never reached the venue because the connection is down (ccxt's NetworkError, in spirit): nothing was applied. */
export class VenueConnectionError extends Error {
  constructor(message = CONNECTION_DROPPED) {
    super(message);
    this.name = 'NetworkError';
  }
}

export class FaultInjector {
  private config: FaultConfig;

  constructor(
    private readonly rng: Prng,
    config: Partial<FaultConfig> = {},
  ) {
    this.config = FaultInjector.checked({ ...NO_FAULTS, ...config });
  }

  get current(): FaultConfig {
    return { ...this.config };
  }

  /** Changes the settings given; a setting left out (or undefined) keeps its value. */
  set(config: Partial<FaultConfig>): void {
    const given = Object.fromEntries(Object.entries(config).filter(([, value]) => value !== undefined));
    this.config = FaultInjector.checked({ ...this.config, ...given });
  }

  get latencyMs(): number {
    return this.config.latencyMs;
  }

  get disconnected(): boolean {
    return this.config.disconnected;
  }

  failOrder(): boolean {
    return this.roll(this.config.orderFailureRate);
  }

  failCancel(): boolean {
    return this.roll(this.config.cancelFailureRate);
  }

  private roll(rate: number): boolean {
    // No draw at rate 0, so the default configuration consumes no randomness.
    return rate > 0 && this.rng.next() < rate;
  }

  private static checked(config: FaultConfig): FaultConfig {
    for (const rate of [config.orderFailureRate, config.cancelFailureRate]) {
      if (!(rate >= 0 && rate <= 1)) throw new RangeError(`A failure rate must be within [0, 1], got ${rate}`);
    }
    if (!(config.latencyMs >= 0) || !Number.isFinite(config.latencyMs)) {
      throw new RangeError(`Latency must be a non-negative number of milliseconds, got ${config.latencyMs}`);
    }
    if (typeof config.disconnected !== 'boolean') throw new RangeError(`disconnected must be true or false, got ${String(config.disconnected)}`);
    return config;
  }
}
