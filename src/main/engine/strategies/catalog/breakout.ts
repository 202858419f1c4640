/**
 * Channel breakout: enters when the close leaves the channel the bars
 * before it drew (Donchian: the highest high and lowest low; Bollinger: the
 * average ± a few standard deviations) and leaves when the price falls back
 * to the channel's middle.
 */
import { defineStrategy } from '../definition';
import type { Bands } from '../indicators';

export interface BreakoutParams {
  [name: string]: number | boolean | string;
  channel: string;
  period: number;
  deviations: number;
  fraction: number;
  allowShort: boolean;
}

export const CHANNELS = ['donchian', 'bollinger'] as const;

/** A band for the log: six significant digits whatever the price scale. */
const shown = (value: number): string => String(Number(value.toPrecision(6)));

export const breakout = defineStrategy<BreakoutParams>({
  type: 'breakout',
  name: 'Bollinger/Donchian breakout',
  summary: 'Long on a close above the previous bar’s upper band, short below its lower band, out at the middle band.',
  explanation: [
    'A channel is drawn over the last bars: the Donchian channel is the highest high and the lowest low of the period, with the middle halfway between; Bollinger bands are the moving average of the close plus and minus a number of standard deviations. On each closed bar the strategy compares the close with the channel as it stood on the bar before, so that the bar being judged is not part of its own threshold (a Donchian channel always contains its own last bar, so comparing with it could never break out).',
    'A close above the previous upper band opens a long; with shorting on, a close below the previous lower band opens a short. A long is closed when the close falls below the current middle band, a short when it rises above it; if that same close is also a breakout the other way, the new position is opened on the same bar.',
    'Sizing is a fixed fraction of equity per trade (50 % by default, times the venue leverage) at the price of the moment, rounded down to whole lots.',
    'Breakouts suit markets that move in bursts after quiet spells: commodities, crypto and currencies around news, on four-hour or daily bars. Most breakouts fail; the strategy lives on the few that run far, so expect many small losses and a low share of winning trades. A longer period trades less and catches bigger moves; Bollinger bands widen with volatility, so they break out less often after a wild spell than a Donchian channel.',
    'Risks: the exit at the middle band can be far from the entry when the channel is wide, so a failed breakout can cost a good part of the channel’s width. Entries come on strong closes and fill at the next price, often after a gap in the same direction. There is no stop order between bars. Test it over several years of data and give it a daily loss limit when it trades.',
  ].join('\n\n'),
  params: [
    { name: 'channel', label: 'Channel', type: 'enum', default: 'donchian', options: CHANNELS, description: 'Donchian (highest high / lowest low) or Bollinger (average ± standard deviations).' },
    { name: 'period', label: 'Period', type: 'int', default: 20, min: 2, max: 1000, step: 1, description: 'Bars in the channel.' },
    { name: 'deviations', label: 'Deviations', type: 'float', default: 2, min: 0.5, max: 5, step: 0.1, description: 'Bollinger only: standard deviations from the average to each band.' },
    { name: 'fraction', label: 'Equity fraction', type: 'float', default: 0.5, min: 0.01, max: 1, step: 0.01, description: 'Share of equity (times leverage) each trade is worth.' },
    { name: 'allowShort', label: 'Go short', type: 'bool', default: true, description: 'Short a close below the lower band (otherwise only long).' },
  ],
  // The channel has its first value on bar `period − 1`; the first breakout compares bar `period` with it.
  warmupBars: (p) => p.period,
  create(ctx, p) {
    const bands: Bands = p.channel === 'bollinger' ? ctx.indicators.bollinger(p.period, p.deviations) : ctx.indicators.donchian(p.period);
    return {
      async onBar(bar) {
        const upper = bands.upper.at(1);
        const lower = bands.lower.at(1);
        const middle = bands.middle.at(0);
        if (upper === null || lower === null || middle === null) return;
        const quantity = ctx.position().quantity;
        if (quantity > 0 && bar.close < middle) await ctx.closePosition(`close ${bar.close} below the middle band ${shown(middle)}: exit long`);
        else if (quantity < 0 && bar.close > middle) await ctx.closePosition(`close ${bar.close} above the middle band ${shown(middle)}: cover short`);
        if (ctx.position().quantity !== 0) return;
        if (bar.close > upper) await ctx.buy({ equityFraction: p.fraction }, `close ${bar.close} above the ${p.channel} upper band ${shown(upper)}: long`);
        else if (p.allowShort && bar.close < lower) await ctx.sell({ equityFraction: p.fraction }, `close ${bar.close} below the ${p.channel} lower band ${shown(lower)}: short`);
      },
    };
  },
});
