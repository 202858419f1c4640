/**
 * A real exchange through the whole product: the composition root with a
 * Binance demo venue added at runtime and pointed at the fake exchange on
 * 127.0.0.1, its key stored write-only, orders placed and cancelled from the
 * contract, an order placed on the exchange's own site found by
 * reconciliation and adopted by the trader, and the emergency stop carried
 * through while the exchange fails 30% of requests. A canary secret is then
 * looked for everywhere it must never go.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createKeel, type Keel } from '../../src/main/app';
import { MemorySecretStore } from '../../src/main/secrets/memorySecretStore';
import { loadCcxt } from '../../src/main/venues/ccxt/exchanges';
import type { CredentialStatus, ReconciliationReport, VenueView } from '../../src/shared/contract';
import { Dec } from '../../src/shared/decimal';
import type { EmergencyReport } from '../../src/shared/risk';
import type { Order } from '../../src/shared/domain';
import { startFakeBinanceUsdm, type FakeBinanceUsdm } from '../support/fakeExchanges/binanceUsdm';

const BTC = 'BTC/USDT:USDT';
/** A key nobody else uses, so finding it anywhere proves a leak. */
const CANARY_KEY = `canary-key-${Date.now().toString(36)}-7a1f`;
const CANARY_SECRET = `canary-secret-${Date.now().toString(36)}-c0ffee-9e2d`;

const WITHDRAW_KEY = 'withdraw-capable-key-0001';
let fake: FakeBinanceUsdm;
let keel: Keel;
let dataDir: string;
const published: Array<{ topic: string; payload: unknown }> = [];
const answers: unknown[] = [];
const logged: string[] = [];
const consoleMethods = ['log', 'info', 'warn', 'error', 'debug'] as const;
const originalConsole = Object.fromEntries(consoleMethods.map((m) => [m, console[m]]));

beforeAll(async () => {
  await loadCcxt();
  fake = await startFakeBinanceUsdm({
    keys: [
      { apiKey: CANARY_KEY, secret: CANARY_SECRET },
      { apiKey: WITHDRAW_KEY, secret: 'withdraw-capable-secret-0001', permissions: { enableWithdrawals: true } },
    ],
  });
  dataDir = mkdtempSync(join(tmpdir(), 'keel-real-venue-'));
  for (const method of consoleMethods) {
    console[method] = (...args: unknown[]) => {
      logged.push(args.map((a) => (a instanceof Error ? `${a.message}\n${a.stack}` : typeof a === 'string' ? a : JSON.stringify(a))).join(' '));
    };
  }
  keel = await createKeel({
    dataDir,
    mode: 'headless',
    seed: 3,
    checkResults: true,
    secrets: new MemorySecretStore(),
    venueUrls: { binanceusdm: fake.base },
    venueTimings: { requestMs: 1_500, unknownOutcomeDeadlineMs: 3_000, fallbackPollMs: 300, safetyPollMs: 1_000, streamRetryMs: 300 },
  });
  keel.engine.bus.subscribe((topic, payload) => published.push({ topic, payload }));
}, 60_000);

