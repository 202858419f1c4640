/**
 * SMA cross: the classic trend follower, and the strategy the reference
 * backtests run. Long when the fast average crosses above the slow one,
 * short when it crosses below, always in the market after the first cross.
 */
import { defineStrategy } from '../definition';
import { crossedAbove, crossedBelow } from '../indicators';

export interface SmaCrossParams {
  [name: string]: number | boolean | string;
  fast: number;
  slow: number;
  allowShort: boolean;
  allInShare: number;
}

export const smaCross = defineStrategy<SmaCrossParams>({
  type: 'sma-cross',
  name: 'SMA cross',
  summary: 'Long when the fast moving average crosses above the slow one, short when it crosses below; all-in.',
  explanation: [
    'Two simple moving averages of the close, a fast and a slow one. On each closed bar: if the fast average was below the slow one on the bar before and is above it now, the strategy closes any short and goes long with all the margin available; if it crosses below, it closes any long and goes short (or stays flat when shorting is off).',
    'A cross is strict: equal values are not a cross, and nothing is decided until both averages have a value on two bars in a row. The first decision comes on the bar after the slow average first has a value.',
    'Sizing is all-in: everything the available margin buys at the entry price after the fee, in whole lots. Leverage set on the venue multiplies it, so on a perpetual this is as aggressive as the leverage you choose. "Share of all-in" below 1 spends only that share of the margin (the pipeline lowers it to start a strategy small on a real venue).',
    'It suits markets that trend for longer than the slow window; in a range it is whipsawed, paying the fee and the spread on every cross. Try it in a backtest over several years first, and give it a daily loss limit when it trades.',
  ].join('\n\n'),
  params: [
    { name: 'fast', label: 'Fast period', type: 'int', default: 10, min: 1, max: 1000, step: 1, description: 'Bars in the fast moving average.' },
    { name: 'slow', label: 'Slow period', type: 'int', default: 20, min: 2, max: 5000, step: 1, description: 'Bars in the slow moving average.' },
    { name: 'allowShort', label: 'Go short', type: 'bool', default: true, description: 'Go short on a cross below (otherwise only close the long).' },
    { name: 'allInShare', label: 'Share of all-in', type: 'float', default: 1, min: 0.01, max: 1, step: 0.01, description: 'Share of what all-in buys (1 = all the available margin).' },
  ],
  constraints: [{ text: 'fast < slow', holds: (p) => p.fast < p.slow }],
  warmupBars: (p) => p.slow,
  create(ctx, p) {
    const size = p.allInShare === 1 ? ({ allIn: true } as const) : ({ allIn: true, share: p.allInShare } as const);
    const fast = ctx.indicators.sma(p.fast);
    const slow = ctx.indicators.sma(p.slow);
    const goLong = async (): Promise<void> => {
      await ctx.closePosition('fast SMA crossed above slow: close');
      await ctx.buy(size, 'fast SMA crossed above slow: long');
    };
    const goShort = async (): Promise<void> => {
      await ctx.closePosition('fast SMA crossed below slow: close');
      if (p.allowShort) await ctx.sell(size, 'fast SMA crossed below slow: short');
    };
    return {
      // Not async: a bar without a cross answers at once, and a backtest goes on without waiting a turn.
      onBar() {
        if (crossedAbove(fast, slow)) return goLong();
        if (crossedBelow(fast, slow)) return goShort();
        return undefined;
      },
    };
  },
});
