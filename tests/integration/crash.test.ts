/**
 * Crash safety: the headless host runs in a child process while a client
 * sends market and limit orders (and cancels) with its own client order ids;
 * the host is killed with SIGKILL at seeded random moments, once during
 * start-up, and started again on the same data folder. After every restart
 * each order whose acknowledgement was lost is looked up by its client order
 * id and sent again: it is refused as a duplicate if it exists, placed if
 * not; a few acknowledged orders are sent again too, and must be refused
 * as duplicates. At the end every acknowledged order is there exactly once (by
 * `orders.get {clientOrderId}` and by paging `orders.list`), no client order
 * id appears twice, every fill belongs to an order and adds up to its filled
 * quantity, and the ledger is exactly the sum of the fills: balance =
 * initial + Σ realizedPnl − Σ fee, position = signed Σ quantity per symbol.
 * Set KEEL_CRASH_SEED to replay another seed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { PlaceOrderParams } from '../../src/shared/contract';
import { Dec } from '../../src/shared/decimal';
import { isTerminalStatus, type Instrument, type Order } from '../../src/shared/domain';
import { allFills, allOrders, liftRateLimits, priceAway, smallestQuantity } from '../support/books';
import { HOST_FAILURE_LOG, spawnHost, startHost, type ChildHost } from '../support/childHost';
import { Rng } from '../support/rng';
import { RpcSocket, rpcUrl, SocketClosedError } from '../support/rpcSocket';

const SEED = Number(process.env.KEEL_CRASH_SEED ?? 0xc4a5_4001);
const CYCLES = 6;
const SENDERS = 6;
/** Orders acknowledged in a cycle before the kill timer starts, so every cycle has traffic however loaded the machine is. */
const MIN_ACKS_BEFORE_KILL = 10;
/** How long orders then flow before the kill, drawn per cycle. */
const KILL_AFTER_MS = [100, 600] as const;
/** The start-up kill lands while tsx loads the sources or the engine opens the journal and reconciles. */
const STARTUP_KILL_AFTER_MS = [150, 650] as const;
const CALL_TIMEOUT_MS = 10_000;
/** Acknowledged orders sent again after each restart, to be refused as duplicates. */
const RESENT_PER_RESTART = 5;
const SYMBOLS = ['BTC/USDT:USDT', 'ETH/USDT:USDT', 'SOL/USDT:USDT'] as const;

type Outcome = 'in-flight' | 'acked' | 'refused' | 'unknown';

interface SentOrder {
  clientOrderId: string;
  params: PlaceOrderParams;
  outcome: Outcome;
  /** The order as acknowledged (or as found after a lost acknowledgement). */
  order: Order | null;
  code: string | null;
}

const dataDirs: string[] = [];
let running: ChildHost | null = null;

