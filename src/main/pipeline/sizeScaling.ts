/**
 * Live starts small: a card entering Live trades at a share of its paper
 * size. Each built-in family sizes through one or two declared parameters
 * (a share of equity, a risk share, a share of all-in, a value per order or
 * level); the factor multiplies those. A strategy with no such parameter has
 * nothing to scale, and is refused below full size rather than started at a
 * size it was not asked for.
 */
import type { StrategyParams } from '../../shared/contract/strategies';
import { KeelError } from '../../shared/errors';
import type { StrategyDefinition } from '../engine/strategies/definition';

/** The parameters that set an order's size, by their names in the catalog. */
export const SIZE_PARAMETERS: readonly string[] = ['fraction', 'riskFraction', 'equityFraction', 'allInShare', 'orderValue', 'levelValue'];

export function scaleSize(definition: Pick<StrategyDefinition, 'type' | 'params'>, params: StrategyParams, factor: number): StrategyParams {
  if (!(factor > 0 && factor <= 1)) throw new KeelError('VALIDATION_FAILED', `The size factor must be above 0 and at most 1; got ${factor}`);
  const specs = definition.params.filter((spec) => SIZE_PARAMETERS.includes(spec.name) && (spec.type === 'float' || spec.type === 'int'));
  if (factor === 1) return { ...params };
  if (specs.length === 0) {
    throw new KeelError('VALIDATION_FAILED', `${definition.type} has no size parameter to scale ; it can go live only at size factor 1`);
  }
  const scaled: StrategyParams = { ...params };
  for (const spec of specs) {
    const value = params[spec.name] ?? spec.default;
    if (typeof value !== 'number') continue;
    const reduced = value * factor;
    if (spec.min !== undefined && spec.min !== null && reduced < spec.min) {
      throw new KeelError('VALIDATION_FAILED', `${spec.label} ${value} × ${factor} = ${reduced} is below its minimum ${spec.min}`);
    }
    scaled[spec.name] = spec.type === 'int' ? Math.max(1, Math.floor(reduced)) : reduced;
  }
  return scaled;
}
