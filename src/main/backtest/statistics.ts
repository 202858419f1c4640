/**
 * Performance statistics of a finished backtest: a pure function of the bars,
 * the per-bar equity, the closed trades and the first tradable bar. The
 * definitions follow the reference backtest definitions and are checked
 * against the reference runs in tests/fixtures/backtesting to 1e-9 relative,
 * so every quirk below is deliberate.
 *
 * Units: timestamps and durations are epoch / elapsed milliseconds, calendar
 * arithmetic is done in UTC, `...Pct` fields are percentages (12.5 = 12.5 %),
 * ratios are plain numbers. Statistics are floats: they describe a run, they
 * do not book money.
 *
 * Undefined values are `null`, never NaN or ±Infinity, so a result survives
 * JSON and a caller cannot mistake "no value" for a number. A statistic is
 * null when its formula has no data (no closed trades, fewer than two return
 * periods, no drawdown period) or divides by zero (no losing trade for the
 * profit factor, zero volatility, zero downside deviation, zero drawdown).
 * Where the reference would print ±inf (a Sortino ratio with no negative
 * period) this module also answers null.
 */
import type { Bar } from '../../shared/domain';

export type StatisticsBar = Pick<Bar, 'time' | 'open' | 'high' | 'low' | 'close'>;

/** A closed trade as the statistics need it. */
export interface ClosedTrade {
  /** Signed units: positive long, negative short. */
  size: number;
  /** 0-based bar index of the entry fill. */
  entryBar: number;
  /** 0-based bar index of the exit fill. */
  exitBar: number;
  entryPrice: number;
  exitPrice: number;
  /** Profit net of both commissions, in account currency. */
  pnl: number;
  /** Entry plus exit commission, in account currency. */
  commission: number;
  /** Trade return as a fraction (0.02 = 2 %), net of commissions. */
  returnFraction: number;
}

export interface StatisticsInput {
  bars: readonly StatisticsBar[];
  /** Account equity at each bar's close, one value per bar. */
  equity: readonly number[];
  /** Closed trades only: a trade still open at the end is in `equity`, not here. */
  trades: readonly ClosedTrade[];
  /**
   * The strategy's warm-up length in bars, i.e. the index of the first bar at
   * which its slowest indicator has a value (19 for a 20-bar SMA; the
   * strategy's first decision comes one bar later). Buy & hold is measured
   * from this bar's close.
   */
  firstTradableBar: number;
  /** `drawdownSeries` of these bars' times and this equity, when the caller has it already (it is not computed again). */
  drawdown?: DrawdownSeries;
}

export interface BacktestStatistics {
  start: number;
  end: number;
  durationMs: number;
  /** Share of bars spent inside a closed trade, entry and exit bar included. */
  exposureTimePct: number;
  equityFinal: number;
  equityPeak: number;
  /** Sum of the closed trades' commissions (0 when none was charged). */
  commissions: number;
  returnPct: number;
  buyHoldReturnPct: number;
  returnAnnPct: number | null;
  volatilityAnnPct: number | null;
  cagrPct: number | null;
  sharpeRatio: number | null;
  sortinoRatio: number | null;
  calmarRatio: number | null;
  alphaPct: number | null;
  beta: number | null;
  /** Deepest drawdown, as a negative percentage (0 when equity never fell). */
  maxDrawdownPct: number;
  avgDrawdownPct: number | null;
  maxDrawdownDurationMs: number | null;
  avgDrawdownDurationMs: number | null;
  trades: number;
  winRatePct: number | null;
  bestTradePct: number | null;
  worstTradePct: number | null;
  avgTradePct: number | null;
  maxTradeDurationMs: number | null;
  avgTradeDurationMs: number | null;
  profitFactor: number | null;
  expectancyPct: number | null;
  sqn: number | null;
  kellyCriterion: number | null;
  /** Probability that the true per-period Sharpe ratio exceeds 0; see `probabilisticSharpe`. */
  probabilisticSharpe: number | null;
}

const MS = { day: 86_400_000, hour: 3_600_000, minute: 60_000, second: 1_000, milli: 1 } as const;

