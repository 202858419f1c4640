/**
 * Gradient-boosted trees: each round fits one tree per score slot (K for
 * multiclass softmax, else 1) to the loss's gradients and hessians on
 * histogram-binned rows, scaled by the learning rate. Rows may be subsampled
 * per round and features per tree, from one seeded generator, so a seed
 * replays the same model. With a validation set the loss is tracked per
 * round, and early stopping keeps the rounds up to the best one.
 */
import { Prng } from '../../core/prng';
import { KeelError } from '../../../shared/errors';
import { applyBins, fitBinEdges, type BinnedMatrix } from './binning';
import { assertMatrix } from './matrix';
import type { TreeModel } from './model';
import { checkLabels, lossFor, type Loss } from './objectives';
import { gbdtParamsSchema, parseParams, type GbdtParams, type GbdtParamsInput } from './params';
import { allIndices, sampleFrom, sampleIndices } from './sampling';
import { leafOfBinned, type Tree } from './tree';
import { checkNames, type TrainingSet } from './trainingSet';
import { TreeLearner, type GrownTree, type GrowthParams } from './treeLearner';
import { runTrainer, runTrainerAsync, type SteppedTrainer, type TrainingHooks } from './training';

export interface GbdtLog {
  /** Mean training loss after each round (log loss, or mean squared error). */
  trainLoss: number[];
  /** The same on the validation set, when there is one. */
  validLoss: number[];
  /** Rounds in the model (the best round's when early stopping ran). */
  roundsKept: number;
  stoppedEarly: boolean;
}

export interface GbdtResult {
  model: TreeModel;
  log: GbdtLog;
}

export class GbdtTrainer implements SteppedTrainer<GbdtResult> {
  readonly params: GbdtParams;
  private readonly loss: Loss;
  private readonly slots: number;
  private readonly numClasses: number;
  private readonly binned: BinnedMatrix;
  private readonly validBinned: BinnedMatrix | null;
  private readonly learner: TreeLearner;
  private readonly growth: GrowthParams;
  private readonly rng: Prng;
  private readonly baseScore: Float64Array;
  private readonly scores: Float64Array;
  private readonly validScores: Float64Array | null;
  private readonly grad: Float64Array;
  private readonly hess: Float64Array;
  private readonly allRows: Uint32Array;
  private readonly allFeatures: Int32Array;
  private readonly rowSample: Uint32Array;
  /** Features drawn for each tree. */
  private readonly treeFeatures: number;
  private readonly trees: Tree[] = [];
  private readonly trainLoss: number[] = [];
  private readonly validLoss: number[] = [];
  private bestRound = -1;
  private bestLoss = Infinity;
  private stoppedEarly = false;
  private rounds = 0;

  constructor(
    private readonly data: TrainingSet,
    params: GbdtParamsInput,
  ) {
    this.params = parseParams(gbdtParamsSchema, params, 'boosting parameters');
    const p = this.params;
    const { x, y } = data;
    assertMatrix(x);
    if (x.rows < 2) throw new KeelError('VALIDATION_FAILED', `boosting needs at least 2 rows, got ${x.rows}`);
    this.numClasses = p.objective === 'binary' ? 2 : p.objective === 'multiclass' ? p.numClasses : 1;
    const classes = p.objective === 'regression' ? null : this.numClasses;
    checkLabels(y, x.rows, classes);
    if (data.validation) {
      assertMatrix(data.validation.x);
      if (data.validation.x.cols !== x.cols) throw new KeelError('VALIDATION_FAILED', `the validation set has ${data.validation.x.cols} features, training ${x.cols}`);
      checkLabels(data.validation.y, data.validation.x.rows, classes, 'validation labels');
    }
    if (p.earlyStoppingRounds !== undefined && !data.validation) throw new KeelError('VALIDATION_FAILED', 'early stopping needs a validation set');
    checkNames(data, x.cols, this.numClasses);

    this.loss = lossFor(p.objective, this.numClasses);
    this.slots = this.loss.slots;
    const edges = fitBinEdges(x, { maxBins: p.maxBins, seed: p.seed });
    this.binned = applyBins(x, edges);
    this.validBinned = data.validation ? applyBins(data.validation.x, edges) : null;
    this.learner = new TreeLearner(this.binned, edges, 1);
    this.growth = {
      maxDepth: p.maxDepth,
      maxLeaves: p.maxLeaves,
      minSamplesLeaf: p.minSamplesLeaf,
      minChildWeight: p.minChildWeight,
      lambda: p.lambda,
      minGain: p.minGain,
      featuresPerSplit: x.cols,
      shrinkage: p.learningRate,
    };
    this.rng = new Prng(p.seed);
    this.baseScore = this.loss.baseScore(y);
    this.scores = repeatRows(this.baseScore, x.rows);
    this.validScores = data.validation ? repeatRows(this.baseScore, data.validation.x.rows) : null;
    this.grad = new Float64Array(this.slots * x.rows);
    this.hess = new Float64Array(this.slots * x.rows);
    this.allRows = allIndices(x.rows);
    this.allFeatures = Int32Array.from({ length: x.cols }, (_, i) => i);
    this.rowSample = new Uint32Array(Math.max(1, Math.round(x.rows * p.subsample)));
    this.treeFeatures = Math.max(1, Math.round(x.cols * p.featureFraction));
  }

