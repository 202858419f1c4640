/**
 * Histogram trees: training time of gradient-boosted trees on 50,000 rows ×
 * 32 features × 200 rounds (binary log loss, depth 6, up to 63 leaves), and
 * single-thread scoring throughput of a 100-tree model over 32 features (the
 * worker pool's target is 100,000 rows/s on 2 workers). A 50-tree random
 * forest on 5,000 × 20 rows is timed too, the size the research notes
 * compared npm's forests on. Sizes can be lowered for a quick look:
 * KEEL_BENCH_TREE_ROWS (default 50,000), KEEL_BENCH_TREE_ROUNDS (200).
 */
import { modelStats, predict, trainForest, trainGbdt, type TreeModel } from '../src/main/ml/trees';
import { syntheticData } from '../src/main/ml/trees/syntheticData';

interface BenchRow {
  name: string;
  value: string;
  target: string;
  met: boolean | null;
}

function envCount(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** Best of a few timed passes over the rows, after a warm-up pass. */
function scoringRowsPerSecond(model: TreeModel, data: ReturnType<typeof syntheticData>): number {
  const out = new Float64Array(data.x.rows * 2);
  predict(model, data.x, out);
  let best = Infinity;
  for (let pass = 0; pass < 5; pass++) {
    const start = performance.now();
    predict(model, data.x, out);
    best = Math.min(best, performance.now() - start);
  }
  return data.x.rows / (best / 1000);
}

export function mlTreesRows(results: Record<string, unknown>): BenchRow[] {
  const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
  const rows = envCount('KEEL_BENCH_TREE_ROWS', 50_000);
  const rounds = envCount('KEEL_BENCH_TREE_ROUNDS', 200);
  const cols = 32;
  const data = syntheticData({ rows, cols, seed: 1, noise: 0.5, float32: true });

  const start = performance.now();
  const { model, log } = trainGbdt({ x: data.x, y: data.binary }, { objective: 'binary', rounds, learningRate: 0.1, maxDepth: 6, maxLeaves: 63 });
  const trainSeconds = (performance.now() - start) / 1000;

  const scoring = { ...model, trees: model.trees.slice(0, 100) };
  const rowsPerSecond = scoringRowsPerSecond(scoring, data);
  const stats = modelStats(scoring);

  const small = syntheticData({ rows: 5_000, cols: 20, seed: 2, noise: 0.3 });
  const forestStart = performance.now();
  trainForest({ x: small.x, y: small.binary }, { task: 'classification', trees: 50, maxDepth: 8, seed: 1 });
  const forestSeconds = (performance.now() - forestStart) / 1000;

  results.mlTrees = { rows, cols, rounds, trainSeconds, finalTrainLoss: log.trainLoss.at(-1), scoringRowsPerSecond: rowsPerSecond, scoringModel: stats, forestSeconds };
  return [
    { name: `Trees: boosting ${fmt(rows)} × ${cols} × ${rounds} rounds (depth 6, 63 leaves), s`, value: fmt(trainSeconds, 2), target: '—', met: null },
    { name: 'Trees: scoring a 100-tree model over 32 features, one thread, rows/s', value: fmt(rowsPerSecond), target: '—', met: null },
    { name: 'Trees: that 100-tree model as JSON, KB', value: fmt(stats.jsonBytes / 1024, 1), target: '—', met: null },
    { name: 'Trees: random forest, 50 trees of depth 8 on 5,000 × 20, s', value: fmt(forestSeconds, 2), target: '—', met: null },
  ];
}
