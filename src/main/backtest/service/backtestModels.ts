/**
 * The models a backtest of a model-driven strategy scores, resolved in the
 * main process when it is submitted: each reference its parameters make
 * (fixed, or each value a search tries) becomes the version it names then,
 * with its record and stored model, handed to the worker with the job. A
 * reference that names nothing usable refuses the run before anything is
 * stored (VALIDATION_FAILED naming the parameter and the model). A version
 * past its maximum age may still be backtested: the past is replayed.
 */
import type { StrategyParams } from '../../../shared/contract/strategies';
import { KeelError } from '../../../shared/errors';
import { checkModelParam, modelParams, type StrategyDefinition } from '../../engine/strategies/definition';
import type { BacktestModels } from '../../ml/scoring/backtestScoring';
import type { ResolvedModel } from '../../ml/scoring/modelVersions';

/** Finds the version a reference names now, with its stored model (the model registry fits, through `resolveModel`). */
export interface BacktestModelResolver {
  resolve(ref: string): ResolvedModel;
}

/**
 * Every model the runs of `definition` will score: the references in
 * `fixed`, and those among the values `searched` tries. Empty for a
 * strategy without model parameters.
 */
export function resolveBacktestModels(
  definition: StrategyDefinition,
  fixed: StrategyParams,
  resolver: BacktestModelResolver | undefined,
  searched: Readonly<Record<string, readonly unknown[]>> = {},
): BacktestModels {
  const names = modelParams(definition);
  const models: BacktestModels = {};
  if (names.length === 0) return models;
  if (!resolver) throw new KeelError('VALIDATION_FAILED', `${definition.name} scores models, and backtests here have no model registry`);
  for (const name of names) {
    const refs = name in searched ? searched[name]!.map(String) : [String(fixed[name] ?? '')];
    for (const ref of refs) {
      if (Object.hasOwn(models, ref)) continue;
      checkModelParam(definition, name, ref, {
        check: (r) => {
          models[r] = resolver.resolve(r);
        },
      });
    }
  }
  return models;
}