// ---------------------------------------------------------------------------
// Data resolution and annualisation

/** The data's bar period: the median spacing of its last 100 bar times. */
export function dataPeriodMs(times: readonly number[]): number {
  const tail = times.slice(-100);
  const diffs: number[] = [];
  for (let i = 1; i < tail.length; i++) diffs.push(tail[i]! - tail[i - 1]!);
  if (diffs.length === 0) return 0;
  return median(diffs);
}

/**
 * The unit durations are rounded up to: the coarsest of day, hour, minute,
 * second, millisecond that divides the bar period exactly (1 h bars round
 * to hours, daily bars to days, 90 min bars to minutes).
 */
export function resolutionMs(periodMs: number): number {
  for (const unit of [MS.day, MS.hour, MS.minute, MS.second]) {
    if (periodMs % unit === 0) return unit;
  }
  return MS.milli;
}

export type ResampleUnit = 'day' | 'week' | 'month' | 'year';

export interface Annualisation {
  /** The calendar unit equity is resampled to before period returns are taken. */
  unit: ResampleUnit;
  periodsPerYear: number;
}

/**
 * How returns are annualised, detected from the bar times: a bar period of
 * whole 31 days (month-end data's median spacing) means monthly, 12 a year;
 * 7 days weekly (52), 365 days yearly (1); anything else is resampled to days,
 * 365 a year when weekends are trading days and 252 when they are not. The
 * data "has weekends" when more than 60 % of the 2/7 share a seven-day week
 * would give them fall on a Saturday or Sunday (UTC).
 */
export function annualisation(times: readonly number[]): Annualisation {
  const freqDays = Math.floor(dataPeriodMs(times) / MS.day);
  if (freqDays === 31) return { unit: 'month', periodsPerYear: 12 };
  if (freqDays === 7) return { unit: 'week', periodsPerYear: 52 };
  if (freqDays === 365) return { unit: 'year', periodsPerYear: 1 };
  let weekend = 0;
  for (let i = 0; i < times.length; i++) {
    const dow = utcDayOfWeek(times[i]!);
    if (dow === 0 || dow === 6) weekend++;
  }
  const haveWeekends = times.length > 0 && weekend / times.length > (2 / 7) * 0.6;
  return { unit: 'day', periodsPerYear: haveWeekends ? 365 : 252 };
}

/** Day of the week (UTC, 0 = Sunday) as Date's getUTCDay gives it, without a Date per bar: 1970-01-01 was a Thursday. */
export function utcDayOfWeek(t: number): number {
  return (((Math.floor(t / MS.day) + 4) % 7) + 7) % 7;
}

/** A number identifying the calendar period (UTC) a time falls in; weeks run Monday to Sunday. */
function periodKey(t: number, unit: ResampleUnit): number {
  const days = Math.floor(t / MS.day);
  switch (unit) {
    case 'day':
      return days;
    case 'week':
      // 1970-01-01 was a Thursday: shifting by 3 days starts each week on a Monday.
      return Math.floor((days + 3) / 7);
    case 'month': {
      const d = new Date(t);
      return d.getUTCFullYear() * 12 + d.getUTCMonth();
    }
    case 'year':
      return new Date(t).getUTCFullYear();
  }
}

/**
 * Simple returns of equity resampled to calendar periods: the last equity of
 * each period that has bars, then each period over the one before. Periods
 * without bars (weekends, holidays) are skipped, not filled.
 */
export function periodReturns(times: readonly number[], equity: readonly number[], unit: ResampleUnit): number[] {
  const closes: number[] = [];
  let key: number | undefined;
  for (let i = 0; i < times.length; i++) {
    const value = equity[i]!;
    if (Number.isNaN(value)) continue;
    const k = periodKey(times[i]!, unit);
    if (k === key) closes[closes.length - 1] = value;
    else {
      closes.push(value);
      key = k;
    }
  }
  const returns: number[] = [];
  for (let i = 1; i < closes.length; i++) returns.push(closes[i]! / closes[i - 1]! - 1);
  return returns;
}

// ---------------------------------------------------------------------------
// Drawdowns