afterAll(async () => {
  await keel?.shutdown();
  await fake?.close();
  for (const method of consoleMethods) console[method] = originalConsole[method]!;
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  answers.push(outcome);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

async function until<T>(what: string, probe: () => T | undefined | false | Promise<T | undefined | false>, ms = 15_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const venueState = (id: string) => keel.engine.venueStatuses().find((s) => s.venue === id)?.state;

describe('a Binance demo venue through the whole product', () => {
  let venue = '';

  it('is added at runtime, blocked until a key is stored, and reconciled to ready once it is', async () => {
    const added = await call<VenueView>('venues.add', { exchange: 'binanceusdm', mode: 'demo', symbols: [BTC] });
    venue = added.id;
    expect(added).toMatchObject({ id: 'binanceusdm', mode: 'demo', overrideUrl: fake.base, removable: true });
    expect(added.status).toMatchObject({ state: 'blocked', reason: expect.stringContaining('no API key is stored') });
    // Not started, so no account yet: said so with a typed error, not an internal one.
    await expect(call('account.summary', { venue })).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    await expect(call('risk.limits.get', { venue })).rejects.toMatchObject({ code: 'VENUE_UNAVAILABLE' });
    // A key the exchange does not accept is not stored, even where it cannot report permissions (a demo account).
    await expect(call('credentials.set', { venue, apiKey: CANARY_KEY, secret: 'not-the-secret' })).rejects.toMatchObject({ code: 'VALIDATION_FAILED', message: expect.stringMatching(/refused this key/) });
    expect(await call<CredentialStatus>('credentials.status', { venue })).toMatchObject({ stored: false });
    const status = await call<CredentialStatus>('credentials.set', { venue, apiKey: CANARY_KEY, secret: CANARY_SECRET });
    // A demo account has no endpoint for a key's permissions: said so, not guessed.
    expect(status, JSON.stringify(status)).toMatchObject({ venue, stored: true, lastFour: CANARY_KEY.slice(-4), permissions: null });
    expect(status.warnings.join(' ')).toMatch(/did not report what this key may do/);
    await until('the venue to be ready', () => venueState(venue) === 'ready');
    expect(keel.engine.latestReconciliation(venue)).toMatchObject({ ok: true });
    const listed = await call<{ venues: VenueView[] }>('venues.list');
    expect(listed.venues.map((v) => v.id)).toEqual(['paper', venue]);
    expect(await call<CredentialStatus>('credentials.status', { venue })).toMatchObject({ stored: true });
  }, 30_000);

  it('goes live only when the trader types the venue id, and then reads what the key may do; a key that can withdraw is refused unless confirmed', async () => {
    await expect(call('venues.setMode', { venue, mode: 'live' })).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    await expect(call('venues.setMode', { venue, mode: 'live', confirm: 'yes' })).rejects.toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect((await call<{ venues: VenueView[] }>('venues.list')).venues.find((v) => v.id === venue)?.mode).toBe('demo');
    const live = await call<VenueView>('venues.setMode', { venue, mode: 'live', confirm: venue });
    expect(live.mode).toBe('live');
    await until('the live venue to be ready', () => venueState(venue) === 'ready');
    const checked = await call<CredentialStatus>('credentials.set', { venue, apiKey: CANARY_KEY, secret: CANARY_SECRET });
    expect(checked.permissions).toEqual({ read: true, trade: true, withdraw: false, ipRestricted: false });
    expect(checked.warnings.join(' ')).toMatch(/works from any IP address/);
    await until('the venue to be ready again', () => venueState(venue) === 'ready');
    const refused = await call('credentials.set', { venue, apiKey: WITHDRAW_KEY, secret: 'withdraw-capable-secret-0001' }).then(
      () => null,
      (error: { code: string; message: string }) => error,
    );
    expect(refused).toMatchObject({ code: 'CONFIRMATION_REQUIRED' });
    expect(refused!.message).toMatch(/can withdraw/);
    // Refused means nothing changed: the stored key is still the first one.
    expect(await call<CredentialStatus>('credentials.status', { venue })).toMatchObject({ lastFour: CANARY_KEY.slice(-4) });
    const test = await call<{ ok: boolean; steps: Array<{ name: string; ok: boolean }> }>('venues.test', { venue });
    expect(test.ok).toBe(true);
    expect(test.steps.map((step) => step.name)).toEqual(['Clock and latency', 'Markets', 'Balance', 'Key permissions']);
  }, 30_000);

  it('places and cancels an order from the contract, one request each at the exchange', async () => {
    const instrument = keel.engine.instruments(venue).find((i) => i.symbol === BTC)!;
    const price = Dec.parse(keel.engine.ticker(venue, BTC).bid).mul(Dec.parse('0.95')).floorTo(Dec.parse(instrument.tickSize)).toString();
    fake.journal.clear();
    const placed = await call<Order>('orders.place', { venue, symbol: BTC, side: 'buy', type: 'limit', quantity: '0.002', price });
    expect(placed).toMatchObject({ venue, status: 'open', source: 'manual' });
    const canceled = await call<Order>('orders.cancel', { orderId: placed.id });
    await until('the cancel to land', () => keel.engine.getOrder({ orderId: placed.id }).status === 'canceled');
    expect(canceled.id).toBe(placed.id);
    const writes = fake.journal.entries().filter((e) => e.path === '/fapi/v1/order' && e.method !== 'GET');
    expect(writes.map((e) => e.method)).toEqual(['POST', 'DELETE']);
    expect(writes[0]!.params.newClientOrderId).toBe(placed.clientOrderId);
  }, 30_000);

  it('finds an order placed on the exchange site, holds the venue until the trader adopts it, and journals the decision', async () => {
    const instrument = keel.engine.instruments(venue).find((i) => i.symbol === BTC)!;
    const price = Dec.parse(keel.engine.ticker(venue, BTC).ask).mul(Dec.parse('1.05')).ceilTo(Dec.parse(instrument.tickSize)).toString();
    fake.externalOrder({ symbol: 'BTCUSDT', side: 'SELL', type: 'LIMIT', quantity: '0.003', price, timeInForce: 'GTC', clientOrderId: 'web-order-1' });
    const report = await call<ReconciliationReport>('reconciliation.run', { venue });
    expect(report.ok).toBe(false);
    const item = report.items.find((i) => i.kind === 'external_order')!;
    expect(item).toMatchObject({ clientOrderId: 'web-order-1', blocking: true, actions: ['adopt', 'cancel'] });
    expect(venueState(venue)).toBe('blocked');
    const resolved = await call<ReconciliationReport>('reconciliation.resolve', { venue, itemId: item.id, action: 'adopt', note: 'my order from the website' });
    expect(resolved.ok).toBe(true);
    expect(venueState(venue)).toBe('ready');
    expect(keel.engine.getOrder({ clientOrderId: 'web-order-1' })).toMatchObject({ source: 'external', status: 'open' });
    const audit = await call<{ entries: Array<{ action: string; note: string | null }> }>('reconciliation.audit', { venue });
    expect(audit.entries[0]).toMatchObject({ action: 'adopt', note: 'my order from the website' });
  }, 30_000);

  it('the emergency stop cancels everything and flattens while the exchange fails 30% of requests, then the exchange confirms it', async () => {
    const instrument = keel.engine.instruments(venue).find((i) => i.symbol === BTC)!;
    const tick = Dec.parse(instrument.tickSize);
    const bid = Dec.parse(keel.engine.ticker(venue, BTC).bid);
    for (const ratio of ['0.95', '0.96']) {
      await call<Order>('orders.place', { venue, symbol: BTC, side: 'buy', type: 'limit', quantity: '0.002', price: bid.mul(Dec.parse(ratio)).floorTo(tick).toString() });
    }
    await call<Order>('orders.place', { venue, symbol: BTC, side: 'buy', type: 'market', quantity: '0.004' });
    await until('the position', () => keel.engine.positions().some((p) => p.venue === venue && p.quantity === '0.004'));
    fake.setFailRate({ rate: 0.3, seed: 11 });
    const report = await call<EmergencyReport>('emergency.stop', { flatten: true, trigger: 'button' });
    fake.setFailRate(null);
    // Whatever the report could not confirm, the exchange itself is the judge once it answers again.
    await until('the exchange to hold nothing', () => {
      const state = fake.state.snapshot() as { openOrders?: unknown[]; positions?: Array<{ positionAmt?: string; quantity?: string }> };
      const open = (state.openOrders ?? []).length;
      const held = (state.positions ?? []).some((p) => !Dec.parse(String(p.positionAmt ?? p.quantity ?? '0')).isZero());
      return open === 0 && !held;
    }, 20_000);
    expect(report.unconfirmed, JSON.stringify(report.unconfirmed)).toEqual([]);
    expect(keel.engine.positions().filter((p) => p.venue === venue)).toEqual([]);
  }, 60_000);

  it('never lets the secret reach an event, an answer, a log line, the journal or its WAL', async () => {
    // One more path that fails loudly: a wrong key for the same venue.
    await call<CredentialStatus>('credentials.set', { venue, apiKey: `${CANARY_KEY}x`, secret: `${CANARY_SECRET}x` }).catch((error: Error) => error);
    const inText = (text: string) => text.includes(CANARY_SECRET);
    expect(published.filter((p) => inText(JSON.stringify(p.payload))).map((p) => p.topic)).toEqual([]);
    expect(answers.filter((a) => inText(JSON.stringify(a)))).toEqual([]);
    expect(logged.filter(inText)).toEqual([]);
    for (const file of readdirSync(dataDir)) {
      const bytes = readFileSync(join(dataDir, file));
      expect(bytes.includes(Buffer.from(CANARY_SECRET)), `${file} holds the secret`).toBe(false);
      expect(bytes.includes(Buffer.from(CANARY_KEY)), `${file} holds the API key`).toBe(false);
    }
  });
});
