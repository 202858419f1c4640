/** The built-in strategies, in the order the catalog lists them. */
import type { StrategyDefinition } from '../definition';
import { breakout } from './breakout';
import { emaAtrTrend } from './emaAtrTrend';
import { grid } from './grid';
import { mlScored } from './mlScored';
import { rsiReversion } from './rsiReversion';
import { smaCross } from './smaCross';

export const BUILTIN_STRATEGIES: readonly StrategyDefinition[] = [smaCross, emaAtrTrend, rsiReversion, breakout, grid, mlScored].map(
  (definition) => definition as unknown as StrategyDefinition,
);