export interface DrawdownPeriod {
  /** Bar where the period starts: the last bar at a running equity high. */
  startBar: number;
  /** Bar that closes it: the next bar back at a high, or the last bar. */
  endBar: number;
  /** Deepest drawdown inside the period, as a fraction (0.1 = 10 % below the high). */
  depth: number;
  /** Time from `startBar` to `endBar`, exact (not rounded). */
  durationMs: number;
}

export interface DrawdownSeries {
  /** Per bar: 1 - equity / running maximum of equity. */
  drawdown: number[];
  /** Per bar: the duration of the drawdown period this bar closes, null on every other bar. */
  durationMs: (number | null)[];
  periods: DrawdownPeriod[];
}

/**
 * Drawdown per bar and drawdown periods. A period runs between two bars at
 * zero drawdown with at least one bar between them; the last bar closes the
 * final period even when equity has not recovered. (So a drawdown that only
 * begins on the very last bar makes no period.)
 */
export function drawdownSeries(times: readonly number[], equity: readonly number[]): DrawdownSeries {
  const n = equity.length;
  const drawdown = new Array<number>(n);
  let peak = -Infinity;
  for (let i = 0; i < n; i++) {
    peak = Math.max(peak, equity[i]!);
    drawdown[i] = 1 - equity[i]! / peak;
  }
  const marks: number[] = [];
  for (let i = 0; i < n; i++) if (drawdown[i] === 0) marks.push(i);
  if (n > 0 && marks[marks.length - 1] !== n - 1) marks.push(n - 1);

  const durationMs = new Array<number | null>(n).fill(null);
  const periods: DrawdownPeriod[] = [];
  for (let m = 1; m < marks.length; m++) {
    const startBar = marks[m - 1]!;
    const endBar = marks[m]!;
    if (endBar <= startBar + 1) continue;
    let depth = -Infinity;
    for (let i = startBar; i <= endBar; i++) depth = Math.max(depth, drawdown[i]!);
    const duration = times[endBar]! - times[startBar]!;
    durationMs[endBar] = duration;
    periods.push({ startBar, endBar, depth, durationMs: duration });
  }
  return { drawdown, durationMs, periods };
}

// ---------------------------------------------------------------------------
// Probabilistic and deflated Sharpe ratios

const EULER_GAMMA = 0.5772156649015329;

export interface SharpeMoments {
  /** Number of period returns. */
  observations: number;
  /** Per-period (not annualised) Sharpe ratio: mean / sample standard deviation (n - 1). */
  sharpe: number;
  /** Sample skewness m3 / m2^1.5 (central moments with divisor n). */
  skew: number;
  /** Sample kurtosis m4 / m2^2, not excess: 3 for normal returns. */
  kurtosis: number;
}

/** The moments the probabilistic Sharpe ratio needs; null for fewer than 3 returns or constant returns. */
export function sharpeMoments(returns: readonly number[]): SharpeMoments | null {
  const n = returns.length;
  if (n < 3) return null;
  const mu = mean(returns);
  let m2 = 0;
  let m3 = 0;
  let m4 = 0;
  for (const r of returns) {
    const d = r - mu;
    m2 += d * d;
    m3 += d * d * d;
    m4 += d * d * d * d;
  }
  if (m2 === 0) return null;
  const sd = Math.sqrt(m2 / (n - 1));
  m2 /= n;
  m3 /= n;
  m4 /= n;
  return { observations: n, sharpe: mu / sd, skew: m3 / m2 ** 1.5, kurtosis: m4 / (m2 * m2) };
}

/**
 * Probabilistic Sharpe ratio (Bailey and López de Prado, 2012): the
 * probability that the true per-period Sharpe ratio exceeds `benchmark`,
 * given an estimate `sharpe` from `observations` returns with skewness γ3 and
 * kurtosis γ4 (not excess):
 *
 *   PSR = Φ( (SR − SR*) · √(n − 1) / √(1 − γ3·SR + (γ4 − 1)/4 · SR²) )
 *
 * Φ is the standard normal distribution function. The Sharpe ratio here is
 * per period (not annualised): the same periods as `observations`. Null when
 * n < 2 or the variance term is not positive.
 */
