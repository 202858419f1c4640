/**
 * EMA trend with an ATR stop: a trend follower that risks a fixed share of
 * equity per trade. In the market on the side of the trend (fast EMA above
 * or below the slow one), with a protective stop a few ATRs away that only
 * ever moves in the trade's favour.
 */
import { Dec } from '../../../../shared/decimal';
import type { OrderSide } from '../../../../shared/domain';
import { defineStrategy } from '../definition';
import type { Series } from '../indicators';

export interface EmaAtrTrendParams {
  [name: string]: number | boolean | string;
  fast: number;
  slow: number;
  atrPeriod: number;
  stopAtr: number;
  riskFraction: number;
  allowShort: boolean;
}

type Side = 'long' | 'short';

/** The working stop, kept in state so a restart knows which order protects the position. */
interface StopState {
  orderId: string;
  price: number;
  side: Side;
}

const STOP = 'stop';
/** The side a stop took it out of: no new entry that way until the trend turns. */
const SIDELINED = 'sidelined';

function trendOf(fast: Series, slow: Series): Side | null {
  const f = fast.at(0);
  const s = slow.at(0);
  if (f === null || s === null || f === s) return null;
  return f > s ? 'long' : 'short';
}

export const emaAtrTrend = defineStrategy<EmaAtrTrendParams>({
  type: 'ema-atr-trend',
  name: 'EMA trend with ATR stop',
  summary: 'With the trend of two EMAs, sized to risk a share of equity, behind a trailing stop a few ATRs away.',
  explanation: [
    'Two exponential moving averages of the close decide the trend: up while the fast one is above the slow one, down while it is below. On each closed bar, when the strategy is flat and the trend is up it buys (when it is down, it sells short if shorting is on). While it holds a position and the trend turns the other way, it cancels its stop, closes at market and, if the new trend allows, enters the other way on the same bar.',
    'Every entry is followed at once by a reduce-only stop order at the entry price minus the stop distance (plus it, for a short), where the stop distance is the Average True Range times the ATR multiple. On each later bar the stop is moved to the close minus the stop distance whenever that is better for the trade than where it is (cancel, then replace); it never moves back. When the stop fills, the strategy stays out of that side until the trend has turned at least once, so it does not buy straight back into the move that stopped it out.',
    'Sizing is by risk: the quantity loses the risk fraction of equity (1 % by default) if the price falls from the entry to the stop, that is equity × risk ÷ stop distance, rounded down to whole lots. In very quiet markets this can ask for more than the margin pays for; the size is then capped at what the available margin buys (as the all-in sizing counts it).',
    'It suits markets that trend for weeks at a time, such as many futures and crypto pairs on daily or four-hour bars. In a sideways market it enters and exits on every small turn of the averages and pays the fee each time; the ATR stop limits each loss but not their number.',
    'Risks: a stop is a market order once triggered, so a gap through it fills worse than its price and the loss can be larger than planned. While the stop is being moved there is a moment with no stop at the venue. Fees and slippage are not in the risk sizing. Test it over several years of data first and give it a daily loss limit when it trades.',
  ].join('\n\n'),
  params: [
    { name: 'fast', label: 'Fast EMA', type: 'int', default: 20, min: 1, max: 1000, step: 1, description: 'Bars in the fast exponential moving average.' },
    { name: 'slow', label: 'Slow EMA', type: 'int', default: 50, min: 2, max: 5000, step: 1, description: 'Bars in the slow exponential moving average.' },
    { name: 'atrPeriod', label: 'ATR period', type: 'int', default: 14, min: 1, max: 1000, step: 1, description: 'Bars in the Average True Range that sets the stop distance.' },
    { name: 'stopAtr', label: 'Stop (ATR multiple)', type: 'float', default: 3, min: 0.5, max: 20, step: 0.5, description: 'Stop distance from the entry (and for the trail, from the close) in ATRs.' },
    { name: 'riskFraction', label: 'Risk per trade', type: 'float', default: 0.01, min: 0.001, max: 0.1, step: 0.001, description: 'Share of equity lost if the stop is hit at its price (0.01 = 1 %).' },
    { name: 'allowShort', label: 'Go short', type: 'bool', default: true, description: 'Trade the down trend short too (otherwise only long, flat in a down trend).' },
  ],
  constraints: [{ text: 'fast < slow', holds: (p) => p.fast < p.slow }],
  warmupBars: (p) => Math.max(p.slow, p.atrPeriod),
  create(ctx, p) {
    const fast = ctx.indicators.ema(p.fast);
    const slow = ctx.indicators.ema(p.slow);
    const atr = ctx.indicators.atr(p.atrPeriod);
    const tick = Dec.parse(ctx.instrument().tickSize);
    /** A stop level on the tick, rounded away from the market (down for a long's stop, up for a short's), as the order will carry it. */
    const stopLevel = (side: Side, price: number): number => {
      const exact = Dec.fromNumber(price);
      return (side === 'long' ? exact.floorTo(tick) : exact.ceilTo(tick)).toNumber();
    };
    const text = (price: number): string => Dec.fromNumber(price).toString();

    const stopOf = (): StopState | null => ctx.state.get<StopState>(STOP) ?? null;
    const stopWorking = (stop: StopState): boolean => ctx.openOrders().some((o) => o.id === stop.orderId);

    const dropStop = async (): Promise<void> => {
      const stop = stopOf();
      if (!stop) return;
      ctx.state.delete(STOP);
      if (stopWorking(stop)) await ctx.cancel(stop.orderId);
    };

    /** Places the stop for the open position; answers false when the price is already through it. */
    const placeStop = async (side: Side, price: number, reason: string): Promise<boolean> => {
      const last = ctx.quote().last;
      // A stop already crossed would fire at once (and the venue refuses it): the trail waits for a better bar.
      if (side === 'long' ? price >= last : price <= last) return false;
      const quantity = Math.abs(ctx.position().quantity);
      const order = await ctx.submit({
        side: side === 'long' ? 'sell' : 'buy',
        type: 'stop',
        stopPrice: price,
        size: { quantity },
        reduceOnly: true,
        reason,
      });
      if (!order) return false;
      ctx.state.set(STOP, { orderId: order.id, price, side } satisfies StopState);
      return true;
    };

    const enter = async (side: Side, distance: number): Promise<void> => {
      const orderSide: OrderSide = side === 'long' ? 'buy' : 'sell';
      const quantity = Math.min(ctx.size.risk(p.riskFraction, distance), ctx.size.allIn(orderSide));
      const what = side === 'long' ? 'fast EMA above slow: long' : 'fast EMA below slow: short';
      if (!(quantity > 0)) {
        ctx.signal(`${what}, but the risk size is under one lot: no entry`);
        return;
      }
      const order = await ctx.submit({ side: orderSide, size: { quantity }, reason: `${what}, risking ${Number((p.riskFraction * 100).toPrecision(6))}% of equity` });
      const entry = ctx.position().entryPrice;
      if (!order || entry === null) return;
      const price = stopLevel(side, side === 'long' ? entry - distance : entry + distance);
      await placeStop(side, price, `${what}; stop at ${text(price)}`);
    };

    const trail = async (side: Side, close: number, distance: number): Promise<void> => {
      const stop = stopOf();
      const candidate = stopLevel(side, side === 'long' ? close - distance : close + distance);
      if (stop && stopWorking(stop)) {
        const better = side === 'long' ? candidate - stop.price : stop.price - candidate;
        if (better < tick.toNumber() / 2) return;
        const last = ctx.quote().last;
        if (side === 'long' ? candidate >= last : candidate <= last) return;
        ctx.state.delete(STOP);
        await ctx.cancel(stop.orderId);
        if (await placeStop(side, candidate, `trail ${side} stop to ${text(candidate)}`)) return;
        // The new stop could not be placed: the old level still protects better than nothing.
        await placeStop(side, stop.price, `keep ${side} stop at ${text(stop.price)}`);
        return;
      }
      // No working stop (canceled outside the strategy, or a restart lost it): put one back.
      if (!(await placeStop(side, candidate, `${side} without a stop: stop at ${text(candidate)}`))) {
        ctx.state.delete(STOP);
        await ctx.closePosition(`${side} without a stop and the price is past the stop level: close`);
      }
    };

    return {
      async onBar(bar) {
        const trend = trendOf(fast, slow);
        const range = atr.at(0);
        if (trend === null || range === null) return;
        const distance = range * p.stopAtr;
        const sidelined = ctx.state.get<Side>(SIDELINED) ?? null;
        if (sidelined !== null && trend !== sidelined) ctx.state.delete(SIDELINED);
        const blocked = sidelined === trend;

        let quantity = ctx.position().quantity;
        const holding: Side | null = quantity > 0 ? 'long' : quantity < 0 ? 'short' : null;
        if (holding !== null && holding !== trend) {
          await dropStop();
          await ctx.closePosition(`trend turned ${trend === 'long' ? 'up' : 'down'}: close ${holding}`);
          quantity = ctx.position().quantity;
        }
        if (quantity === 0) {
          // A stop left from a position closed some other way must not open a new one.
          await dropStop();
          if (blocked) return;
          if (trend === 'long' || p.allowShort) await enter(trend, distance);
          return;
        }
        await trail(quantity > 0 ? 'long' : 'short', bar.close, distance);
      },
      onFill(fill) {
        const stop = stopOf();
        if (!stop || fill.orderId !== stop.orderId) return;
        if (ctx.position().quantity !== 0) return;
        ctx.state.delete(STOP);
        ctx.state.set(SIDELINED, stop.side);
        ctx.signal(`${stop.side} stopped out at ${fill.price}: no new ${stop.side} until the trend turns`);
      },
    };
  },
});
