/**
 * Random forests on histogram-binned rows: each tree grows on a bootstrap
 * sample (or a plain subsample) and tries a random subset of features at
 * each split. Classification trees split on the Gini decrease (one-hot
 * gradients with unit hessians) and keep class shares in their leaves;
 * regression trees split on the squared-error decrease and keep means. The
 * forest averages its trees.
 */
import { Prng } from '../../core/prng';
import { KeelError } from '../../../shared/errors';
import { applyBins, fitBinEdges } from './binning';
import { assertMatrix } from './matrix';
import type { TreeModel } from './model';
import { checkLabels } from './objectives';
import { forestParamsSchema, parseParams, type ForestParams, type ForestParamsInput } from './params';
import { allIndices, bootstrapRows, sampleIndices } from './sampling';
import type { Tree } from './tree';
import { checkNames, type TrainingSet } from './trainingSet';
import { TreeLearner, type GrowthParams } from './treeLearner';
import { runTrainer, runTrainerAsync, type SteppedTrainer, type TrainingHooks } from './training';

export type ForestData = Omit<TrainingSet, 'validation'>;

export interface ForestResult {
  model: TreeModel;
}

export class ForestTrainer implements SteppedTrainer<ForestResult> {
  readonly params: ForestParams;
  private readonly numClasses: number;
  private readonly outputs: number;
  private readonly learner: TreeLearner;
  private readonly growth: GrowthParams;
  private readonly rng: Prng;
  private readonly grad: Float64Array;
  private readonly hess: Float64Array;
  private readonly allFeatures: Int32Array;
  private readonly draws: number;
  private readonly trees: Tree[] = [];

  constructor(
    private readonly data: ForestData,
    params: ForestParamsInput,
  ) {
    this.params = parseParams(forestParamsSchema, params, 'forest parameters');
    const p = this.params;
    const { x, y } = data;
    assertMatrix(x);
    if (x.rows < 1) throw new KeelError('VALIDATION_FAILED', 'a forest needs at least one row');
    const classification = p.task === 'classification';
    this.numClasses = classification ? (p.numClasses ?? Math.max(2, maxLabel(y) + 1)) : 1;
    checkLabels(y, x.rows, classification ? this.numClasses : null);
    checkNames(data, x.cols, this.numClasses);
    this.outputs = this.numClasses;

    const edges = fitBinEdges(x, { maxBins: p.maxBins, seed: p.seed });
    this.learner = new TreeLearner(applyBins(x, edges), edges, this.outputs);
    this.growth = {
      maxDepth: p.maxDepth,
      maxLeaves: p.maxLeaves ?? Infinity,
      minSamplesLeaf: p.minSamplesLeaf,
      minChildWeight: 0,
      lambda: 0,
      minGain: p.minGain,
      featuresPerSplit: featuresPerSplit(p, x.cols),
      shrinkage: 1,
    };
    this.rng = new Prng(p.seed);
    // Trees fit -target with unit hessians: a leaf's value -G/H is then the mean target (class shares for one-hot targets).
    this.grad = new Float64Array(x.rows * this.outputs);
    for (let r = 0; r < x.rows; r++) {
      if (classification) this.grad[r * this.outputs + y[r]!] = -1;
      else this.grad[r] = -y[r]!;
    }
    this.hess = new Float64Array(x.rows).fill(1);
    this.allFeatures = Int32Array.from(allIndices(x.cols));
    this.draws = Math.max(1, Math.round(x.rows * p.sampleFraction));
  }

  get total(): number {
    return this.params.trees;
  }

  get completed(): number {
    return this.trees.length;
  }

  get done(): boolean {
    return this.trees.length >= this.params.trees;
  }

  step(): void {
    if (this.done) return;
    const rows = this.sampleTreeRows();
    this.trees.push(this.learner.grow(this.grad, this.hess, rows, this.allFeatures, this.growth, this.rng).tree);
  }

  finish(): ForestResult {
    const { data } = this;
    return {
      model: {
        kind: 'forest',
        task: this.params.task,
        numClasses: this.numClasses,
        numFeatures: data.x.cols,
        baseScore: new Float64Array(0),
        trees: [...this.trees],
        ...(data.featureNames ? { featureNames: [...data.featureNames] } : {}),
        ...(data.classNames ? { classNames: [...data.classNames] } : {}),
      },
    };
  }

  /** A bootstrap sample (rows repeated as drawn, ascending), a plain subsample, or every row. */
  private sampleTreeRows(): Uint32Array {
    const n = this.data.x.rows;
    if (this.params.bootstrap) return bootstrapRows(n, this.draws, this.rng);
    return this.draws >= n ? allIndices(n) : sampleIndices(n, new Uint32Array(this.draws), this.rng);
  }
}

function maxLabel(y: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < y.length; i++) if (y[i]! > max) max = y[i]!;
  return Math.floor(max);
}

function featuresPerSplit(p: ForestParams, cols: number): number {
  const choice = p.maxFeatures ?? (p.task === 'classification' ? 'sqrt' : 'third');
  if (choice === 'all') return cols;
  if (choice === 'sqrt') return Math.max(1, Math.round(Math.sqrt(cols)));
  if (choice === 'third') return Math.max(1, Math.round(cols / 3));
  return Math.max(1, Math.round(cols * choice));
}

export function trainForest(data: ForestData, params: ForestParamsInput, hooks?: TrainingHooks): ForestResult {
  return runTrainer(new ForestTrainer(data, params), hooks);
}

export function trainForestAsync(data: ForestData, params: ForestParamsInput, hooks?: TrainingHooks): Promise<ForestResult> {
  return runTrainerAsync(new ForestTrainer(data, params), hooks);
}
