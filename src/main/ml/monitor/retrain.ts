/**
 * Retraining a version: a new version of the same name, trained with the
 * same recipe (algorithm, features, target, tree parameters, maximum age) on
 * the same data source over its most recent window, as long as the
 * version's own training window and ending at the data's end (now, for a
 * venue's history). The new version is a candidate whose parent is the
 * version retrained; activating it is the trader's decision. Only one
 * training of a name runs at a time.
 */
import { backtestDataSchema, type BacktestData } from '../../../shared/contract/backtests';
import type { JobView, TrainModelParams } from '../../../shared/contract/ml';
import { KeelError } from '../../../shared/errors';
import type { ModelRecord } from '../../../shared/models';
import type { ModelRegistry } from '../registry/modelRegistry';
import { DATA_KEY, type TrainOptions } from '../training/trainingService';
import { forestParamsSchema, gbdtParamsSchema } from '../trees';

/** What retraining needs of the training service. */
export interface TrainingPort {
  /** Loads the data, then starts the job (a range too short is refused before a job exists). */
  train(params: TrainModelParams, options: TrainOptions): Promise<{ jobId: string }>;
  list(): JobView[];
  reportFailed(name: string, error: string): JobView;
}

export interface RetrainPlan {
  params: TrainModelParams;
  options: Required<TrainOptions>;
}

/** Parameters that follow from the target rather than being chosen: the training service sets them again. */
const IMPLIED_PARAMS = new Set(['objective', 'task', 'numClasses']);

/** How to retrain a version, or a typed error saying why it cannot be. */
export function retrainPlan(record: ModelRecord): RetrainPlan {
  const name = `${record.name} v${record.version}`;
  if (record.algorithm !== 'gbdt' && record.algorithm !== 'random-forest') {
    throw new KeelError('VALIDATION_FAILED', `${name} is ${record.algorithm === 'onnx' ? 'an imported ONNX model' : 'an online model'}: Keel cannot retrain it. Import or train a new version instead.`, { id: record.id });
  }
  const data = backtestDataSchema.safeParse(record.trainingParams[DATA_KEY]);
  if (!data.success || record.trainingWindow === null) {
    throw new KeelError('INVALID_STATE', `${name} does not record the data it was trained on (it was trained before versions kept it): train a new version from the form.`, { id: record.id });
  }
  const schema = record.algorithm === 'gbdt' ? gbdtParamsSchema : forestParamsSchema;
  const params: Record<string, number | string | boolean> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = record.trainingParams[key];
    if (IMPLIED_PARAMS.has(key)) continue;
    if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') params[key] = value;
  }
  return {
    params: {
      name: record.name,
      algorithm: record.algorithm,
      data: latestOf(data.data),
      features: [...record.features],
      target: record.target,
      params,
      ...(record.maxAgeMs !== null ? { maxAgeMs: record.maxAgeMs } : {}),
    },
    options: { parentId: record.id, lastMs: record.trainingWindow.to - record.trainingWindow.from },
  };
}

/** The same source up to its end: a venue's history without the range it was cut to (the window is cut from its end). */
function latestOf(data: BacktestData): BacktestData {
  return 'dataset' in data ? data : { venue: data.venue, symbol: data.symbol, timeframe: data.timeframe };
}

export class ModelRetrainer {
  /** Names whose retrain is loading its data: no job is listed yet, and a second retrain must not start. */
  private readonly starting = new Set<string>();

  constructor(
    private readonly registry: Pick<ModelRegistry, 'get'>,
    private readonly training: TrainingPort,
  ) {}

  /** Starts retraining a version; answers its job. Refused while a training of the same name runs. */
  async retrain(id: string): Promise<{ jobId: string }> {
    const record = this.registry.get(id);
    const plan = retrainPlan(record);
    if (this.running(record.name)) {
      throw new KeelError('INVALID_STATE', `A training of ${record.name} is already running: wait for it, or cancel it, before retraining.`, { name: record.name });
    }
    this.starting.add(record.name);
    try {
      return await this.training.train(plan.params, plan.options);
    } finally {
      this.starting.delete(record.name);
    }
  }

  /** True while a training of `name` runs or is starting. */
  running(name: string): boolean {
    return this.starting.has(name) || this.training.list().some((j) => j.name === name && j.status === 'running');
  }
}
