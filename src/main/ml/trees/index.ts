/**
 * Histogram-binned gradient-boosted trees and random forests in TypeScript:
 * train (worker-friendly: plain data in and out, progress and cancel between
 * rounds), predict on raw rows, explain by gain importance, store as
 * versioned JSON.
 */
export { applyBins, binOf, fitBinEdges, HIST_BINS, MAX_BINS, MISSING_BIN, type BinEdges, type BinnedMatrix, type BinningOptions } from './binning';
export { ForestTrainer, trainForest, trainForestAsync, type ForestData, type ForestResult } from './forest';
export { GbdtTrainer, trainGbdt, trainGbdtAsync, type GbdtLog, type GbdtResult } from './gbdt';
export { type TrainingSet } from './trainingSet';
export { featureImportance, rankedImportance, type FeatureImportance, type RankedFeature } from './importance';
export { matrix, matrixFromRows, type FeatureValues, type Labels, type Matrix } from './matrix';
export { modelTransferables, outputWidth, scoreSlots, type ModelKind, type Task, type TreeModel } from './model';
export { type BoostObjective } from './objectives';
export {
  forestParamsSchema,
  gbdtParamsSchema,
  type ForestParams,
  type ForestParamsInput,
  type GbdtParams,
  type GbdtParamsInput,
} from './params';
export { argmaxRows, predict, predictRaw } from './predict';
export {
  modelFromJson,
  modelFromJsonText,
  modelToJson,
  modelToJsonText,
  TREE_MODEL_FORMAT,
  TREE_MODEL_VERSION,
  treeModelJsonSchema,
  type TreeModelJson,
} from './serialize';
export { modelStats, type ModelStats } from './stats';
export { type Tree } from './tree';
export { runTrainer, runTrainerAsync, TrainingCancelled, type SteppedTrainer, type TrainingHooks } from './training';
