/**
 * The interface every parameter sampler offers an optimizer, and the plain
 * random sampler. The caller owns the loop: `ask` a point, run the trial,
 * `tell` the objective (maximized) or null when the trial failed or was
 * pruned. Samplers never run trials, touch I/O or read the clock.
 */
import { Prng } from '../../core/prng';
import { assertInSpace, drawFeasible, sampleBox, validateSpace, type Params, type ParamSpecs, type ParamsOf, type SearchSpace } from './space';

export interface Trial<T = Params> {
  params: T;
  /** Higher is better; null for a failed or pruned trial. */
  objective: number | null;
}

export interface Sampler<T = Params> {
  /** The next point to evaluate; it satisfies every constraint of the space. */
  ask(): T;
  /** Reports a finished trial. Points not obtained from `ask` (a warm start) are accepted too. */
  tell(params: T, objective: number | null): void;
}

export interface RandomSamplerOptions {
  seed: number;
  /** Draws per `ask` before the space is declared too constrained. Default 1000. */
  maxAttempts?: number;
}

export const DEFAULT_MAX_ATTEMPTS = 1000;

/** Base bookkeeping shared by the samplers: the validated space and the told trials, in order. */
export abstract class BaseSampler<P extends ParamSpecs> implements Sampler<ParamsOf<P>> {
  protected readonly untypedSpace: SearchSpace;
  private readonly history: Trial<Params>[] = [];

  constructor(readonly space: SearchSpace<P>) {
    this.untypedSpace = space as unknown as SearchSpace;
    validateSpace(this.untypedSpace);
  }

  abstract ask(): ParamsOf<P>;

  tell(params: ParamsOf<P>, objective: number | null): void {
    if (objective !== null && !Number.isFinite(objective)) {
      throw new RangeError(`objective must be a finite number or null, got ${objective}`);
    }
    const point = params as unknown as Params;
    assertInSpace(this.untypedSpace, point);
    this.history.push({ params: { ...point }, objective });
  }

  /** Every told trial, in the order told. */
  get trials(): readonly Trial<ParamsOf<P>>[] {
    return this.history as unknown as readonly Trial<ParamsOf<P>>[];
  }

  /** The told trial with the highest objective (the earliest on a tie), if any succeeded. */
  best(): Trial<ParamsOf<P>> | undefined {
    let best: Trial<Params> | undefined;
    for (const t of this.history) {
      if (t.objective !== null && (best === undefined || t.objective > best.objective!)) best = t;
    }
    return best as Trial<ParamsOf<P>> | undefined;
  }

  protected get told(): readonly Trial<Params>[] {
    return this.history;
  }
}

/** Independent uniform draws (log-uniform for log floats), rejecting points that break a constraint. */
export class RandomSampler<P extends ParamSpecs> extends BaseSampler<P> {
  private readonly rng: Prng;
  private readonly maxAttempts: number;

  constructor(space: SearchSpace<P>, options: RandomSamplerOptions) {
    super(space);
    this.rng = new Prng(options.seed);
    this.maxAttempts = positiveInteger(options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS, 'maxAttempts');
  }

  ask(): ParamsOf<P> {
    return drawFeasible(this.untypedSpace, () => sampleBox(this.untypedSpace, this.rng), this.maxAttempts) as ParamsOf<P>;
  }
}

export function positiveInteger(n: number, what: string): number {
  if (!Number.isInteger(n) || n <= 0) throw new RangeError(`${what} must be a positive integer, got ${n}`);
  return n;
}
