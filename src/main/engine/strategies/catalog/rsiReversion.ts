/**
 * RSI mean reversion: buys a sell-off once it shows signs of turning (the
 * RSI climbing back through its oversold level) and sells when the bounce
 * has run its course; optionally the mirror image short.
 */
import { defineStrategy } from '../definition';
import type { Series } from '../indicators';

export interface RsiReversionParams {
  [name: string]: number | boolean | string;
  period: number;
  oversold: number;
  exitLevel: number;
  overbought: number;
  fraction: number;
  maxHoldBars: number;
  allowShort: boolean;
}

/** Bars the open position has been held, counted by the strategy itself. */
const HELD = 'heldBars';

/** The RSI went from strictly below `level` on the bar before to at or above it now. */
function crossedUp(series: Series, level: number): boolean {
  const [now, before] = [series.at(0), series.at(1)];
  return now !== null && before !== null && before < level && now >= level;
}

function crossedDown(series: Series, level: number): boolean {
  const [now, before] = [series.at(0), series.at(1)];
  return now !== null && before !== null && before > level && now <= level;
}

export const rsiReversion = defineStrategy<RsiReversionParams>({
  type: 'rsi-reversion',
  name: 'RSI mean reversion',
  summary: 'Buys when the RSI climbs back out of oversold, sells when it reaches the exit level; a fixed share of equity per trade.',
  explanation: [
    'The Relative Strength Index measures, from 0 to 100, how much of the recent movement was up. On each closed bar: when the strategy is flat and the RSI crosses up through the oversold level (below it on the bar before, at or above it now), it buys. It sells that long when the RSI crosses up through the exit level, when the RSI is above the overbought level, or when the position has been held for the maximum number of bars. With shorting on, it does the mirror image: a short when the RSI crosses down through the overbought level, covered when it crosses down through the exit level, falls below the oversold level, or the time is up.',
    'Waiting for the cross back out of oversold, rather than buying the moment the RSI is low, avoids buying every day of a long slide; it still buys before the price has recovered much. The exit level (50 by default) takes the profit of a return to the average rather than waiting for the opposite extreme.',
    'Sizing is a fixed fraction of equity per trade (50 % by default, times the venue leverage), at the price of the moment, rounded down to whole lots. There is no stop order: the exits are the RSI and the time limit.',
    'It suits markets that swing around a level without a lasting trend, such as many currency pairs and large stock indices on daily bars, or short timeframes between news. It fares badly when a real trend starts: in a crash the RSI can leave oversold and fall straight back many times, and each entry loses. The maximum holding time caps how long a losing trade is kept, not how much it loses.',
    'Risks: without a stop order a single gap can cost far more than the usual trade makes. Keep the equity fraction moderate, set the strategy a daily loss limit, and test it on data that contains a crash before trading it.',
  ].join('\n\n'),
  params: [
    { name: 'period', label: 'RSI period', type: 'int', default: 14, min: 2, max: 500, step: 1, description: 'Bars in the RSI.' },
    { name: 'oversold', label: 'Oversold', type: 'float', default: 30, min: 1, max: 49, step: 1, description: 'A long starts when the RSI crosses up through this level.' },
    { name: 'exitLevel', label: 'Exit level', type: 'float', default: 50, min: 2, max: 98, step: 1, description: 'A long ends when the RSI crosses up through it; a short when it crosses down through it.' },
    { name: 'overbought', label: 'Overbought', type: 'float', default: 70, min: 51, max: 99, step: 1, description: 'A short starts when the RSI crosses down through this level; a long ends above it.' },
    { name: 'fraction', label: 'Equity fraction', type: 'float', default: 0.5, min: 0.01, max: 1, step: 0.01, description: 'Share of equity (times leverage) each trade is worth.' },
    { name: 'maxHoldBars', label: 'Max bars held', type: 'int', default: 20, min: 0, max: 10000, step: 1, description: 'Closes a position held this many bars; 0 = no limit.' },
    { name: 'allowShort', label: 'Go short', type: 'bool', default: false, description: 'Also trade the mirror image: short out of overbought.' },
  ],
  constraints: [{ text: 'oversold < exitLevel < overbought', holds: (p) => p.oversold < p.exitLevel && p.exitLevel < p.overbought }],
  // The RSI has its first value on bar `period` (it needs `period` changes); a cross needs that value on the bar before.
  warmupBars: (p) => p.period + 1,
  create(ctx, p) {
    const rsi = ctx.indicators.rsi(p.period);
    return {
      async onBar() {
        const value = rsi.at(0);
        if (value === null) return;
        const quantity = ctx.position().quantity;
        const level = value.toFixed(1);
        if (quantity !== 0) {
          const held = (ctx.state.get<number>(HELD) ?? 0) + 1;
          ctx.state.set(HELD, held);
          const timeUp = p.maxHoldBars > 0 && held >= p.maxHoldBars;
          if (quantity > 0) {
            if (crossedUp(rsi, p.exitLevel)) await ctx.closePosition(`RSI ${level} crossed up through ${p.exitLevel}: exit long`);
            else if (value > p.overbought) await ctx.closePosition(`RSI ${level} above ${p.overbought}: exit long`);
            else if (timeUp) await ctx.closePosition(`long held ${held} bars: exit`);
          } else {
            if (crossedDown(rsi, p.exitLevel)) await ctx.closePosition(`RSI ${level} crossed down through ${p.exitLevel}: cover short`);
            else if (value < p.oversold) await ctx.closePosition(`RSI ${level} below ${p.oversold}: cover short`);
            else if (timeUp) await ctx.closePosition(`short held ${held} bars: cover`);
          }
          if (ctx.position().quantity !== 0) return;
        }
        ctx.state.delete(HELD);
        if (crossedUp(rsi, p.oversold)) {
          await ctx.buy({ equityFraction: p.fraction }, `RSI ${level} crossed up out of oversold ${p.oversold}: long`);
        } else if (p.allowShort && crossedDown(rsi, p.overbought)) {
          await ctx.sell({ equityFraction: p.fraction }, `RSI ${level} crossed down out of overbought ${p.overbought}: short`);
        }
      },
    };
  },
});
