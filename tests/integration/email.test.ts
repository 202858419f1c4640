/**
 * Email through a real mail server on 127.0.0.1 (smtp-server), from the
 * real app (engine, paper venue, SQLite), over the contract: the SMTP
 * settings are checked and kept (the password in the keychain, never
 * answered back), "send test" answers what the server said, the daily
 * report arrives at its local time with the day's figures and its CSV, a
 * server that refuses and then accepts is retried and shows in the delivery
 * status, and trading goes on while a server hangs or is down.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localTimeAt } from '../../src/main/core/zonedTime';
import { createKeel, type Keel } from '../../src/main/app';
import { LiveClock, type Clock } from '../../src/main/engine/ports/clock';
import { MemorySecretStore } from '../../src/main/secrets/memorySecretStore';
import type { AlertSettingsView, AnalyticsSummary, EmailTestResult, ExportFile, RoundTripView, SmtpSettings } from '../../src/shared/contract';
import type { AlertRecord } from '../../src/shared/contract/alertCenter';
import { Dec } from '../../src/shared/decimal';
import type { Order } from '../../src/shared/domain';
import { readMessage, startMailServer, type TestMailServer } from '../support/mailServer';

const BTC = { venue: 'paper', symbol: 'BTC/USDT:USDT' } as const;
const DAY = 86_400_000;
const USER = 'desk';
const PASSWORD = 'correct horse battery';

/** The live clock, moved forward by a chosen amount: the test sets it just before a report's minute instead of waiting for one. */
class ShiftedClock implements Clock {
  shift = 0;
  private readonly live = new LiveClock();
  now(): number {
    return Date.now() + this.shift;
  }
  every(ms: number, fn: () => void) {
    return this.live.every(ms, fn);
  }
  after(ms: number, fn: () => void) {
    return this.live.after(ms, fn);
  }
}

let keel: Keel;
let dataDir: string;
let mail: TestMailServer;
let smtp: SmtpSettings;
const secrets = new MemorySecretStore();
const clock = new ShiftedClock();

beforeAll(async () => {
  mail = await startMailServer({ user: USER, password: PASSWORD });
  smtp = { host: '127.0.0.1', port: mail.port, security: 'none', user: USER, from: 'keel@example.com', to: ['trader@example.com'] };
  dataDir = mkdtempSync(join(tmpdir(), 'keel-email-'));
  keel = await createKeel({
    dataDir,
    mode: 'headless',
    seed: 5,
    clock,
    secrets,
    checkResults: true,
    email: { backoff: { initialMs: 300, maxMs: 1_000 }, maxAttempts: 100, smtpTimeouts: { connectionMs: 4_000, greetingMs: 4_000, socketMs: 6_000 }, sendTimeoutMs: 20_000 },
  });
});

afterAll(async () => {
  await keel?.shutdown();
  await mail?.close();
  rmSync(dataDir, { recursive: true, force: true });
});

async function call<T>(method: string, params: unknown = {}): Promise<T> {
  const outcome = await keel.server.invoke(method, params);
  if (!outcome.ok) throw Object.assign(new Error(outcome.error.message), outcome.error);
  return outcome.result as T;
}

async function refusal(method: string, params: unknown = {}): Promise<{ code: string; message: string; data?: unknown }> {
  const outcome = await keel.server.invoke(method, params);
  if (outcome.ok) throw new Error(`${method} was accepted`);
  return outcome.error;
}

