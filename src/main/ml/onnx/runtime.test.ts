/**
 * onnxruntime-node stays out of the process until a model is imported: the
 * ONNX module can be wired into the app without start-up paying for the
 * native library. Checked on Linux by looking for libonnxruntime among the
 * process's mapped files (this test file runs in its own process).
 */
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

const mapsFile = '/proc/self/maps';
const libraryMapped = (): boolean => readFileSync(mapsFile, 'utf8').includes('libonnxruntime');

describe.runIf(existsSync(mapsFile))('loading the ONNX runtime', () => {
  it('happens on the first import of a model, not when the module is imported', async () => {
    const onnx = await import('./index');
    expect(libraryMapped()).toBe(false);
    const ort = await onnx.loadOnnxRuntime();
    expect(typeof ort.InferenceSession.create).toBe('function');
    expect(libraryMapped()).toBe(true);
  });
});
