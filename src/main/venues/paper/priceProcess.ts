/**
 * The mid-price model of one simulated instrument. Log-price diffusion with:
 * - GARCH(1,1) variance updated once per simulated second, so quiet and
 *   violent stretches cluster the way real returns do;
 * - rare jumps, which also feed the variance (a shock is followed by
 *   turbulence);
 * - regime switching between ranging (mean reversion to a local level) and
 *   trending up or down, plus calm / normal / stormy volatility regimes;
 * - a weak pull to a long-run anchor so prices stay in a believable range.
 * Time is split into chunks that never straddle a variance second, so
 * stepping 200 ms at a time or 1 s at a time draws from the same model.
 */
import type { Prng } from '../../core/prng';

export interface ProcessParams {
  /** Base volatility of log-price per √second. */
  sigmaPerSqrtSecond: number;
  /** ln(anchor price). */
  anchorLog: number;
}

export interface ProcessState {
  logPrice: number;
  /** GARCH variance relative to the base (long-run mean 1). */
  garch: number;
  /** Milliseconds already simulated in the current variance second. */
  pendingMs: number;
  /** Σ z² × dt of the current variance second (expected 1 per second). */
  pendingShock: number;
  /** -1 trending down, 0 ranging, 1 trending up. */
  trend: -1 | 0 | 1;
  /** 0 calm, 1 normal, 2 stormy. */
  volRegime: 0 | 1 | 2;
  /** The level a ranging market oscillates around (log). */
  rangeAnchor: number;
}

const GARCH_ALPHA = 0.05;
const GARCH_BETA = 0.945;
const GARCH_MAX = 60;
const JUMP_SHOCK_CAP = 100;
const VOL_MULTIPLIER = [0.65, 1, 1.8] as const;
const VOL_MEAN_SECONDS = [4 * 3600, 5 * 3600, 3600] as const;
const RANGE_MEAN_SECONDS = 3 * 3600;
const TREND_MEAN_SECONDS = 1.5 * 3600;
/** Trend drift per second in units of base sigma: about 0.7 σ of hourly diffusion per hour, visible on a chart but not a one-way street. */
const TREND_DRIFT_SIGMAS = 0.012;
const RANGE_HALF_LIFE_SECONDS = 20 * 60;
const ANCHOR_HALF_LIFE_SECONDS = 12 * 86_400;
const JUMPS_PER_SECOND = 1 / (3 * 3600);
const JUMP_SIGMAS = 25;

export function processParams(anchorPrice: number, annualVolatility: number): ProcessParams {
  return {
    sigmaPerSqrtSecond: annualVolatility / Math.sqrt(365 * 86_400),
    anchorLog: Math.log(anchorPrice),
  };
}

export function initialProcessState(price: number): ProcessState {
  const logPrice = Math.log(price);
  return { logPrice, garch: 1, pendingMs: 0, pendingShock: 0, trend: 0, volRegime: 1, rangeAnchor: logPrice };
}

export class PriceProcess {
  private readonly rangeKappa = Math.LN2 / RANGE_HALF_LIFE_SECONDS;
  private readonly anchorKappa = Math.LN2 / ANCHOR_HALF_LIFE_SECONDS;
  private s: ProcessState;

  constructor(
    private readonly params: ProcessParams,
    state: ProcessState,
    private readonly rng: Prng,
  ) {
    this.s = { ...state };
  }

  get price(): number {
    return Math.exp(this.s.logPrice);
  }

  /** Current volatility relative to the base (regime × √GARCH): drives trade activity. */
  get activity(): number {
    return VOL_MULTIPLIER[this.s.volRegime] * Math.sqrt(this.s.garch);
  }

  /** Current volatility per √second. */
  get sigma(): number {
    return this.params.sigmaPerSqrtSecond * this.activity;
  }

  state(): ProcessState {
    return { ...this.s };
  }

  /** Moves the price to `price` (a scenario override or a restored mark); a ranging market re-centres there. */
  setPrice(price: number): void {
    this.s.logPrice = Math.log(price);
    this.s.rangeAnchor = this.s.logPrice;
  }