async function until<T>(what: string, read: () => T | Promise<T>, ok: (value: T) => boolean, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('email settings and "send test"', () => {
  it('refuses a test before a server is set', async () => {
    expect((await refusal('email.test')).code).toBe('INVALID_STATE');
  });

  it('keeps the SMTP settings, the password in the keychain only, and refuses bad ones whole', async () => {
    const view = await call<AlertSettingsView>('alerts.settings.set', { smtp, smtpPassword: PASSWORD });
    expect(view.smtp).toEqual(smtp);
    expect(view.smtpPasswordSet).toBe(true);
    expect(JSON.stringify(view)).not.toContain(PASSWORD);
    expect(await secrets.get('smtp:password')).toBe(PASSWORD);
    const bad = await refusal('alerts.settings.set', { smtp: { ...smtp, port: 0 }, smtpPassword: 'other' });
    expect(bad.code).toBe('VALIDATION_FAILED');
    expect((await refusal('alerts.settings.set', { dailyReport: { enabled: true, time: '07:00', timeZone: 'Nowhere/Special' } })).code).toBe('VALIDATION_FAILED');
    const after = await call<AlertSettingsView>('alerts.settings.get');
    expect(after.smtp).toEqual(smtp);
    expect(after.dailyReport.enabled).toBe(false);
    expect(await secrets.get('smtp:password')).toBe(PASSWORD);
  });

  it('answers a test with what the server said, logged in with the password from the keychain', async () => {
    const answer = await call<EmailTestResult>('email.test');
    expect(answer.accepted).toEqual(['trader@example.com']);
    expect(answer.rejected).toEqual([]);
    expect(answer.response).toMatch(/^250 /);
    const got = await mail.waitFor(1);
    expect(got).toMatchObject({ from: 'keel@example.com', to: ['trader@example.com'], user: USER });
    expect(readMessage(got.raw).subject).toBe('Keel: test message');
  });

  it("answers a refusal as EMAIL_FAILED with the server's own reply", async () => {
    mail.refuseRecipient('nobody@example.com');
    const refused = await refusal('email.test', { to: 'nobody@example.com' });
    expect(refused.code).toBe('EMAIL_FAILED');
    expect(refused.data).toMatchObject({ responseCode: 550 });
    expect(refused.message).toMatch(/Recipient address rejected/);

    await call('alerts.settings.set', { smtpPassword: 'wrong password' });
    const denied = await refusal('email.test');
    expect(denied.code).toBe('EMAIL_FAILED');
    expect(denied.data).toMatchObject({ responseCode: 535, code: 'EAUTH' });
    expect(denied.message).not.toContain('wrong password');
    await call('alerts.settings.set', { smtpPassword: PASSWORD });
  });
});

describe('the daily report', () => {
  it('arrives at its local time with the day’s figures and the round trips as CSV', async () => {
    await call<Order>('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.02' });
    await call<Order>('orders.place', { ...BTC, side: 'sell', type: 'market', quantity: '0.02' });
    const { trades } = await call<{ trades: RoundTripView[] }>('journal.trades', { filters: { status: 'closed' } });
    expect(trades).toHaveLength(1);
    const before = mail.received.length;

    // Two seconds before a whole minute, in a zone half an hour off UTC; the report is set for that minute there.
    clock.shift += (58_000 - (clock.now() % 60_000) + 60_000) % 60_000;
    const due = clock.now() + 2_000 - ((clock.now() + 2_000) % 60_000);
    const local = localTimeAt(due, 'Asia/Kolkata');
    const time = `${String(local.hour).padStart(2, '0')}:${String(local.minute).padStart(2, '0')}`;
    const view = await call<AlertSettingsView>('alerts.settings.set', { dailyReport: { enabled: true, time, timeZone: 'Asia/Kolkata' } });
    expect(view.nextReportAt).toBe(due);

    const got = await mail.waitFor(before + 1);
    const message = readMessage(got.raw);
    const range = { from: due - DAY, to: due };
    const summary = await call<AnalyticsSummary>('analytics.summary', { scope: { kind: 'account' }, ...range });
    const net = Dec.parse(summary.figures.netPnl);
    expect(net.eq(Dec.parse(trades[0]!.netPnl))).toBe(true);
    expect(summary.figures.trades).toBe(1);
    expect(message.subject).toBe(`[Keel] Daily report ${new Date(due + 5.5 * 3_600_000).toISOString().slice(0, 10)}: ${net.toFixed(2)} USDT, 1 trades`);
    expect(message.text).toContain(`Net PnL: ${net.toFixed(2)} USDT`);
    expect(message.text).toContain('Round trips closed: 1');
    expect(message.text).toContain(`Fees paid: ${Dec.parse(summary.figures.feesPaid).toFixed(2)} USDT`);
    expect(message.text).toContain('Manual trading: 1 trades');
    expect(message.text).toContain('Trading state: ACTIVE');
    expect(message.text).toMatch(/paper \(ready\): last reconciled .*, in agreement; 0 unresolved differences/);
    expect(message.html).toContain('<h2 style="font-size:16px">Per strategy</h2>');
    expect(message.html).toContain(net.toFixed(2));
    // The attachment is the analytics export of the same day, as export.csv gives it.
    const csv = await call<ExportFile>('export.csv', { kind: 'trades', ...range });
    expect(message.attachments).toEqual([{ filename: csv.filename, contentType: 'text/csv', content: csv.content }]);
    expect(csv.rows).toBe(1);
    const next = await call<AlertSettingsView>('alerts.settings.get');
    expect(next.nextReportAt).toBe(due + DAY);
  });
});

