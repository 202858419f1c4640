import { describe, expect, it } from 'vitest';
import { isFromWorker, isToWorker, serializeError, WorkerError, type SerializedError } from './protocol';

describe('serialized errors', () => {
  it('carry code, name, message and stack across, and come back as a typed WorkerError', () => {
    class FeatureError extends RangeError {
      override name = 'FeatureError';
    }
    const serialized = serializeError(new FeatureError('column 7 is NaN'), 'WORKER_FAILED');
    expect(serialized).toMatchObject({ code: 'WORKER_FAILED', name: 'FeatureError', message: 'column 7 is NaN' });
    expect(serialized.stack).toMatch(/column 7 is NaN/);
    // What structured clone keeps is plain data: the error survives a JSON round trip too.
    const back = WorkerError.fromSerialized(JSON.parse(JSON.stringify(serialized)) as SerializedError);
    expect(back).toBeInstanceOf(WorkerError);
    expect(back).toMatchObject({ code: 'WORKER_FAILED', message: 'column 7 is NaN', remoteName: 'FeatureError', name: 'WorkerError' });
    expect(back.remoteStack).toBe(serialized.stack);
  });

  it('keep the code of a WorkerError thrown inside the worker, and say what a non-error was', () => {
    expect(serializeError(new WorkerError('WORKER_CANCELED', 'stopped at epoch 3'), 'WORKER_FAILED').code).toBe('WORKER_CANCELED');
    expect(serializeError('plain string', 'WORKER_FAILED')).toEqual({ code: 'WORKER_FAILED', name: 'Error', message: 'plain string' });
    expect(serializeError(42, 'WORKER_CANCELED')).toEqual({ code: 'WORKER_CANCELED', name: 'Error', message: '42' });
  });
});

describe('message guards', () => {
  it('accept every message of the union and reject look-alikes', () => {
    const error: SerializedError = { code: 'WORKER_FAILED', name: 'Error', message: 'm' };
    for (const message of [
      { type: 'ready', protocol: 1, methods: ['score'] },
      { type: 'progress', id: 1, value: { epoch: 1 } },
      { type: 'result', id: 2, value: undefined },
      { type: 'error', id: 3, error },
      { type: 'stopped' },
      { type: 'stopped', error },
    ]) {
      expect(isFromWorker(message)).toBe(true);
    }
    for (const message of [
      null,
      'ready',
      { type: 'result', id: 0, value: 1 },
      { type: 'result', id: 1.5, value: 1 },
      { type: 'result', id: 1 },
      { type: 'error', id: 1, error: { ...error, code: 'SQLITE_BUSY' } },
      { type: 'hello' },
    ]) {
      expect(isFromWorker(message)).toBe(false);
    }
    expect(isToWorker({ type: 'request', id: 1, method: 'score', params: {} })).toBe(true);
    expect(isToWorker({ type: 'cancel', id: 1 })).toBe(true);
    expect(isToWorker({ type: 'stop' })).toBe(true);
    expect(isToWorker({ type: 'request', id: -1, method: 'score' })).toBe(false);
    expect(isToWorker({ type: 'cancel' })).toBe(false);
  });
});