  /** Shifts the whole path by a constant factor (history rescaled to end at a persisted price). */
  rescale(factor: number): void {
    const shift = Math.log(factor);
    this.s.logPrice += shift;
    this.s.rangeAnchor += shift;
  }

  /** Advances `dtMs` of simulated time and returns the new price. */
  advance(dtMs: number): number {
    this.step(dtMs);
    return Math.exp(this.s.logPrice);
  }

  /**
   * Advances one minute a second at a time, exactly as sixty `advance(1000)`
   * calls would, and writes the minute into `out`: [0] the highest and [1]
   * the lowest log-price at the end of a second, [2] the mean activity.
   * Generating days of history runs this for every minute, so it works in
   * log-prices and allocates nothing.
   */
  advanceMinute(out: Float64Array): void {
    let high = Number.NEGATIVE_INFINITY;
    let low = Number.POSITIVE_INFINITY;
    let activity = 0;
    for (let second = 0; second < 60; second++) {
      this.step(1000);
      const x = this.s.logPrice;
      if (x > high) high = x;
      if (x < low) low = x;
      activity += VOL_MULTIPLIER[this.s.volRegime] * Math.sqrt(this.s.garch);
    }
    out[0] = high;
    out[1] = low;
    out[2] = activity / 60;
  }

  private step(dtMs: number): void {
    let remaining = dtMs;
    while (remaining > 0) {
      const chunk = Math.min(remaining, 1000 - this.s.pendingMs);
      this.advanceChunk(chunk / 1000);
      this.s.pendingMs += chunk;
      remaining -= chunk;
      if (this.s.pendingMs >= 1000) this.closeVarianceSecond();
    }
  }

  private advanceChunk(dt: number): void {
    const s = this.s;
    const rng = this.rng;
    this.maybeSwitchRegimes(dt);
    const base = this.params.sigmaPerSqrtSecond * VOL_MULTIPLIER[s.volRegime];
    const x = s.logPrice;
    let drift = -this.anchorKappa * (x - this.params.anchorLog);
    if (s.trend === 0) drift -= this.rangeKappa * (x - s.rangeAnchor);
    else drift += s.trend * TREND_DRIFT_SIGMAS * this.params.sigmaPerSqrtSecond;
    const z = rng.normal();
    let step = drift * dt + base * Math.sqrt(s.garch * dt) * z;
    let shock = z * z * dt;
    if (rng.next() < JUMPS_PER_SECOND * dt) {
      const jump = JUMP_SIGMAS * this.params.sigmaPerSqrtSecond * rng.normal();
      step += jump;
      // A jump is news: it lifts the variance of the seconds after it.
      shock += Math.min(JUMP_SHOCK_CAP, (jump / base) ** 2) / s.garch;
    }
    s.logPrice = x + step;
    s.pendingShock += shock;
  }

  private closeVarianceSecond(): void {
    const s = this.s;
    // Normalised GARCH(1,1): g' = (1 − α − β) + α·g·z² + β·g, with z² the second's standardised shock.
    const next = 1 - GARCH_ALPHA - GARCH_BETA + GARCH_ALPHA * s.garch * s.pendingShock + GARCH_BETA * s.garch;
    s.garch = Math.min(GARCH_MAX, next);
    s.pendingShock = 0;
    s.pendingMs -= 1000;
  }

  private maybeSwitchRegimes(dt: number): void {
    const s = this.s;
    const rng = this.rng;
    const trendMean = s.trend === 0 ? RANGE_MEAN_SECONDS : TREND_MEAN_SECONDS;
    if (rng.next() < dt / trendMean) {
      if (s.trend === 0) {
        s.trend = rng.next() < 0.5 ? 1 : -1;
      } else if (rng.next() < 0.75) {
        s.trend = 0;
        s.rangeAnchor = s.logPrice;
      } else {
        s.trend = s.trend === 1 ? -1 : 1;
      }
    }
    if (rng.next() < dt / VOL_MEAN_SECONDS[s.volRegime]) {
      if (s.volRegime === 1) s.volRegime = rng.next() < 0.6 ? 0 : 2;
      else s.volRegime = 1;
    }
  }
}