describe('alert delivery', () => {
  it('retries a server that refuses, shows it in the delivery status, and delivers once it accepts', async () => {
    const before = mail.received.length;
    mail.refuseNext(2, 451, '4.3.0 Mailbox temporarily unavailable');
    await call('emergency.stop', { flatten: false });
    const failing = await until('the delivery status', () => keel.alerts.delivery.status(), (s) => s.failingAttempts >= 1);
    expect(failing.queued).toBeGreaterThanOrEqual(1);
    expect(failing.lastError).toMatch(/451/);
    expect(failing.lastFailedAt).not.toBeNull();
    const got = await mail.waitFor(before + 1);
    expect(readMessage(got.raw).subject).toMatch(/^\[Keel\] CRITICAL: Emergency stop \(button\): trading halted$/);
    const healed = await until('the delivery status', () => keel.alerts.delivery.status(), (s) => s.queued === 0);
    expect(healed).toMatchObject({ failingAttempts: 0, lastError: null });
    expect(healed.lastSentAt).toBeGreaterThanOrEqual(healed.lastFailedAt!);
    const { alerts } = await call<{ alerts: AlertRecord[] }>('alerts.list', { limit: 5 });
    expect(alerts.some((a) => a.kind === 'emergencyStop' && a.channels.email)).toBe(true);
    await call('emergency.rearm', { confirm: true });
  });

  it('keeps trading while the mail server hangs, and reports it once the wait runs out', async () => {
    // Takes connections and never says a word.
    const sockets: Socket[] = [];
    const silent: Server = createServer((socket) => sockets.push(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const port = (silent.address() as { port: number }).port;
    try {
      await call('alerts.settings.set', { smtp: { ...smtp, port } });
      keel.alerts.raise({ kind: 'system', severity: 'warning', title: 'Disk almost full', body: 'The journal volume has 2% free.' });
      let testAnswered = false;
      const testing = keel.server.invoke('email.test', {}).finally(() => (testAnswered = true));
      const order = await call<Order>('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.001' });
      expect(order.status).toBe('filled');
      expect(testAnswered).toBe(false);
      // The order went through while the queued alert and the test were both still waiting on the server.
      expect(keel.alerts.delivery.status()).toMatchObject({ queued: 1, failingAttempts: 0 });
      const answer = await testing;
      expect(answer.ok).toBe(false);
      if (!answer.ok) {
        expect(answer.error.code).toBe('EMAIL_FAILED');
        expect(answer.error.message).toMatch(/greeting|timeout|timed out/i);
      }
      const failing = await until('the delivery status', () => keel.alerts.delivery.status(), (s) => s.failingAttempts >= 1);
      expect(failing.lastError).toMatch(/greeting|timeout|timed out/i);
      await call<Order>('orders.place', { ...BTC, side: 'sell', type: 'market', quantity: '0.001' });
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('answers a server that is down as EMAIL_FAILED, and delivers what waited once it is back', async () => {
    const down: Server = createServer();
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const port = (down.address() as { port: number }).port;
    await new Promise<void>((resolve) => down.close(() => resolve()));
    await call('alerts.settings.set', { smtp: { ...smtp, port } });
    const refused = await refusal('email.test');
    expect(refused.code).toBe('EMAIL_FAILED');
    expect(refused.message).toMatch(/ECONNREFUSED/);
    // Back to the working server: the alert that waited through all this goes out.
    const before = mail.received.length;
    await call('alerts.settings.set', { smtp });
    const got = await mail.waitFor(before + 1);
    expect(readMessage(got.raw).subject).toBe('[Keel] Disk almost full');
    await until('the delivery status', () => keel.alerts.delivery.status(), (s) => s.queued === 0 && s.lastError === null);
  });

  it('raises an error nobody caught as a crash alert, listed and emailed, and trading goes on', async () => {
    const before = mail.received.length;
    keel.onUnexpectedError(new TypeError("Cannot read properties of undefined (reading 'price')"));
    const { alerts, unread } = await call<{ alerts: AlertRecord[]; unread: number }>('alerts.list', { limit: 1 });
    expect(alerts[0]).toMatchObject({ kind: 'crash', severity: 'critical', title: 'Keel caught an unexpected error', read: false });
    expect(alerts[0]!.body).toContain("Cannot read properties of undefined (reading 'price')");
    expect(unread).toBeGreaterThanOrEqual(1);
    const got = await mail.waitFor(before + 1);
    expect(readMessage(got.raw).subject).toBe('[Keel] CRITICAL: Keel caught an unexpected error');
    expect((await call<Order>('orders.place', { ...BTC, side: 'buy', type: 'market', quantity: '0.001' })).status).toBe('filled');
    expect(await call<{ unread: number }>('alerts.markRead', {})).toEqual({ unread: 0 });
  });
});
