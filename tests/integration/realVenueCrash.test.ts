/**
 * The host killed (SIGKILL) between an order's journal write and the real
 * venue's answer, then started again on the same data folder: the venue
 * holds exactly one such order, Keel finds it by asking (never by sending
 * again) and applies its fill once, however often it restarts. The host runs
 * as a separate process with its API key in a real keychain (gnome-keyring
 * in a private D-Bus session), the exchange is the fake Binance USD-M server.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Order, Position } from '../../src/shared/domain';
import { loadCcxt } from '../../src/main/venues/ccxt/exchanges';
import { startHost, type ChildHost } from '../support/childHost';
import { DEFAULT_API_KEY, startFakeBinanceUsdm, type FakeBinanceUsdm } from '../support/fakeExchanges/binanceUsdm';
import { privateHome, removePrivateHomes, requireKeychainTools } from '../support/privateKeyring';
import { RpcSocket, rpcUrl } from '../support/rpcSocket';

const BTC = 'BTC/USDT:USDT';
const VENUE = 'binanceusdm';
let fake: FakeBinanceUsdm;
let host: ChildHost | null = null;
let dataDir: string;
let keyring: NodeJS.ProcessEnv;

beforeAll(async () => {
  requireKeychainTools();
  await loadCcxt();
  fake = await startFakeBinanceUsdm();
  dataDir = mkdtempSync(join(tmpdir(), 'keel-real-crash-'));
  keyring = privateHome().env;
});

afterAll(async () => {
  await host?.kill();
  await fake?.close();
  rmSync(dataDir, { recursive: true, force: true });
  removePrivateHomes();
});

function start(): Promise<ChildHost> {
  return startHost({
    dataDir,
    keyring,
    venueUrls: { binanceusdm: fake.base },
    venueTimings: { requestMs: 1_500, unknownOutcomeDeadlineMs: 5_000, fallbackPollMs: 300, safetyPollMs: 1_000, streamRetryMs: 300 },
    startTimeoutMs: 30_000,
  });
}

async function call<T>(socket: RpcSocket, method: string, params: unknown = {}): Promise<T> {
  const outcome = await socket.call(method, params, 20_000);
  if (!outcome.ok) throw new Error(`${method}: ${outcome.code} ${outcome.message}`);
  return outcome.result as T;
}

async function until<T>(what: string, probe: () => Promise<T | undefined | false> | T | undefined | false, ms = 20_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

async function connect(running: ChildHost): Promise<RpcSocket> {
  return RpcSocket.open(rpcUrl(running.port, running.token));
}

async function venueReady(socket: RpcSocket): Promise<boolean> {
  const info = await call<{ venues: Array<{ venue: string; state: string }> }>(socket, 'system.info');
  return info.venues.some((v) => v.venue === VENUE && v.state === 'ready');
}

describe('SIGKILL between the journal write and the venue answer', () => {
  it('leaves exactly one order on the venue, found after the restart, its fill applied once', async () => {
    host = await start();
    let socket = await connect(host);
    await call(socket, 'venues.add', { exchange: 'binanceusdm', mode: 'demo', symbols: [BTC] });
    await call(socket, 'credentials.set', { venue: VENUE, apiKey: DEFAULT_API_KEY.apiKey, secret: DEFAULT_API_KEY.secret });
    await until('the venue to be ready', () => venueReady(socket));

    // The exchange takes the order but answers only after the host is gone.
    fake.inject({ match: 'POST /fapi/v1/order', action: { type: 'delay', ms: 1_500 } });
    fake.journal.clear();
    void socket.call('orders.place', { venue: VENUE, symbol: BTC, side: 'buy', type: 'market', quantity: '0.002', clientOrderId: 'crash-order-1' }, 20_000).catch(() => undefined);
    await until('the order to reach the exchange', () => fake.journal.entries().some((e) => e.method === 'POST' && e.path === '/fapi/v1/order'));
    await host.kill();
    socket.close();
    await until('the exchange to carry it out', () => (fake.state.snapshot().positions as Array<{ positionAmt: string }>).some((p) => p.positionAmt === '0.002'), 10_000);

    for (let restart = 0; restart < 2; restart++) {
      host = await start();
      socket = await connect(host);
      await until('the venue to be reconciled and ready', () => venueReady(socket), 30_000);
      const order = await call<Order>(socket, 'orders.get', { clientOrderId: 'crash-order-1' });
      expect(order).toMatchObject({ status: 'filled', filledQuantity: '0.002', venue: VENUE });
      const fills = await call<{ fills: Array<{ orderId: string }> }>(socket, 'fills.list', { limit: 100 });
      expect(fills.fills.filter((f) => f.orderId === order.id)).toHaveLength(1);
      const positions = await call<Position[]>(socket, 'positions.list', {});
      expect(positions.filter((p) => p.venue === VENUE)).toEqual([expect.objectContaining({ symbol: BTC, quantity: '0.002' })]);
      socket.close();
      await host.kill();
      host = null;
    }
    const sends = fake.journal.entries().filter((e) => e.method === 'POST' && e.path === '/fapi/v1/order');
    expect(sends.map((e) => e.params.newClientOrderId)).toEqual(['crash-order-1']);
  }, 120_000);
});
