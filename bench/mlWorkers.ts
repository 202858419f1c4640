/**
 * Models in worker threads, as the product runs them: scoring throughput of
 * a 100-tree model over 32 features spread over two ML workers (target
 * 100,000 rows/s), and a training run in an ML worker (feature pipeline,
 * walk-forward folds, final model) with the main thread's event-loop delay
 * measured meanwhile (target p99 at most 5 ms).
 */
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { syntheticBars } from '../src/main/ml/features/syntheticBars';
import { modelToJsonText, trainGbdt } from '../src/main/ml/trees';
import { syntheticData } from '../src/main/ml/trees/syntheticData';
import type { MlWorkerMethods } from '../src/main/ml/worker/mlWorker';
import { builtWorker } from './builtWorker';
import { packBars } from '../src/main/workers/packedBars';
import { WorkerPool } from '../src/main/workers/pool';

interface BenchRow {
  name: string;
  value: string;
  target: string;
  met: boolean | null;
}

const LOOP_RESOLUTION_MS = 10;

export async function mlWorkerRows(results: Record<string, unknown>): Promise<BenchRow[]> {
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const cols = 32;
  const data = syntheticData({ rows: 20_000, cols, seed: 3, noise: 0.5, float32: true });
  const { model } = trainGbdt({ x: data.x, y: data.binary }, { objective: 'binary', rounds: 100, learningRate: 0.1, maxDepth: 6, maxLeaves: 63 });
  const json = modelToJsonText(model);
  const rows = data.x.values as Float32Array;

  const pool = await WorkerPool.start<MlWorkerMethods>(builtWorker('mlWorker'), { name: 'ml-bench', size: 2 });
  let scoring: { rowsPerSecond: number; batches: number; batchRows: number };
  let training: { seconds: number; bars: number; loopDelayP99Ms: number; loopDelayMaxMs: number };
  try {
    const batchRows = 10_000;
    const batch = rows.subarray(0, batchRows * cols);
    // Warm both workers (model parsed, code compiled).
    await Promise.all([0, 1, 2, 3].map(() => pool.request('scoreRows', { key: 'bench', json, rows: batch.slice(), cols })));
    const batches = 40;
    const started = performance.now();
    await Promise.all(Array.from({ length: batches }, () => pool.request('scoreRows', { key: 'bench', json, rows: batch.slice(), cols })));
    const seconds = (performance.now() - started) / 1000;
    scoring = { rowsPerSecond: (batches * batchRows) / seconds, batches, batchRows };

    const bars = syntheticBars({ count: 50_000, seed: 4, interval: 60_000 });
    const delay = monitorEventLoopDelay({ resolution: LOOP_RESOLUTION_MS });
    delay.enable();
    const trainStart = performance.now();
    await pool.request('train', { algorithm: 'gbdt', bars: packBars(bars, { shared: true }), target: { kind: 'direction', horizon: 12, threshold: 0.002 }, params: { rounds: 200, maxDepth: 6, maxLeaves: 63 }, folds: 4 });
    const trainSeconds = (performance.now() - trainStart) / 1000;
    delay.disable();
    const late = (ns: number) => Math.max(0, ns / 1e6 - LOOP_RESOLUTION_MS);
    training = { seconds: trainSeconds, bars: bars.length, loopDelayP99Ms: late(delay.percentile(99)), loopDelayMaxMs: late(delay.max) };
  } finally {
    await pool.stop();
  }
  results.mlWorkers = { scoring, training };
  return [
    { name: 'Models: scoring a 100-tree model over 32 features, 2 ML workers, rows/s', value: fmt(scoring.rowsPerSecond), target: '≥ 100,000', met: scoring.rowsPerSecond >= 100_000 },
    { name: `Models: training in an ML worker, ${fmt(training.bars)} one-minute bars (20 features, 4 folds + final, 200 rounds each), s`, value: fmt(training.seconds, 1), target: '—', met: null },
    { name: 'Models: main-thread event-loop delay while a training runs, p99 ms', value: fmt(training.loopDelayP99Ms, 1), target: '≤ 5', met: training.loopDelayP99Ms <= 5 },
    { name: 'Models: main-thread event-loop delay while a training runs, max ms', value: fmt(training.loopDelayMaxMs, 1), target: '—', met: null },
  ];
}
