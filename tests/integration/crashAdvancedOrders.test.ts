/**
 * Crash safety of brackets, OCO pairs, trailing stops and amends: the
 * headless host runs in a child process while a client places brackets
 * (market entries with a take-profit and a stop-loss, limit entries that
 * wait), OCO pairs and trailing stops on the position, and amends and
 * cancels resting orders; the host is killed with SIGKILL at seeded moments
 * and started again on the same data folder. At the end: no order and no
 * client order id twice, no bracket with two take-profits or two stop-losses,
 * no child larger than what its entry filled, no amend left waiting for an
 * answer (each settled from the venue at start-up), every fill belongs to an
 * order and adds up to its filled quantity, and the ledger and positions are
 * exactly the sum of the fills, read once the emergency stop has ended every
 * order (which it must do, children and trailing stops included). Set KEEL_CRASH_SEED to replay another seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlaceOrderParams } from '../../src/shared/contract';
import { Dec } from '../../src/shared/decimal';
import type { Instrument, Order } from '../../src/shared/domain';
import { allFills, allOrders, liftRateLimits, priceAway, smallestQuantity } from '../support/books';
import { HOST_FAILURE_LOG, startHost, type ChildHost } from '../support/childHost';
import { Rng } from '../support/rng';
import { RpcSocket, rpcUrl, SocketClosedError } from '../support/rpcSocket';

const SEED = Number(process.env.KEEL_CRASH_SEED ?? 0xb4ac_4e75);
const CYCLES = 4;
const SENDERS = 4;
const KILL_AFTER_MS = [150, 700] as const;
const CALL_TIMEOUT_MS = 10_000;
const SYMBOLS = ['BTC/USDT:USDT', 'ETH/USDT:USDT'] as const;

const dataDirs: string[] = [];
let running: ChildHost | null = null;
afterAll(async () => {
  await running?.kill();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

class Flow {
  private stopped = false;
  private readonly resting: string[] = [];
  sent = 0;
  amends = 0;

  constructor(
    private readonly instruments: Map<string, Instrument>,
    private readonly rng: Rng,
  ) {}

  async run(rpc: RpcSocket, cycle: number): Promise<void> {
    this.stopped = false;
    await Promise.all(Array.from({ length: SENDERS }, (_, k) => this.sender(rpc, `a${cycle}-${k}`, new Rng(this.rng.int(2 ** 31)))));
  }

  stop(): void {
    this.stopped = true;
  }

  private async sender(rpc: RpcSocket, prefix: string, rng: Rng): Promise<void> {
    for (let n = 0; !this.stopped; n += 1) {
      try {
        const r = rng.next();
        if (r < 0.25 && this.resting.length > 0) {
          const orderId = rng.pick(this.resting);
          const order = await rpc.call('orders.get', { orderId }, CALL_TIMEOUT_MS);
          if (!order.ok) continue;
          const o = order.result as Order;
          if (o.price === null) continue;
          const instrument = this.instruments.get(o.symbol)!;
          // Any typed answer will do: the order may have filled or ended meanwhile.
          this.amends += 1;
          await rpc.call('orders.amend', { orderId, price: priceAway(instrument, o.price, rng.chance(0.5) ? 0.002 : -0.002) }, CALL_TIMEOUT_MS);
          continue;
        }
        if (r < 0.3 && this.resting.length > 0) {
          await rpc.call('orders.cancel', { orderId: this.resting.splice(rng.int(this.resting.length), 1)[0]! }, CALL_TIMEOUT_MS);
          continue;
        }
        const params = await this.next(rpc, rng, `${prefix}-${n}`);
        this.sent += 1;
        const placed = await rpc.call('orders.place', params, CALL_TIMEOUT_MS);
        if (placed.ok && (placed.result as Order).type === 'limit') this.resting.push((placed.result as Order).id);
      } catch (error) {
        if (error instanceof SocketClosedError) return;
        throw error;
      }
    }
  }

  private async next(rpc: RpcSocket, rng: Rng, clientOrderId: string): Promise<PlaceOrderParams> {
    const symbol = rng.pick(SYMBOLS);
    const instrument = this.instruments.get(symbol)!;
    const ticker = await rpc.ok('market.ticker', { venue: 'paper', symbol }, CALL_TIMEOUT_MS);
    const side = rng.chance(0.5) ? 'buy' : 'sell';
    const up = side === 'buy' ? 1 : -1;
    const touch = side === 'buy' ? ticker.ask : ticker.bid;
    const quantity = smallestQuantity(instrument, Dec.parse(ticker.ask)).toString();
    const base = { venue: 'paper', symbol, side, quantity, clientOrderId } as const;
    const r = rng.next();
    const exits = { takeProfit: { triggerPrice: priceAway(instrument, touch, 0.01 * up) }, stopLoss: { triggerPrice: priceAway(instrument, touch, -0.01 * up) } };
    if (r < 0.3) return { ...base, type: 'market', ...exits };
    if (r < 0.55) {
      const price = priceAway(instrument, touch, -0.003 * up);
      return { ...base, type: 'limit', price, takeProfit: { triggerPrice: priceAway(instrument, price, 0.01 * up) }, stopLoss: { triggerPrice: priceAway(instrument, price, -0.01 * up) } };
    }
    if (r < 0.7) return { ...base, type: 'limit', price: priceAway(instrument, touch, -0.004 * up), oco: { type: 'stop', stopPrice: priceAway(instrument, touch, 0.004 * up), clientOrderId: `${clientOrderId}-b` } };
    if (r < 0.8) return { ...base, type: 'trailing_stop', trailing: rng.chance(0.5) ? { percent: '0.3' } : { distance: priceAway(instrument, '1', 0).toString() } };
    return { ...base, type: 'limit', price: priceAway(instrument, touch, -0.002 * up) };
  }
}

async function connect(host: ChildHost): Promise<RpcSocket> {
  const rpc = await RpcSocket.open(rpcUrl(host.port, host.token));
  await liftRateLimits(rpc);
  return rpc;
}

function signed(side: 'buy' | 'sell' | 'long' | 'short', quantity: string): Dec {
  const q = Dec.parse(quantity);
  return side === 'buy' || side === 'long' ? q : q.neg();
}

describe('SIGKILL while brackets, OCO pairs, trailing stops and amends flow', () => {
  it(`duplicates no order and no bracket child, leaves no amend unsettled, and keeps the ledger equal to the fills (seed ${SEED})`, { timeout: 90_000 }, async () => {
    const rng = new Rng(SEED);
    const dataDir = mkdtempSync(join(tmpdir(), 'keel-crash-adv-'));
    dataDirs.push(dataDir);
    running = await startHost({ dataDir, seed: 19 });
    let rpc = await connect(running);
    const initialBalance = Dec.parse((await rpc.ok('account.summary', {})).balance);
    const instruments = new Map((await rpc.ok('market.instruments', { venue: 'paper' })).map((i) => [i.symbol, i]));
    const flow = new Flow(instruments, rng);

    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      const flowing = flow.run(rpc, cycle);
      await new Promise((r) => setTimeout(r, rng.between(...KILL_AFTER_MS)));
      await running.kill();
      flow.stop();
      await flowing;
      await rpc.closed;
      running = await startHost({ dataDir, seed: 19 });
      rpc = await connect(running);
    }

    // The market keeps moving and what still works keeps filling: the emergency stop ends every order
    // (a bracket's children and the trailing stops included) so that the books can be read at rest.
    const stopped = await rpc.ok('emergency.stop', { flatten: false }, CALL_TIMEOUT_MS);
    expect(stopped.unconfirmed).toEqual([]);
    const orders = await allOrders(rpc, 97);
    const fills = await allFills(rpc, 89);
    expect(orders.filter((o) => !['filled', 'canceled', 'rejected', 'expired'].includes(o.status)).map((o) => o.clientOrderId)).toEqual([]);
    expect(flow.sent).toBeGreaterThan(CYCLES * 3);
    expect(orders.some((o) => o.role === 'entry')).toBe(true);

    // No order twice, by id or client order id.
    expect(new Set(orders.map((o) => o.id)).size).toBe(orders.length);
    expect(new Set(orders.map((o) => o.clientOrderId)).size).toBe(orders.length);

    // No bracket with two take-profits or two stop-losses; no child larger than what its entry filled (once the entry ended).
    const byId = new Map(orders.map((o) => [o.id, o]));
    const doubled: string[] = [];
    const oversized: string[] = [];
    for (const entry of orders.filter((o) => o.role === 'entry')) {
      const children = orders.filter((o) => o.parentId === entry.id);
      for (const role of ['tp', 'sl']) if (children.filter((c) => c.role === role).length > 1) doubled.push(`${entry.clientOrderId} ${role}`);
      if (entry.status === 'filled' || entry.status === 'canceled' || entry.status === 'expired') {
        for (const c of children) if (c.status !== 'canceled' && Dec.parse(c.quantity).gt(Dec.parse(entry.filledQuantity))) oversized.push(`${c.clientOrderId} ${c.quantity} > ${entry.filledQuantity}`);
      }
    }
    expect(doubled).toEqual([]);
    expect(oversized).toEqual([]);

    // Every amend was settled: none waits for an answer after the restart.
    expect(orders.filter((o) => o.amending).map((o) => o.clientOrderId)).toEqual([]);

    // Every fill belongs to an order, and an order's fills add up to its filled quantity.
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
    const filledBy = new Map<string, Dec>();
    for (const f of fills) {
      expect(byId.get(f.orderId), `fill ${f.tradeId}`).toBeDefined();
      filledBy.set(f.orderId, (filledBy.get(f.orderId) ?? Dec.ZERO).add(Dec.parse(f.quantity)));
    }
    for (const o of orders) expect((filledBy.get(o.id) ?? Dec.ZERO).eq(Dec.parse(o.filledQuantity)), `${o.clientOrderId} filled ${o.filledQuantity}`).toBe(true);

    // The ledger and the positions are exactly the sum of the fills.
    const summary = await rpc.ok('account.summary', {});
    const realized = Dec.sum(fills.map((f) => Dec.parse(f.realizedPnl)));
    const fees = Dec.sum(fills.map((f) => Dec.parse(f.fee)));
    expect(summary.balance).toBe(initialBalance.add(realized).sub(fees).toString());
    const net = new Map<string, Dec>();
    for (const f of fills) net.set(f.symbol, (net.get(f.symbol) ?? Dec.ZERO).add(signed(f.side, f.quantity)));
    const held = new Map((await rpc.ok('positions.list', {})).map((p) => [p.symbol, signed(p.side, p.quantity).toString()]));
    expect(held).toEqual(new Map([...net.entries()].filter(([, q]) => !q.isZero()).map(([s, q]) => [s, q.toString()])));
    expect(running.stderr()).not.toMatch(HOST_FAILURE_LOG);
    console.info(`advanced crash seed ${SEED}: ${CYCLES} kills; ${flow.sent} orders sent, ${flow.amends} amends asked; ${orders.length} orders, ${fills.length} fills`);
    await rpc.close();
    await running.stop();
    running = null;
  });
});