export function probabilisticSharpe(
  sharpe: number,
  observations: number,
  skew: number,
  kurtosis: number,
  benchmark = 0,
): number | null {
  const variance = 1 - skew * sharpe + ((kurtosis - 1) / 4) * sharpe * sharpe;
  if (!(observations >= 2) || !(variance > 0)) return null;
  return normalCdf(((sharpe - benchmark) * Math.sqrt(observations - 1)) / Math.sqrt(variance));
}

/**
 * The Sharpe ratio the best of `trials` independent zero-skill strategies is
 * expected to reach, when their estimated Sharpe ratios have variance
 * `sharpeVariance`:
 *
 *   SR0 = √V · ( (1 − γ)·Φ⁻¹(1 − 1/N) + γ·Φ⁻¹(1 − 1/(N·e)) ),  γ = Euler–Mascheroni
 *
 * One trial involves no selection, so SR0 = 0.
 */
export function expectedMaxSharpe(trials: number, sharpeVariance: number): number {
  if (!Number.isInteger(trials) || trials < 1) throw new RangeError(`trials must be a positive integer, got ${trials}`);
  if (!(sharpeVariance >= 0)) throw new RangeError(`sharpeVariance must be >= 0, got ${sharpeVariance}`);
  if (trials === 1) return 0;
  return (
    Math.sqrt(sharpeVariance) *
    ((1 - EULER_GAMMA) * inverseNormalCdf(1 - 1 / trials) + EULER_GAMMA * inverseNormalCdf(1 - 1 / (trials * Math.E)))
  );
}

export interface DeflatedSharpeOptions {
  /** Number of period returns behind `sharpe`. */
  observations: number;
  /** Skewness of those returns (0 for normal). */
  skew: number;
  /** Kurtosis of those returns, not excess (3 for normal). */
  kurtosis: number;
  /**
   * Variance of the per-period Sharpe ratios across the trials. Default:
   * 1 / (observations − 1), the sampling variance of a Sharpe estimate whose
   * true value is 0 — what the trials' spread would be if none had skill.
   */
  sharpeVariance?: number;
}

/**
 * Deflated Sharpe ratio (Bailey and López de Prado, 2014): the probabilistic
 * Sharpe ratio against the benchmark `expectedMaxSharpe(trials, V)` instead
 * of 0, i.e. the probability that the selected strategy's true Sharpe ratio
 * beats what the best of `trials` skill-less ones would show by luck. With
 * one trial it equals `probabilisticSharpe(sharpe, …, 0)`.
 */
export function deflatedSharpe(sharpe: number, trials: number, options: DeflatedSharpeOptions): number | null {
  const { observations, skew, kurtosis } = options;
  const variance = options.sharpeVariance ?? (observations > 1 ? 1 / (observations - 1) : Number.NaN);
  if (!(observations >= 2)) return null;
  return probabilisticSharpe(sharpe, observations, skew, kurtosis, expectedMaxSharpe(trials, variance));
}

/** Standard normal distribution function, accurate to ~1e-15 relative. */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  const z = Math.abs(x) / Math.SQRT2;
  const tail = 0.5 * erfc(z);
  return x < 0 ? tail : 1 - tail;
}

/** Inverse of `normalCdf`: a rational first guess refined by Halley steps to full precision. */
export function inverseNormalCdf(p: number): number {
  if (!(p >= 0 && p <= 1)) return Number.NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x = inverseNormalGuess(p);
  for (let i = 0; i < 3; i++) {
    const e = normalCdf(x) - p;
    const u = e * Math.sqrt(2 * Math.PI) * Math.exp((x * x) / 2);
    x -= u / (1 + (x * u) / 2);
  }
  return x;
}

/** Complementary error function for z >= 0. */
function erfc(z: number): number {
  if (z < 2) return 1 - erfSeries(z);
  return erfcContinuedFraction(z);
}

