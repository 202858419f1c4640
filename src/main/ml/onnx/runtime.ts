/**
 * onnxruntime-node, loaded on first use: its native addon and the ~45 MB
 * libonnxruntime are not paid for at start-up by a trader who never imports
 * a model. A platform without a binary (onnxruntime 1.30 ships none for
 * macOS on Intel) gets a typed error instead of a crash at launch.
 */
import type * as Ort from 'onnxruntime-node';
import { errorText } from '../../../shared/errors';
import { OnnxModelError } from './errors';

export type OnnxRuntime = typeof Ort;

export type LoadOnnxRuntime = () => Promise<OnnxRuntime>;

export const loadOnnxRuntime: LoadOnnxRuntime = async () => {
  let module: unknown;
  try {
    module = await import('onnxruntime-node');
  } catch (error) {
    throw new OnnxModelError('RUNTIME_UNAVAILABLE', `the ONNX runtime does not load on ${process.platform}-${process.arch}: ${errorText(error)}`);
  }
  // Bundled to CommonJS the namespace may arrive wrapped in `default`.
  const wrapped = (module as { default?: Partial<OnnxRuntime> }).default;
  return (wrapped?.InferenceSession ? wrapped : module) as OnnxRuntime;
};