  get total(): number {
    return this.stoppedEarly ? this.rounds : this.params.rounds;
  }

  get completed(): number {
    return this.rounds;
  }

  get done(): boolean {
    return this.stoppedEarly || this.rounds >= this.params.rounds;
  }

  step(): void {
    if (this.done) return;
    const p = this.params;
    const n = this.data.x.rows;
    this.loss.gradients(this.scores, this.data.y, this.grad, this.hess);
    const rows = p.subsample < 1 ? sampleIndices(n, this.rowSample, this.rng) : this.allRows;
    for (let slot = 0; slot < this.slots; slot++) {
      const features = p.featureFraction < 1 ? sampleFrom(this.allFeatures, new Int32Array(this.treeFeatures), this.rng) : this.allFeatures;
      const grown = this.learner.grow(
        this.grad.subarray(slot * n, (slot + 1) * n),
        this.hess.subarray(slot * n, (slot + 1) * n),
        rows,
        features,
        this.growth,
        null,
        slot,
      );
      const { tree, splitBins } = grown;
      this.trees.push(tree);
      if (rows === this.allRows) addByLeaf(grown, this.scores, this.slots, slot);
      else addTree(tree, splitBins, this.binned, this.scores, this.slots, slot);
      if (this.validBinned && this.validScores) addTree(tree, splitBins, this.validBinned, this.validScores, this.slots, slot);
    }
    this.rounds++;
    this.trainLoss.push(this.loss.loss(this.scores, this.data.y));
    if (this.validScores && this.data.validation) {
      const loss = this.loss.loss(this.validScores, this.data.validation.y);
      this.validLoss.push(loss);
      if (loss < this.bestLoss) {
        this.bestLoss = loss;
        this.bestRound = this.rounds;
      } else if (p.earlyStoppingRounds !== undefined && this.rounds - this.bestRound >= p.earlyStoppingRounds) {
        this.stoppedEarly = true;
      }
    }
  }

  finish(): GbdtResult {
    const p = this.params;
    const roundsKept = p.earlyStoppingRounds !== undefined && this.bestRound > 0 ? this.bestRound : this.rounds;
    const model: TreeModel = {
      kind: 'gbdt',
      task: p.objective === 'regression' ? 'regression' : 'classification',
      numClasses: this.numClasses,
      numFeatures: this.data.x.cols,
      baseScore: this.baseScore.slice(),
      trees: this.trees.slice(0, roundsKept * this.slots),
      ...(this.data.featureNames ? { featureNames: [...this.data.featureNames] } : {}),
      ...(this.data.classNames ? { classNames: [...this.data.classNames] } : {}),
    };
    return { model, log: { trainLoss: [...this.trainLoss], validLoss: [...this.validLoss], roundsKept, stoppedEarly: this.stoppedEarly } };
  }
}

function repeatRows(base: Float64Array, rows: number): Float64Array {
  const out = new Float64Array(rows * base.length);
  for (let r = 0; r < rows; r++) out.set(base, r * base.length);
  return out;
}

/** scores[r, slot] += the tree's value for the rows it grew on, read from its leaves' row groups (no walk). */
function addByLeaf(grown: GrownTree, scores: Float64Array, slots: number, slot: number): void {
  const { rows, leafStart, tree } = grown;
  for (let leaf = 0; leaf < tree.leafCount.length; leaf++) {
    const value = tree.leafValue[leaf]!;
    const end = leafStart[leaf]! + tree.leafCount[leaf]!;
    for (let i = leafStart[leaf]!; i < end; i++) scores[rows[i]! * slots + slot]! += value;
  }
}

/** scores[r, slot] += the tree's value for every binned row. */
function addTree(tree: Tree, splitBins: Uint8Array, binned: BinnedMatrix, scores: Float64Array, slots: number, slot: number): void {
  const { bins, stride, rows } = binned;
  const values = tree.leafValue;
  for (let r = 0; r < rows; r++) scores[r * slots + slot]! += values[leafOfBinned(tree, splitBins, bins, r * stride)]!;
}

export function trainGbdt(data: TrainingSet, params: GbdtParamsInput, hooks?: TrainingHooks): GbdtResult {
  return runTrainer(new GbdtTrainer(data, params), hooks);
}

export function trainGbdtAsync(data: TrainingSet, params: GbdtParamsInput, hooks?: TrainingHooks): Promise<GbdtResult> {
  return runTrainerAsync(new GbdtTrainer(data, params), hooks);
}
