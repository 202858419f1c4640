/**
 * One contract suite, run over every transport (Electron IPC and the
 * WebSocket host): a method added once must behave the same in both. It
 * drives a real engine, paper venue and SQLite journal.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { methods, type InvokeOutcome, type MethodName, type MethodResult } from '../../src/shared/contract';
import { Dec } from '../../src/shared/decimal';
import type { Order } from '../../src/shared/domain';

export interface ContractClient {
  call(method: string, params: unknown): Promise<InvokeOutcome>;
  /** Events received so far, in arrival order. */
  events: Array<{ topic: string; data: unknown }>;
  close(): Promise<void>;
}

const BTC = { venue: 'paper', symbol: 'BTC/USDT:USDT' } as const;

/**
 * `source`: what orders placed through this transport's client are stamped
 * with — the desktop window is a person ('manual'); a WebSocket script
 * without the page's Origin is the automation API ('api').
 */
export function contractSuite(transport: string, connect: () => Promise<ContractClient>, source: 'manual' | 'api'): void {
  describe(`contract over ${transport}`, () => {
    let client: ContractClient;

    beforeAll(async () => {
      client = await connect();
      const subscribed = await client.call('events.subscribe', { topics: ['orders.updated', 'fills.new', 'positions.updated', 'market.tick'] });
      expect(subscribed.ok).toBe(true);
    });
    afterAll(async () => client.close());

    async function ok<M extends MethodName>(method: M, params: unknown): Promise<MethodResult<M>> {
      const outcome = await client.call(method, params);
      if (!outcome.ok) throw new Error(`${method} failed: ${outcome.error.code} ${outcome.error.message}`);
      // Every result must be exactly what the contract says.
      return (methods[method].result as unknown as z.ZodType<MethodResult<M>>).parse(outcome.result);
    }

    async function error(method: string, params: unknown) {
      const outcome = await client.call(method, params);
      if (outcome.ok) throw new Error(`${method} unexpectedly succeeded`);
      return outcome.error;
    }

    async function waitFor(predicate: () => boolean, what: string): Promise<void> {
      for (let i = 0; i < 200; i += 1) {
        if (predicate()) return;
        await new Promise((r) => setTimeout(r, 10));
      }
      throw new Error(`timed out waiting for ${what}`);
    }

    it('system.info names Keel and a ready paper venue', async () => {
      const info = await ok('system.info', {});
      expect(info.name).toBe('Keel');
      expect(info.venues).toEqual([expect.objectContaining({ venue: 'paper', state: 'ready', paper: true })]);
    });

    it('market.instruments lists the three perpetuals with precision and fees', async () => {
      const instruments = await ok('market.instruments', {});
      expect(instruments.map((i) => i.symbol)).toEqual(expect.arrayContaining(['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT']));
      for (const i of instruments) expect(Number(i.tickSize)).toBeGreaterThan(0);
    });

    it('market.candles serves at least 24 hours of 1m history and every timeframe', async () => {
      const oneMinute = await ok('market.candles', { ...BTC, timeframe: '1m', limit: 1440 });
      expect(oneMinute).toHaveLength(1440);
      for (let i = 1; i < oneMinute.length; i += 1) expect(oneMinute[i]!.time - oneMinute[i - 1]!.time).toBe(60_000);
      for (const timeframe of ['5m', '15m', '1h', '4h', '1d'] as const) {
        const candles = await ok('market.candles', { ...BTC, timeframe, limit: 5 });
        expect(candles.length, timeframe).toBeGreaterThan(0);
        for (const c of candles) {
          // Exact decimal strings: high is the top of the bar, volume a whole number of lots without float noise.
          expect(Dec.parse(c.high).gte(Dec.max(Dec.parse(c.open), Dec.parse(c.close)))).toBe(true);
          expect(Dec.parse(c.volume).isMultipleOf(Dec.parse('0.001')) || Dec.parse(c.volume).isZero()).toBe(true);
        }
      }
    });

    it('market.ticker has a bid below the ask', async () => {
      const ticker = await ok('market.ticker', BTC);
      expect(Number(ticker.bid)).toBeLessThan(Number(ticker.ask));
    });

    it('places a resting limit order, lists it, cancels it', async () => {
      const ticker = await ok('market.ticker', BTC);
      // Canonical decimal text (no trailing ".0"), as the engine answers it.
      const price = Dec.parse(ticker.bid).mul(Dec.parse('0.95')).floorTo(Dec.parse('0.1')).toString();
      const order = await ok('orders.place', { ...BTC, side: 'buy', type: 'limit', quantity: '0.01', price });
      expect(order).toMatchObject({ status: 'open', price, quantity: '0.01', source });
      const open = await ok('orders.list', { status: 'open' });
      expect(open.orders.map((o) => o.id)).toContain(order.id);
      const canceled = await ok('orders.cancel', { orderId: order.id });
      expect(canceled.status).toBe('canceled');
      const all = await ok('orders.list', { status: 'all' });
      expect(all.orders.find((o) => o.id === order.id)?.status).toBe('canceled');
      await waitFor(() => client.events.some((e) => e.topic === 'orders.updated' && (e.data as Order).id === order.id && (e.data as Order).status === 'canceled'), 'the canceled order event');
    });

    it('fills a market order into a position with PnL, then closes it', async () => {
      const order = await ok('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.02' });
      expect(order.status).toBe('filled');
      expect(order.filledQuantity).toBe('0.02');
      const fills = await ok('fills.list', {});
      expect(fills.fills.some((f) => f.orderId === order.id)).toBe(true);
      const positions = await ok('positions.list', {});
      const position = positions.find((p) => p.symbol === BTC.symbol)!;
      expect(position).toMatchObject({ side: 'long', quantity: '0.02' });
      expect(Number.isFinite(Number(position.unrealizedPnl))).toBe(true);
      await waitFor(() => client.events.some((e) => e.topic === 'fills.new'), 'a fill event');

      const close = await ok('positions.close', BTC);
      expect(close).toMatchObject({ status: 'filled', side: 'sell', reduceOnly: true });
      expect((await ok('positions.list', {})).find((p) => p.symbol === BTC.symbol)).toBeUndefined();
      const summary = await ok('account.summary', {});
      expect(Number(summary.feesPaid)).toBeGreaterThan(0);
    });

    it('refuses an order that breaks the rules with a stable code and a readable message', async () => {
      const fatFinger = await error('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '1000' });
      expect(fatFinger.code).toBe('RISK_REJECTED');
      expect(fatFinger.message).toMatch(/Order value .* is above the maximum of 250,000 USDT/);
      const tooBig = await error('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '2' });
      expect(tooBig.code).toBe('INSUFFICIENT_MARGIN');
      expect(tooBig.message).toMatch(/margin/i);
      const offLot = await error('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.0001' });
      expect(offLot.code).toBe('INVALID_PRECISION');
      const noPosition = await error('positions.close', { venue: 'paper', symbol: 'SOL/USDT:USDT' });
      expect(noPosition.code).toBe('NOT_FOUND');
    });

    it('refuses invalid params and unknown methods', async () => {
      expect((await error('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: 'lots' })).code).toBe('VALIDATION_FAILED');
      expect((await error('orders.cancel', {})).code).toBe('VALIDATION_FAILED');
      expect((await error('market.candles', { ...BTC, timeframe: '7m' })).code).toBe('VALIDATION_FAILED');
      expect((await error('orders.explode', {})).code).toBe('UNKNOWN_METHOD');
    });

    it('sets leverage per instrument, raises it while exposed, and changes the margin mode only while flat', async () => {
      const SOL = { venue: 'paper', symbol: 'SOL/USDT:USDT' } as const;
      expect(await ok('account.setLeverage', { ...SOL, leverage: 5 })).toEqual({ ok: true });
      expect((await ok('account.summary', {})).leverage['SOL/USDT:USDT']).toBe(5);
      await ok('orders.place', { ...SOL, side: 'buy', type: 'market', quantity: '1' });
      expect((await ok('positions.list', {})).find((p) => p.symbol === SOL.symbol)?.leverage).toBe(5);
      expect(await ok('account.setLeverage', { ...SOL, leverage: 20 })).toEqual({ ok: true });
      const position = (await ok('positions.list', {})).find((p) => p.symbol === SOL.symbol);
      expect(position).toMatchObject({ leverage: 20, marginMode: 'cross' });
      expect(position?.liquidationPrice).not.toBeUndefined();
      const refused = await error('account.setMarginMode', { ...SOL, mode: 'isolated' });
      expect(refused.code).toBe('INVALID_STATE');
      expect(refused.message).toMatch(/only while it is flat/);
      await ok('positions.close', SOL);
      expect((await error('account.setLeverage', { ...SOL, leverage: 51 })).code).toBe('VALIDATION_FAILED');
      expect(await ok('account.setMarginMode', { ...SOL, mode: 'isolated' })).toEqual({ ok: true });
      expect((await ok('account.summary', {})).marginModes['SOL/USDT:USDT']).toBe('isolated');
      expect(await ok('account.setMarginMode', { ...SOL, mode: 'cross' })).toEqual({ ok: true });
    });

    it('orders.get finds an order by Keel id and by client order id, however it was lost', async () => {
      const ticker = await ok('market.ticker', BTC);
      const price = Dec.parse(ticker.bid).mul(Dec.parse('0.95')).floorTo(Dec.parse('0.1')).toString();
      const clientOrderId = `lookup-${transport.length}-${Date.now().toString(36)}`;
      const placed = await ok('orders.place', { ...BTC, side: 'buy', type: 'limit', quantity: '0.01', price, clientOrderId });
      expect(await ok('orders.get', { orderId: placed.id })).toMatchObject({ id: placed.id, clientOrderId });
      expect(await ok('orders.get', { clientOrderId })).toMatchObject({ id: placed.id, status: 'open' });
      expect((await error('orders.get', { clientOrderId: 'never-used' })).code).toBe('NOT_FOUND');
      expect((await error('orders.get', { orderId: 'o-none' })).code).toBe('NOT_FOUND');
      expect((await error('orders.get', { orderId: placed.id, clientOrderId })).code).toBe('VALIDATION_FAILED');
      await ok('orders.cancel', { orderId: placed.id });
    });

    it('orders.list and fills.list page through every row with a cursor', async () => {
      for (let i = 0; i < 3; i += 1) await ok('orders.place', { ...BTC, side: i % 2 === 0 ? 'buy' : 'sell', type: 'market', quantity: '0.001' });
      const everything = await ok('orders.list', { status: 'all', limit: 10_000 });
      expect(everything.nextCursor).toBeNull();
      const paged: string[] = [];
      let cursor: string | null | undefined;
      do {
        const page: MethodResult<'orders.list'> = await ok('orders.list', { status: 'all', limit: 2, ...(cursor ? { cursor } : {}) });
        expect(page.orders.length).toBeLessThanOrEqual(2);
        paged.push(...page.orders.map((o) => o.id));
        cursor = page.nextCursor;
      } while (cursor);
      expect(paged).toEqual(everything.orders.map((o) => o.id));
      expect(new Set(paged).size).toBe(paged.length);

      const allFills = await ok('fills.list', { limit: 10_000 });
      const pagedFills: string[] = [];
      cursor = undefined;
      do {
        const page: MethodResult<'fills.list'> = await ok('fills.list', { limit: 1, ...(cursor ? { cursor } : {}) });
        pagedFills.push(...page.fills.map((f) => f.tradeId));
        cursor = page.nextCursor;
      } while (cursor);
      expect(pagedFills).toEqual(allFills.fills.map((f) => f.tradeId));
      expect(pagedFills.length).toBeGreaterThanOrEqual(3);
      expect((await error('orders.list', { cursor: 'zzzzzzzzzzzzz_1' })).code).toBe('VALIDATION_FAILED');
      if ((await ok('positions.list', {})).some((p) => p.symbol === BTC.symbol)) await ok('positions.close', BTC);
    });

    it('refuses a stop whose trigger is already crossed, unless the trader confirms "trigger now"', async () => {
      const [instrument] = (await ok('market.instruments', {})).filter((i) => i.symbol === BTC.symbol);
      const tick = Dec.parse(instrument!.tickSize);
      const last = Dec.parse((await ok('market.ticker', BTC)).last);
      // A buy stop well below the last price (inside the 10% price band): on the wrong side whatever the market does in between.
      const below = last.mul(Dec.parse('0.96')).floorTo(tick).toString();
      const refused = await error('orders.place', { ...BTC, side: 'buy', type: 'stop', quantity: '0.001', stopPrice: below });
      expect(refused.code).toBe('WOULD_TRIGGER_IMMEDIATELY');
      expect(refused.message).toContain('would trigger immediately');
      const above = last.mul(Dec.parse('1.04')).ceilTo(tick).toString();
      expect((await error('orders.place', { ...BTC, side: 'sell', type: 'stop', quantity: '0.001', stopPrice: above, reduceOnly: false })).code).toBe(
        'WOULD_TRIGGER_IMMEDIATELY',
      );
      const confirmed = await ok('orders.place', { ...BTC, side: 'buy', type: 'stop', quantity: '0.001', stopPrice: below, triggerNow: true });
      expect(confirmed.triggered || confirmed.status === 'filled').toBe(true);
      await ok('positions.close', BTC);
    });

    it('while HALTED, a person may still close out; the automation API may not', async () => {
      await ok('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.002' });
      await ok('risk.state.set', { state: 'HALTED', reason: 'contract suite' });
      try {
        const opening = await error('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.001' });
        expect(opening.code).toBe('HALTED');
        if (source === 'manual') {
          const close = await ok('positions.close', BTC);
          expect(close).toMatchObject({ status: 'filled', reduceOnly: true, source: 'manual' });
          expect((await ok('positions.closeAll', {})).orders).toEqual([]);
        } else {
          const refused = await error('positions.close', BTC);
          expect(refused.code).toBe('HALTED');
          expect(refused.message).toContain('automation API');
          const flatten = await ok('positions.closeAll', {});
          expect(flatten.orders).toEqual([]);
          expect(flatten.failed).toEqual([expect.objectContaining({ symbol: BTC.symbol, reason: expect.stringContaining('halted') })]);
        }
      } finally {
        await ok('emergency.rearm', { confirm: true });
      }
      if ((await ok('positions.list', {})).some((p) => p.symbol === BTC.symbol)) await ok('positions.close', BTC);
    });

    it('reconciliation.latest answers the start-up report; reconciliation.run makes and answers a new one', async () => {
      const latest = await ok('reconciliation.latest', { venue: 'paper' });
      expect(latest).toMatchObject({ venue: 'paper', trigger: 'startup', ok: true });
      const fresh = await ok('reconciliation.run', { venue: 'paper' });
      expect(fresh).toMatchObject({ venue: 'paper', trigger: 'manual', ok: true });
      expect(fresh.positions.every((p) => p.match)).toBe(true);
      expect(fresh.balances.every((b) => b.match)).toBe(true);
      expect((await ok('reconciliation.latest', { venue: 'paper' }))?.id).toBe(fresh.id);
      expect((await error('reconciliation.run', { venue: 'nowhere' })).code).toBe('NOT_FOUND');
    });

    it("regime.current reads an instrument's regime from its candles, with the recent labels for the chart", async () => {
      const view = await ok('regime.current', { venue: 'paper', symbol: BTC.symbol, timeframe: '1m', history: 30 });
      expect(view).toMatchObject({ venue: 'paper', symbol: BTC.symbol, timeframe: '1m' });
      expect(view.history.length).toBeLessThanOrEqual(30);
      expect(view.history.at(-1)?.label ?? null).toBe(view.label);
      // The newest label is the newest closed bar's: the candle still forming is not read.
      if (view.time !== null) expect(view.time + 60_000).toBeLessThanOrEqual(Date.now());
      // Asked again for the label alone: no history comes back, and the label is the same unless a bar closed in between.
      const alone = await ok('regime.current', { venue: 'paper', symbol: BTC.symbol, timeframe: '1m', history: 0 });
      expect(alone.history).toEqual([]);
      if (alone.time === view.time) expect(alone).toMatchObject({ label: view.label, since: view.since, adx: view.adx });
      expect((await error('regime.current', { venue: 'nowhere', symbol: BTC.symbol, timeframe: '1m' })).code).toBe('NOT_FOUND');
    });

    it('streams live ticks to subscribers', async () => {
      await waitFor(() => client.events.some((e) => e.topic === 'market.tick'), 'a market tick');
    });
  });
}
