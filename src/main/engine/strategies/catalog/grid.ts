/**
 * Grid: a ladder of resting limit orders around a centre price that buys
 * each step down and sells each step up, earning the spacing every time the
 * price swings across a level and back. Driven by its own fills; the bars
 * only decide when the price has left the ladder and it must be laid again.
 */
import { Dec } from '../../../../shared/decimal';
import type { OrderSide } from '../../../../shared/domain';
import { defineStrategy } from '../definition';

export interface GridParams {
  [name: string]: number | boolean | string;
  levels: number;
  spacingPct: number;
  levelValue: number;
  centre: number;
  recentreAfterLevels: number;
  flattenOnRecentre: boolean;
}

/** One working order of the ladder; `remaining` is an exact decimal so partial fills add up. */
interface Rung {
  level: number;
  side: OrderSide;
  remaining: string;
}

/** The ladder, kept in state so a restart knows which of its orders are the grid's and where they sit. */
interface GridState {
  centre: number;
  rungs: Record<string, Rung>;
}

const GRID = 'grid';
const ENDED = new Set(['canceled', 'rejected', 'expired']);

export const grid = defineStrategy<GridParams>({
  type: 'grid',
  name: 'Grid',
  summary: 'A ladder of limit orders around a centre: buys each step down, sells each step up, and takes the spacing on every swing back.',
  explanation: [
    'The strategy lays a symmetric ladder of resting limit orders around a centre price: buy orders at 1, 2, … levels below it and sell orders at as many levels above, one level every spacing percent of the centre. The centre is the last close when the ladder is laid, unless a fixed centre is given. Each order is worth the value per level in the quote currency, rounded down to whole lots.',
    'Everything else follows from its fills. When a buy fills at a level, it places a sell of the same quantity one level higher; when a sell fills, a buy one level lower. Each such pair, once both sides fill, earns one spacing on that quantity less the fees. Sell orders above the centre open a short when the strategy holds nothing, so the grid is neutral: it ends up long when the price has fallen into the lower half and short when it has risen into the upper half. The ladder and which order sits on which level are kept in the strategy’s state.',
    'When a close is outside the ladder by more than the re-centre distance (in levels beyond the outermost one), the strategy cancels all its orders, closes its position at market (unless that is switched off) and lays a new ladder around the close. A ladder whose orders are all gone is laid again around the close too. A fixed centre is only used for the first ladder.',
    'A grid suits a market that ranges: it profits from the back-and-forth itself, the more swings across its levels the better, and the spacing should be well above twice the fee. Limit orders are usually charged the lower maker fee.',
    'Its risk is a trend. As the price walks away from the centre the grid builds a growing position against the move, up to all the levels on one side, and re-centring with the position closed turns that loss into a realized one. Without closing, the old position stays open and the new ladder adds to it. Keep the value per level small next to the account, set a daily loss limit, and do not run it in backtests with exclusive orders (each new order would cancel the ladder).',
  ].join('\n\n'),
  params: [
    { name: 'levels', label: 'Levels per side', type: 'int', default: 5, min: 1, max: 50, step: 1, description: 'Buy orders below the centre and sell orders above it, this many each.' },
    { name: 'spacingPct', label: 'Spacing %', type: 'float', default: 1, min: 0.05, max: 20, step: 0.05, description: 'Distance between levels, in percent of the centre.' },
    { name: 'levelValue', label: 'Value per level', type: 'float', default: 500, min: 1, max: 1e9, step: 50, description: 'What each order is worth in the quote currency.' },
    { name: 'centre', label: 'Centre', type: 'float', default: 0, min: 0, description: 'Price at the middle of the first ladder; 0 = the last close.' },
    { name: 'recentreAfterLevels', label: 'Re-centre after', type: 'int', default: 2, min: 0, max: 100, step: 1, description: 'Lay a new ladder around the close when it is this many levels beyond the outermost one (0 = as soon as a close is outside).' },
    { name: 'flattenOnRecentre', label: 'Close on re-centre', type: 'bool', default: true, description: 'Close the position at market before laying a new ladder.' },
  ],
  constraints: [{ text: 'levels × spacingPct < 100 (the lowest buy above zero)', holds: (p) => p.levels * p.spacingPct < 100 }],
  // No indicators; one closed bar gives the centre, so live a ladder can be laid at start rather than a bar later.
  warmupBars: () => 1,
  create(ctx, p) {
    const step = p.spacingPct / 100;
    const load = (): GridState | null => ctx.state.get<GridState>(GRID) ?? null;
    const save = (state: GridState): void => ctx.state.set(GRID, state);
    const priceOf = (state: GridState, level: number): number => state.centre * (1 + level * step);

    const place = async (state: GridState, side: OrderSide, level: number, quantity: number | string, reason?: string): Promise<void> => {
      const order = await ctx.submit({ side, type: 'limit', price: priceOf(state, level), size: { quantity }, ...(reason ? { reason } : {}) });
      if (!order) return;
      state.rungs[order.id] = { level, side, remaining: order.quantity };
      save(state);
    };

    const lay = async (centre: number, why: string): Promise<void> => {
      const state: GridState = { centre, rungs: {} };
      save(state);
      ctx.signal(`${why}: ${p.levels} levels each side of ${centre}, ${p.spacingPct}% apart`);
      for (let k = 1; k <= p.levels; k++) {
        for (const [side, level] of [['buy', -k], ['sell', k]] as const) {
          const quantity = ctx.size.fixed(p.levelValue / priceOf(state, level));
          if (quantity > 0) await place(state, side, level, quantity);
          else ctx.log.warn(`level ${level}: ${p.levelValue} buys less than one lot; no order there`);
        }
      }
    };

    /** How many levels beyond the outermost one `price` is (0 or less: inside the ladder). */
    const beyond = (state: GridState, price: number): number => Math.abs(price / state.centre - 1) / step - p.levels;

    return {
      async onStart() {
        const saved = load();
        if (saved) {
          // After a restart only the orders still working belong to the ladder; the rest were canceled or filled while it was stopped.
          const open = new Set(ctx.openOrders().map((o) => o.id));
          const rungs = Object.fromEntries(Object.entries(saved.rungs).filter(([id]) => open.has(id)));
          if (Object.keys(rungs).length > 0) {
            save({ centre: saved.centre, rungs });
            return;
          }
          ctx.state.delete(GRID);
        }
        const last = ctx.bars(1)[0];
        if (last) await lay(p.centre > 0 ? p.centre : last.close, 'grid laid');
      },
      async onBar(bar) {
        const state = load();
        if (!state) {
          await lay(p.centre > 0 ? p.centre : bar.close, 'grid laid');
          return;
        }
        if (Object.keys(state.rungs).length === 0) {
          // Every order of the ladder is gone (canceled from outside, or refused when placed): a grid without orders does nothing.
          await lay(bar.close, 'grid had no orders left');
          return;
        }
        const out = beyond(state, bar.close);
        if (out <= p.recentreAfterLevels) return;
        await ctx.cancelAll();
        ctx.state.delete(GRID);
        if (p.flattenOnRecentre) await ctx.closePosition(`close ${bar.close} is ${out.toFixed(1)} levels outside the grid: close`);
        await lay(bar.close, `close ${bar.close} left the grid`);
      },
      async onFill(fill) {
        const state = load();
        const rung = state?.rungs[fill.orderId];
        if (!state || !rung) return;
        const remaining = Dec.parse(rung.remaining).sub(Dec.parse(fill.quantity));
        if (remaining.isPositive()) rung.remaining = remaining.toString();
        else delete state.rungs[fill.orderId];
        save(state);
        const [side, level] = rung.side === 'buy' ? (['sell', rung.level + 1] as const) : (['buy', rung.level - 1] as const);
        const done = rung.side === 'buy' ? 'bought' : 'sold';
        await place(state, side, level, fill.quantity, `${done} ${fill.quantity} at level ${rung.level} (${fill.price}): ${side} at level ${level}`);
      },
      onOrder(order) {
        if (!ENDED.has(order.status)) return;
        const state = load();
        if (!state?.rungs[order.id]) return;
        delete state.rungs[order.id];
        save(state);
      },
    };
  },
});