/** erf(z) = 2/√π · e^(−z²) · Σ 2ⁿ z^(2n+1) / (1·3·…·(2n+1)): all terms positive, no cancellation. */
function erfSeries(z: number): number {
  const z2 = z * z;
  let term = z;
  let sum = z;
  for (let n = 1; n < 200; n++) {
    term *= (2 * z2) / (2 * n + 1);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return (2 / Math.sqrt(Math.PI)) * Math.exp(-z2) * sum;
}

/** erfc(z) = e^(−z²)/√π · 1/(z + (1/2)/(z + 1/(z + (3/2)/(z + …)))), by the modified Lentz method. */
function erfcContinuedFraction(z: number): number {
  const tiny = 1e-300;
  let f = z;
  let c = z;
  let d = 0;
  for (let k = 1; k < 500; k++) {
    const a = k / 2;
    d = z + a * d;
    d = Math.abs(d) < tiny ? tiny : d;
    c = z + a / c;
    c = Math.abs(c) < tiny ? tiny : c;
    d = 1 / d;
    const delta = c * d;
    f *= delta;
    if (Math.abs(delta - 1) < 1e-16) break;
  }
  return Math.exp(-z * z) / Math.sqrt(Math.PI) / f;
}

/** A rational approximation of the normal quantile (relative error ~1e-9), the starting point for refinement. */
function inverseNormalGuess(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const low = 0.02425;
  const tailGuess = (q: number): number =>
    (((((c[0]! * q + c[1]!) * q + c[2]!) * q + c[3]!) * q + c[4]!) * q + c[5]!) /
    ((((d[0]! * q + d[1]!) * q + d[2]!) * q + d[3]!) * q + 1);
  if (p < low) return tailGuess(Math.sqrt(-2 * Math.log(p)));
  if (p > 1 - low) return -tailGuess(Math.sqrt(-2 * Math.log(1 - p)));
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((a[0]! * r + a[1]!) * r + a[2]!) * r + a[3]!) * r + a[4]!) * r + a[5]!) * q) /
    (((((b[0]! * r + b[1]!) * r + b[2]!) * r + b[3]!) * r + b[4]!) * r + 1)
  );
}

// ---------------------------------------------------------------------------
// The statistics

/**
 * Every statistic of a run. Throws RangeError on malformed input (no bars,
 * equity of another length or not finite, a bar index out of range); what
 * the data leaves undefined is null, as described at the top of this module.
 */
