/**
 * Why an ONNX model was refused or could not score: a stable code to branch
 * on and a message that names what is wrong (which input, which row, which
 * feature), so a trader can fix the export rather than guess.
 */

export type OnnxErrorCode =
  /** The bytes are not an ONNX model (not protobuf, truncated, no graph). */
  | 'MALFORMED_MODEL'
  /** onnxruntime could not load the model (unknown operator, bad graph, external data). */
  | 'MODEL_REJECTED'
  /** onnxruntime-node has no binary for this platform, or failed to load. */
  | 'RUNTIME_UNAVAILABLE'
  /** The import request itself is inconsistent (no features, a golden row of the wrong length). */
  | 'INVALID_REQUEST'
  /** The model's input is not one float tensor [batch, F] for the declared features. */
  | 'INPUT_MISMATCH'
  /** No output Keel can read as probabilities or a value. */
  | 'OUTPUT_MISMATCH'
  /** The model's `keel_features` metadata disagrees with the declared features. */
  | 'FEATURES_MISMATCH'
  /** A golden row's output differs from the expected one beyond the tolerance. */
  | 'GOLDEN_ROW_MISMATCH'
  /** A prediction failed at run time (bad rows, or the runtime threw). */
  | 'PREDICT_FAILED';

export class OnnxModelError extends Error {
  override readonly name = 'OnnxModelError';

  constructor(
    readonly code: OnnxErrorCode,
    message: string,
    /** Machine-readable details (the differing golden row, the offending input), when there are any. */
    readonly details?: Readonly<Record<string, unknown>>,
  ) {
    super(message);
  }
}

export function isOnnxModelError(error: unknown, code?: OnnxErrorCode): error is OnnxModelError {
  return error instanceof OnnxModelError && (code === undefined || error.code === code);
}
