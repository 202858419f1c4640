import { describe, expect, it } from 'vitest';
import { optimizeParams } from '../../../shared/contract/backtests';
import { mlScored } from '../../engine/strategies/catalog/mlScored';
import type { StrategyDefinition } from '../../engine/strategies/definition';
import { planSearch } from './searchPlan';

const definition = mlScored as unknown as StrategyDefinition;
const plan = (strategy: Record<string, unknown>) => planSearch(definition, optimizeParams.parse({ strategy: { type: 'ml-scored', ...strategy }, data: { dataset: 'd' }, method: 'random', maxTrials: 4 }));

describe('planning a search of a strategy with a model parameter', () => {
  it('checks each searched range with the fixed values, so a fixed model is enough', () => {
    const searched = plan({ params: { model: 'btc-direction' }, space: { threshold: { min: 0.4, max: 0.8 } } });
    expect(searched.fixed).toMatchObject({ model: 'btc-direction' });
    expect(searched.space.params.threshold).toEqual({ kind: 'float', min: 0.4, max: 0.8 });
    expect(plan({ params: { model: 'btc-direction' }, space: { regimeGate: { values: ['off', 'trending'] } } }).space.params.regimeGate).toEqual({ kind: 'choice', values: ['off', 'trending'] });
  });

  it('still refuses a search without a model, and a range out of bounds', () => {
    expect(() => plan({ space: { threshold: { min: 0.4, max: 0.8 } } })).toThrow(/must name a model/);
    expect(() => plan({ params: { model: 'btc-direction' }, space: { threshold: { min: 0.1, max: 0.8 } } })).toThrow(/Confidence threshold/);
  });
});