export function computeStatistics(input: StatisticsInput): BacktestStatistics {
  const { bars, equity, trades, firstTradableBar } = input;
  const n = bars.length;
  if (n === 0) throw new RangeError('statistics need at least one bar');
  if (equity.length !== n) throw new RangeError(`equity has ${equity.length} values for ${n} bars`);
  if (!equity.every(Number.isFinite)) throw new RangeError('equity must be finite at every bar');
  if (!Number.isInteger(firstTradableBar) || firstTradableBar < 0 || firstTradableBar >= n) {
    throw new RangeError(`firstTradableBar ${firstTradableBar} is outside 0..${n - 1}`);
  }
  for (const t of trades) {
    if (!Number.isInteger(t.entryBar) || !Number.isInteger(t.exitBar) || t.entryBar < 0 || t.exitBar >= n || t.exitBar < t.entryBar) {
      throw new RangeError(`trade bars ${t.entryBar}..${t.exitBar} are outside 0..${n - 1}`);
    }
  }

  const times = bars.map((b) => b.time);
  const closes = bars.map((b) => b.close);
  const resolution = resolutionMs(dataPeriodMs(times));
  const roundUp = (ms: number | null): number | null => (ms === null ? null : Math.ceil(ms / resolution) * resolution);

  const start = times[0]!;
  const end = times[n - 1]!;
  const durationMs = end - start;
  const first = equity[0]!;
  const last = equity[n - 1]!;

  const inTrade = new Uint8Array(n);
  for (const t of trades) inTrade.fill(1, t.entryBar, t.exitBar + 1);
  const exposureTimePct = (inTrade.reduce((s, v) => s + v, 0) / n) * 100;

  const returnPct = ((last - first) / first) * 100;
  const base = closes[firstTradableBar]!;
  const buyHoldReturnPct = ((closes[n - 1]! - base) / base) * 100;

  // Annualised return, volatility and the ratios built on them.
  const { unit, periodsPerYear } = annualisation(times);
  const returns = periodReturns(times, equity, unit);
  const { annReturn, annVol, sharpeRatio, sortinoRatio } = annualisedRatios(returns, periodsPerYear);

  const years = (Math.floor(durationMs / MS.second) * MS.second) / MS.day / 365.25;
  const cagr = years > 0 ? (last / first) ** (1 / years) - 1 : null;

  const dd = input.drawdown ?? drawdownSeries(times, equity);
  const maxDd = maxOf(dd.drawdown);
  const depths = dd.periods.map((p) => p.depth);
  const ddDurations = dd.periods.map((p) => p.durationMs);

  const beta = betaOf(equity, closes);

  const pnl = trades.map((t) => t.pnl);
  const rets = trades.map((t) => t.returnFraction);
  const durations = trades.map((t) => times[t.exitBar]! - times[t.entryBar]!);
  const nTrades = trades.length;
  const winRate = nTrades > 0 ? pnl.filter((p) => p > 0).length / nTrades : null;
  const wins = pnl.filter((p) => p > 0);
  const losses = pnl.filter((p) => p < 0);
  const sumPositive = sum(rets.filter((r) => r > 0));
  const sumNegative = Math.abs(sum(rets.filter((r) => r < 0)));
  const pnlSd = nTrades >= 2 ? Math.sqrt(sampleVariance(pnl)) : 0;

  const moments = sharpeMoments(returns);

  return {
    start,
    end,
    durationMs,
    exposureTimePct,
    equityFinal: last,
    equityPeak: maxOf(equity),
    commissions: sum(trades.map((t) => t.commission)),
    returnPct,
    buyHoldReturnPct,
    returnAnnPct: pct(annReturn),
    volatilityAnnPct: pct(annVol),
    cagrPct: pct(cagr),
    sharpeRatio,
    sortinoRatio,
    calmarRatio: annReturn !== null && maxDd > 0 ? finite(annReturn / maxDd) : null,
    alphaPct: beta === null ? null : finite(returnPct - beta * buyHoldReturnPct),
    beta,
    maxDrawdownPct: maxDd > 0 ? -maxDd * 100 : 0,
    avgDrawdownPct: depths.length > 0 ? -mean(depths) * 100 : null,
    maxDrawdownDurationMs: roundUp(ddDurations.length > 0 ? maxOf(ddDurations) : null),
    avgDrawdownDurationMs: roundUp(ddDurations.length > 0 ? mean(ddDurations) : null),
    trades: nTrades,
    winRatePct: pct(winRate),
    bestTradePct: nTrades > 0 ? maxOf(rets) * 100 : null,
    worstTradePct: nTrades > 0 ? minOf(rets) * 100 : null,
    avgTradePct: pct(nTrades > 0 ? geometricMean(rets) : null),
    maxTradeDurationMs: roundUp(nTrades > 0 ? maxOf(durations) : null),
    avgTradeDurationMs: roundUp(nTrades > 0 ? mean(durations) : null),
    profitFactor: sumNegative > 0 ? sumPositive / sumNegative : null,
    expectancyPct: nTrades > 0 ? mean(rets) * 100 : null,
    sqn: pnlSd > 0 ? finite((Math.sqrt(nTrades) * mean(pnl)) / pnlSd) : null,
    kellyCriterion:
      winRate !== null && wins.length > 0 && losses.length > 0
        ? finite(winRate - (1 - winRate) / (mean(wins) / -mean(losses)))
        : null,
    probabilisticSharpe: moments && probabilisticSharpe(moments.sharpe, moments.observations, moments.skew, moments.kurtosis),
  };
}

export interface AnnualisedRatios {
  /** Geometric mean period return compounded over a year, as a fraction. */
  annReturn: number | null;
  /** Annualised volatility of the period returns, as a fraction. */
  annVol: number | null;
  sharpeRatio: number | null;
  sortinoRatio: number | null;
}