afterAll(async () => {
  await running?.kill();
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

class OrderFlow {
  readonly sent = new Map<string, SentOrder>();
  /** Acknowledged orders that may still rest: what the cancels aim at. */
  private readonly resting: string[] = [];
  private stopped = false;
  private acksThisCycle = 0;
  private ackWaiter: { count: number; resolve: () => void } | null = null;

  constructor(
    private readonly instruments: Map<string, Instrument>,
    private readonly rng: Rng,
  ) {}

  /** Runs SENDERS concurrent senders until the socket closes (the host was killed) or `stop()`. */
  async run(rpc: RpcSocket, cycle: number): Promise<void> {
    this.stopped = false;
    this.acksThisCycle = 0;
    const senders = Array.from({ length: SENDERS }, (_, k) => this.sender(rpc, cycle, k, new Rng(this.rng.int(2 ** 31))));
    await Promise.all(senders);
  }

  stop(): void {
    this.stopped = true;
    this.ackWaiter?.resolve();
  }

  /** Resolves once this cycle has `count` acknowledged orders (or the flow stopped), whatever the machine's speed. */
  acks(count: number): Promise<void> {
    if (this.acksThisCycle >= count || this.stopped) return Promise.resolve();
    return new Promise((resolve) => (this.ackWaiter = { count, resolve }));
  }

  private async sender(rpc: RpcSocket, cycle: number, sender: number, rng: Rng): Promise<void> {
    for (let n = 0; !this.stopped; n += 1) {
      try {
        const r = rng.next();
        if (r < 0.2 && this.resting.length > 0) {
          const orderId = this.resting.splice(rng.int(this.resting.length), 1)[0]!;
          // Any typed answer will do (it may have filled meanwhile); only the books at the end are judged.
          await rpc.call('orders.cancel', { orderId }, CALL_TIMEOUT_MS);
          continue;
        }
        const params = await this.nextOrder(rpc, rng, `k${cycle}-${sender}-${n}`);
        await this.place(rpc, params);
      } catch (error) {
        if (error instanceof SocketClosedError) return;
        throw error;
      }
    }
  }

  private async nextOrder(rpc: RpcSocket, rng: Rng, clientOrderId: string): Promise<PlaceOrderParams> {
    const symbol = rng.pick(SYMBOLS);
    const instrument = this.instruments.get(symbol)!;
    const ticker = await rpc.ok('market.ticker', { venue: 'paper', symbol }, CALL_TIMEOUT_MS);
    const side = rng.chance(0.5) ? 'buy' : 'sell';
    const quantity = smallestQuantity(instrument, Dec.parse(ticker.ask)).toString();
    const base = { venue: 'paper', symbol, side, quantity, clientOrderId } as const;
    const r = rng.next();
    if (r < 0.45) return { ...base, type: 'market' };
    // Inside the 10% price band either way: resting 1-4% away from the touch, or crossing it by 0.5%.
    const away = (rng.between(10, 40) / 1000) * (side === 'buy' ? -1 : 1);
    if (r < 0.75) return { ...base, type: 'limit', price: priceAway(instrument, side === 'buy' ? ticker.bid : ticker.ask, away) };
    return { ...base, type: 'limit', price: priceAway(instrument, side === 'buy' ? ticker.ask : ticker.bid, side === 'buy' ? 0.005 : -0.005) };
  }

  async place(rpc: RpcSocket, params: PlaceOrderParams): Promise<void> {
    const record: SentOrder = this.sent.get(params.clientOrderId!) ?? { clientOrderId: params.clientOrderId!, params, outcome: 'in-flight', order: null, code: null };
    record.outcome = 'in-flight';
    this.sent.set(record.clientOrderId, record);
    try {
      const outcome = await rpc.call('orders.place', params, CALL_TIMEOUT_MS);
      if (outcome.ok) {
        record.outcome = 'acked';
        record.order = outcome.result as Order;
        this.acksThisCycle += 1;
        if (this.ackWaiter !== null && this.acksThisCycle >= this.ackWaiter.count) {
          this.ackWaiter.resolve();
          this.ackWaiter = null;
        }
        if (!isTerminalStatus(record.order.status)) this.resting.push(record.order.id);
      } else {
        record.outcome = 'refused';
        record.code = outcome.code;
      }
    } catch (error) {
      record.outcome = 'unknown';
      throw error;
    }
  }

  /** Orders whose fate the client does not know: sent, and then the host died. */
  unknown(): SentOrder[] {
    return [...this.sent.values()].filter((s) => s.outcome === 'unknown' || s.outcome === 'in-flight');
  }

  forgetResting(): void {
    this.resting.length = 0;
  }
}

interface Stats {
  cycles: number;
  startupKills: number;
  lostAcksFound: number;
  lostNeverCommitted: number;
  duplicatesRefused: number;
  restartMs: number[];
}

/**
 * After a restart: each order sent but never answered either exists (its
 * acknowledgement was lost), and sending it again is refused as a
 * duplicate, or it does not, and sending it again is not refused as one.
 */
async function resolveUnknown(rpc: RpcSocket, flow: OrderFlow, stats: Stats): Promise<void> {
  for (const record of flow.unknown()) {
    const found = await rpc.call('orders.get', { clientOrderId: record.clientOrderId }, CALL_TIMEOUT_MS);
    if (found.ok) {
      stats.lostAcksFound += 1;
      record.outcome = 'acked';
      record.order = found.result as Order;
      const again = await rpc.call('orders.place', record.params, CALL_TIMEOUT_MS);
      expect(again.ok ? 'placed a second time' : again.code, record.clientOrderId).toBe('DUPLICATE_CLIENT_ORDER_ID');
    } else {
      expect(found.code, `orders.get ${record.clientOrderId}`).toBe('NOT_FOUND');
      stats.lostNeverCommitted += 1;
      await flow.place(rpc, record.params);
      expect(record.code, `${record.clientOrderId} was not found, yet is a duplicate`).not.toBe('DUPLICATE_CLIENT_ORDER_ID');
    }
  }
}

/** Acknowledged orders sent again after a restart: the journal must still know their client order ids. */
async function resendSomeAcked(rpc: RpcSocket, flow: OrderFlow, rng: Rng, stats: Stats): Promise<void> {
  const acked = [...flow.sent.values()].filter((s) => s.outcome === 'acked');
  for (let i = 0; i < Math.min(RESENT_PER_RESTART, acked.length); i += 1) {
    const record = acked[rng.int(acked.length)]!;
    const again = await rpc.call('orders.place', record.params, CALL_TIMEOUT_MS);
    expect(again.ok ? 'placed a second time' : again.code, record.clientOrderId).toBe('DUPLICATE_CLIENT_ORDER_ID');
    stats.duplicatesRefused += 1;
  }
}

async function connect(host: ChildHost): Promise<RpcSocket> {
  const rpc = await RpcSocket.open(rpcUrl(host.port, host.token));
  await liftRateLimits(rpc);
  return rpc;
}

async function restart(dataDir: string, stats: Stats): Promise<ChildHost> {
  const started = performance.now();
  running = await startHost({ dataDir, seed: 17 });
  stats.restartMs.push(Math.round(performance.now() - started));
  return running;
}

function signed(side: 'buy' | 'sell' | 'long' | 'short', quantity: string): Dec {
  const q = Dec.parse(quantity);
  return side === 'buy' || side === 'long' ? q : q.neg();
}

describe('SIGKILL while orders flow', () => {
  it(`loses no acknowledged order, duplicates none, and keeps the ledger equal to the fills (seed ${SEED})`, { timeout: 90_000 }, async () => {
    const rng = new Rng(SEED);
    const dataDir = mkdtempSync(join(tmpdir(), 'keel-crash-'));
    dataDirs.push(dataDir);
    const stats: Stats = { cycles: 0, startupKills: 0, lostAcksFound: 0, lostNeverCommitted: 0, duplicatesRefused: 0, restartMs: [] };
    const startupKillCycle = 1 + rng.int(CYCLES - 1);

    let host = await restart(dataDir, stats);
    let rpc = await connect(host);
    const initialBalance = Dec.parse((await rpc.ok('account.summary', {})).balance);
    expect((await allFills(rpc)).length).toBe(0);
    const instruments = new Map((await rpc.ok('market.instruments', { venue: 'paper' })).map((i) => [i.symbol, i]));
    const flow = new OrderFlow(instruments, rng);

    for (let cycle = 0; cycle < CYCLES; cycle += 1) {
      if (cycle > 0) {
        if (cycle === startupKillCycle) {
          // Killed while starting: the journal must survive that too.
          const spawned = spawnHost({ dataDir, seed: 17 });
          running = null;
          spawned.ready.catch(() => undefined);
          await new Promise((r) => setTimeout(r, rng.between(...STARTUP_KILL_AFTER_MS)));
          const exited = new Promise((r) => (spawned.child.exitCode !== null || spawned.child.signalCode !== null ? r(undefined) : spawned.child.once('exit', r)));
          spawned.child.kill('SIGKILL');
          await exited;
          stats.startupKills += 1;
        }
        host = await restart(dataDir, stats);
        rpc = await connect(host);
        await resolveUnknown(rpc, flow, stats);
        await resendSomeAcked(rpc, flow, rng, stats);
      }
      flow.forgetResting();
      const killAfter = rng.between(...KILL_AFTER_MS);
      const flowing = flow.run(rpc, cycle);
      await flow.acks(MIN_ACKS_BEFORE_KILL);
      await new Promise((r) => setTimeout(r, killAfter));
      await host.kill();
      flow.stop();
      await flowing;
      await rpc.closed;
      stats.cycles += 1;
    }

    host = await restart(dataDir, stats);
    rpc = await connect(host);
    await resolveUnknown(rpc, flow, stats);
    await resendSomeAcked(rpc, flow, rng, stats);
    expect(flow.unknown()).toEqual([]);

    // Paged in odd sizes so that page boundaries fall everywhere.
    const orders = await allOrders(rpc, 97);
    const fills = await allFills(rpc, 89);
    const sent = [...flow.sent.values()];
    const acked = sent.filter((s) => s.outcome === 'acked');
    expect(acked.length).toBeGreaterThanOrEqual(CYCLES * MIN_ACKS_BEFORE_KILL);
    expect(fills.length).toBeGreaterThan(CYCLES);

    // No order twice, by id or by client order id.
    expect(new Set(orders.map((o) => o.id)).size).toBe(orders.length);
    const byClientId = new Map<string, Order[]>();
    for (const o of orders) byClientId.set(o.clientOrderId, [...(byClientId.get(o.clientOrderId) ?? []), o]);
    const twice = [...byClientId.entries()].filter(([, list]) => list.length > 1).map(([id]) => id);
    expect(twice).toEqual([]);

    // Every acknowledged order is there once, as acknowledged; a terminal status never changed.
    const missing: string[] = [];
    const changed: string[] = [];
    for (const s of acked) {
      const listed = byClientId.get(s.clientOrderId);
      if (listed?.length !== 1 || listed[0]!.id !== s.order!.id) missing.push(s.clientOrderId);
      else if (isTerminalStatus(s.order!.status) && listed[0]!.status !== s.order!.status) changed.push(`${s.clientOrderId}: ${s.order!.status} -> ${listed[0]!.status}`);
    }
    expect(missing).toEqual([]);
    expect(changed).toEqual([]);
    for (let i = 0; i < acked.length; i += 32) {
      const batch = acked.slice(i, i + 32);
      const found = await Promise.all(batch.map((s) => rpc.ok('orders.get', { clientOrderId: s.clientOrderId }, CALL_TIMEOUT_MS)));
      expect(found.map((o) => o.id)).toEqual(batch.map((s) => s.order!.id));
    }

    // Every fill belongs to an order and the fills of an order add up to its filled quantity.
    expect(new Set(fills.map((f) => f.tradeId)).size).toBe(fills.length);
    const byOrderId = new Map(orders.map((o) => [o.id, o]));
    const filledBy = new Map<string, Dec>();
    for (const f of fills) {
      const order = byOrderId.get(f.orderId);
      expect(order, `fill ${f.tradeId}`).toBeDefined();
      expect(f.clientOrderId).toBe(order!.clientOrderId);
      filledBy.set(f.orderId, (filledBy.get(f.orderId) ?? Dec.ZERO).add(Dec.parse(f.quantity)));
    }
    for (const o of orders) {
      expect((filledBy.get(o.id) ?? Dec.ZERO).eq(Dec.parse(o.filledQuantity)), `${o.clientOrderId} filled ${o.filledQuantity}`).toBe(true);
    }

    // The ledger is exactly the sum of the fills.
    const summary = await rpc.ok('account.summary', {});
    const realized = Dec.sum(fills.map((f) => Dec.parse(f.realizedPnl)));
    const fees = Dec.sum(fills.map((f) => Dec.parse(f.fee)));
    for (const f of fills) expect(f.feeCurrency).toBe(summary.currency);
    const expectedBalance = initialBalance.add(realized).sub(fees);
    expect(summary.balance, `initial ${initialBalance} + realized ${realized} - fees ${fees}`).toBe(expectedBalance.toString());
    expect(Dec.parse(summary.realizedPnlGross).eq(realized)).toBe(true);
    expect(Dec.parse(summary.feesPaid).eq(fees)).toBe(true);

    const net = new Map<string, Dec>();
    for (const f of fills) net.set(f.symbol, (net.get(f.symbol) ?? Dec.ZERO).add(signed(f.side, f.quantity)));
    const positions = await rpc.ok('positions.list', {});
    const held = new Map(positions.map((p) => [p.symbol, signed(p.side, p.quantity).toString()]));
    const fromFills = new Map([...net.entries()].filter(([, q]) => !q.isZero()).map(([s, q]) => [s, q.toString()]));
    expect(held).toEqual(fromFills);
    expect(host.stderr()).not.toMatch(HOST_FAILURE_LOG);

    console.info(
      `crash seed ${SEED}: ${stats.cycles} kills mid-flow, ${stats.startupKills} during start-up; ${sent.length} orders sent, ${acked.length} acknowledged, ` +
        `${sent.filter((s) => s.outcome === 'refused').length} refused; lost acks found ${stats.lostAcksFound}, never committed ${stats.lostNeverCommitted}; ` +
        `${stats.duplicatesRefused} acknowledged orders resent and refused as duplicates; ` +
        `${orders.length} orders, ${fills.length} fills; restarts ${stats.restartMs.join('/')} ms`,
    );
    await rpc.close();
    await host.stop();
    running = null;
  });
});
