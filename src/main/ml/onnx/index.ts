/** Imported ONNX models: import with checks, scoring, and permutation importance. */
export { OnnxModelError, isOnnxModelError, type OnnxErrorCode } from './errors';
export { KEEL_FEATURES_KEY, parseFeatureList, readOnnxModelInfo, type OnnxModelInfo, type OnnxOpset } from './modelInfo';
export {
  DEFAULT_GOLDEN_TOLERANCE,
  OnnxModel,
  importOnnxModel,
  type GoldenRow,
  type OnnxImportOptions,
  type OnnxImportRequest,
  type OnnxOutputKind,
} from './onnxModel';
export {
  permutationImportance,
  scoreProbabilities,
  type FeatureImportance,
  type ImportanceMetric,
  type PermutationImportanceRequest,
  type PermutationImportanceResult,
  type ProbabilityModel,
} from './permutationImportance';
export { loadOnnxRuntime, type LoadOnnxRuntime, type OnnxRuntime } from './runtime';