/**
 * The annualised return and volatility of a series of period returns and
 * the ratios built on them, as the reference defines them: the return is the
 * geometric mean compounded over `periodsPerYear`; the volatility is the
 * annualised standard deviation of compounded returns,
 * √((σ² + (1 + g)²)^N − (1 + g)^(2N)); Sharpe is the annual return over it
 * (no risk-free rate); Sortino is the annual return over the downside
 * deviation √(mean(min(r, 0)²)) · √N. Null where the data is too short or a
 * denominator is zero. The trade journal's analytics use this very function
 * on daily returns, so both report the same ratio for the same equity.
 */
export function annualisedRatios(returns: readonly number[], periodsPerYear: number): AnnualisedRatios {
  const N = periodsPerYear;
  const g = returns.length > 0 ? geometricMean(returns) : null;
  const annReturn = g === null ? null : (1 + g) ** N - 1;
  const variance = returns.length >= 2 ? sampleVariance(returns) : null;
  const annVol = g === null || variance === null ? null : Math.sqrt((variance + (1 + g) ** 2) ** N - (1 + g) ** (2 * N));
  const downside = returns.length > 0 ? Math.sqrt(mean(returns.map((r) => Math.min(r, 0) ** 2))) * Math.sqrt(N) : null;
  return {
    annReturn,
    annVol,
    sharpeRatio: annReturn !== null && annVol ? finite(annReturn / annVol) : null,
    sortinoRatio: annReturn !== null && downside ? finite(annReturn / downside) : null,
  };
}

/**
 * Beta of the strategy against the instrument: covariance of bar-to-bar log
 * returns of equity and of close over the variance of the latter (n − 1
 * divisors), over all bars. Null with fewer than two returns or a flat market.
 */
function betaOf(equity: readonly number[], closes: readonly number[]): number | null {
  const returns = Math.max(0, equity.length - 1);
  const e = new Float64Array(returns);
  const m = new Float64Array(returns);
  for (let i = 1; i < equity.length; i++) {
    e[i - 1] = Math.log(equity[i]! / equity[i - 1]!);
    m[i - 1] = Math.log(closes[i]! / closes[i - 1]!);
  }
  if (e.length < 2) return null;
  const me = mean(e);
  const mm = mean(m);
  let cov = 0;
  let varM = 0;
  for (let i = 0; i < e.length; i++) {
    cov += (e[i]! - me) * (m[i]! - mm);
    varM += (m[i]! - mm) ** 2;
  }
  return varM > 0 ? finite(cov / varM) : null;
}

/**
 * Geometric mean of returns. A return of −100 % or worse wipes the
 * compounding out, and the mean is then taken as 0 (so are the annualised
 * return and the average trade built on it).
 */
function geometricMean(returns: readonly number[]): number {
  let logSum = 0;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    if (1 + r <= 0) return 0;
    logSum += Math.log(1 + r);
  }
  return Math.exp(logSum / returns.length) - 1;
}

/*
 * The loops below index their arrays instead of iterating them: they run once
 * per backtest over every bar, mostly before the optimizing compiler has seen
 * them, and an iterator there costs an allocation per value (a million bars,
 * tens of megabytes of garbage).
 */

function sum(values: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s;
}

function mean(values: ArrayLike<number>): number {
  return sum(values) / values.length;
}

function sampleVariance(values: readonly number[]): number {
  const mu = mean(values);
  let s = 0;
  for (let i = 0; i < values.length; i++) s += (values[i]! - mu) ** 2;
  return s / (values.length - 1);
}

/** Largest value, by a loop: spreading a long series into Math.max can overflow the call stack. */
function maxOf(values: readonly number[]): number {
  let m = -Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! > m) m = values[i]!;
  return m;
}

function minOf(values: readonly number[]): number {
  let m = Infinity;
  for (let i = 0; i < values.length; i++) if (values[i]! < m) m = values[i]!;
  return m;
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function finite(x: number): number | null {
  return Number.isFinite(x) ? x : null;
}

function pct(x: number | null): number | null {
  return x === null ? null : finite(x * 100);
}
