import { describe, expect, it } from 'vitest';
import type { EventPayload, EventTopic } from '../../shared/contract';
import type { AlertRecord, SmtpSettings } from '../../shared/contract/alertCenter';
import { KeelError } from '../../shared/errors';
import { SimulatedClock } from '../engine/ports/clock';
import { silentLogger } from '../engine/ports/logger';
import { openJournalDatabase } from '../journal/database';
import { SqliteAlertStore } from '../journal/sqliteAlertStore';
import { MemorySecretStore } from '../secrets/memorySecretStore';
import { AlertCenter, REPEAT_WINDOW_MS } from './alertCenter';
import { DEFAULT_ALERT_SETTINGS, SMTP_PASSWORD_ACCOUNT } from './alertSettings';
import { MemoryAlertStore, type AlertStore } from './alertStore';
import type { OutgoingEmail } from './emailQueue';

const SMTP: SmtpSettings = { host: 'mail.example.com', port: 587, security: 'starttls', user: 'desk', from: 'keel@example.com', to: ['trader@example.com'] };

function setup(store: AlertStore = new MemoryAlertStore()) {
  const clock = new SimulatedClock(1_000_000);
  const secrets = new MemorySecretStore();
  const published: Array<{ topic: EventTopic; payload: unknown }> = [];
  const sent: OutgoingEmail[] = [];
  const center = new AlertCenter({
    store,
    secrets,
    clock,
    log: silentLogger,
    publish: <T extends EventTopic>(topic: T, payload: EventPayload<T>) => published.push({ topic, payload }),
    send: async (m) => {
      sent.push(m);
      return { accepted: m.to ?? SMTP.to, rejected: [], response: '250 2.0.0 Ok: queued', messageId: '<1@x>' };
    },
  });
  return { clock, secrets, published, sent, center, store };
}

async function rejects(work: Promise<unknown>, code: string): Promise<KeelError> {
  const error = await work.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(KeelError);
  expect((error as KeelError).code).toBe(code);
  return error as KeelError;
}

describe('the alert centre', () => {
  it('sends an alert whose desktop notice was shown already on its other channels only', () => {
    const { center, published } = setup();
    center.raise({ kind: 'emergencyStop', severity: 'critical', title: 'Emergency stop (hotkey)', body: 'Halted.', subjectId: 'e1', desktopShown: true });
    center.raise({ kind: 'emergencyStop', severity: 'critical', title: 'Emergency stop (button)', body: 'Halted.', subjectId: 'e2' });
    expect(published.map((p) => (p.payload as AlertRecord).channels)).toEqual([
      { desktop: false, sound: true, email: true },
      { desktop: true, sound: true, email: true },
    ]);
  });

  it('keeps each alert, publishes it with its channels, and lists newest first with the unread count', async () => {
    const { center, published, clock } = setup();
    center.raise({ kind: 'emergencyStop', severity: 'critical', title: 'Emergency stop', body: '3 orders canceled.' });
    clock.advanceBy(10);
    // A fill is kept only once the trader asked to hear of fills on some channel (by default none is on).
    center.raise({ kind: 'fill', severity: 'info', title: 'Filled: Buy 1 BTC/USDT', body: 'At 100', venue: 'paper', symbol: 'BTC/USDT', subjectId: 'o0' });
    expect(center.list().alerts.map((a) => a.kind)).toEqual(['emergencyStop']);
    await center.update({ channels: { fill: { desktop: true, sound: false, email: false } } });
    center.raise({ kind: 'fill', severity: 'info', title: 'Filled: Buy 1 BTC/USDT', body: 'At 100', venue: 'paper', symbol: 'BTC/USDT', subjectId: 'o1' });
    const listed = center.list();
    expect(listed.unread).toBe(2);
    expect(listed.alerts.map((a) => [a.kind, a.raisedAt, a.read])).toEqual([
      ['fill', 1_000_010, false],
      ['emergencyStop', 1_000_000, false],
    ]);
    expect(listed.alerts[0]).toMatchObject({ venue: 'paper', symbol: 'BTC/USDT', subjectId: 'o1', channels: { desktop: true, sound: false, email: false } });
    expect(listed.alerts[1]).toMatchObject({ venue: null, subjectId: null, channels: { desktop: true, sound: true, email: true } });
    expect(published.map((p) => p.topic)).toEqual(['alerts.new', 'alerts.new']);
    expect(published[1]!.payload).toEqual(listed.alerts[0]);
    // Paging back, and marking read.
    expect(center.list({ limit: 1, before: listed.alerts[0]!.id }).alerts.map((a) => a.kind)).toEqual(['emergencyStop']);
    expect(center.markRead(listed.alerts[1]!.id)).toEqual({ unread: 1 });
    expect(center.markRead()).toEqual({ unread: 0 });
    expect(published.at(-1)).toEqual({ topic: 'alerts.read', payload: { unread: 0 } });
  });

  it('keeps the same alert once within a spell, and again after it', () => {
    const { center, clock } = setup();
    const alert = { kind: 'venueDisconnected', severity: 'critical', title: 'Venue binance disconnected', body: 'socket closed' } as const;
    center.raise(alert);
    clock.advanceBy(REPEAT_WINDOW_MS - 1);
    center.raise(alert);
    center.raise({ ...alert, body: 'another reason' });
    expect(center.list().alerts).toHaveLength(2);
    clock.advanceBy(1);
    center.raise(alert);
    expect(center.list().alerts).toHaveLength(3);
  });

  it('keeps no credential in what it keeps, shows or emails', () => {
    const { center, published } = setup();
    const redacting = new AlertCenter({
      store: new MemoryAlertStore(),
      secrets: new MemorySecretStore(),
      clock: new SimulatedClock(0),
      log: silentLogger,
      publish: <T extends EventTopic>(topic: T, payload: EventPayload<T>) => published.push({ topic, payload }),
      redact: (text) => text.replaceAll('KEY123', '[redacted]'),
    });
    redacting.raise({ kind: 'strategyError', severity: 'critical', title: 'Refused KEY123', body: 'GET /order?apiKey=KEY123 failed' });
    expect(redacting.list().alerts[0]).toMatchObject({ title: 'Refused [redacted]', body: 'GET /order?apiKey=[redacted] failed' });
    expect(JSON.stringify(published)).not.toContain('KEY123');
    expect(center.list().alerts).toEqual([]);
  });

  it('never throws into the code raising, even when the journal fails', () => {
    const store = new MemoryAlertStore();
    store.insert = () => {
      throw new Error('disk I/O error');
    };
    const { center } = setup(store);
    expect(() => center.raise({ kind: 'crash', severity: 'critical', title: 't', body: 'b' })).not.toThrow();
  });

  it('emails the kinds whose email channel is on, once a mail server is set', async () => {
    const { center, sent, clock } = setup();
    center.raise({ kind: 'strategyError', severity: 'critical', title: 'Strategy A stopped on an error', body: 'boom' });
    await clock.advanceAndSettle();
    expect(sent).toHaveLength(0);
    await center.update({ smtp: SMTP, channels: { marginWarning: { desktop: true, sound: true, email: false } } });
    center.raise({ kind: 'strategyError', severity: 'critical', title: 'Strategy B stopped on an error', body: 'boom' });
    center.raise({ kind: 'marginWarning', severity: 'warning', title: 'Margin warning', body: 'ratio 80%' });
    center.raise({ kind: 'fill', severity: 'info', title: 'Filled', body: 'x' });
    await clock.advanceAndSettle();
    expect(sent.map((m) => m.subject)).toEqual(['[Keel] CRITICAL: Strategy B stopped on an error']);
    expect(sent[0]!.text).toContain('boom');
    expect(center.delivery.status()).toMatchObject({ queued: 0, lastSentAt: clock.now(), failingAttempts: 0 });
  });

  it('keeps the SMTP password in the keychain and only ever says whether it is set', async () => {
    const { center, secrets } = setup();
    expect((await center.view()).smtpPasswordSet).toBe(false);
    const saved = await center.update({ smtp: SMTP, smtpPassword: 's3cret-pass' });
    expect(await secrets.get(SMTP_PASSWORD_ACCOUNT)).toBe('s3cret-pass');
    const view = await center.view();
    expect(view.smtpPasswordSet).toBe(true);
    expect(JSON.stringify(view)).not.toContain('s3cret-pass');
    expect(JSON.stringify(saved)).not.toContain('s3cret-pass');
    // Left out: kept. Null: removed.
    await center.update({ dailyReport: { enabled: true, time: '07:00', timeZone: 'Europe/Berlin' } });
    expect(await secrets.get(SMTP_PASSWORD_ACCOUNT)).toBe('s3cret-pass');
    await center.update({ smtpPassword: null });
    expect((await center.view()).smtpPasswordSet).toBe(false);
  });

  it('refuses a bad change whole, with VALIDATION_FAILED, and keeps what it had', async () => {
    const { center, secrets } = setup();
    await center.update({ smtp: SMTP, smtpPassword: 'first' });
    const before = center.current();
    const bad: unknown[] = [
      { smtp: { ...SMTP, port: 0 }, smtpPassword: 'second' },
      { smtp: { ...SMTP, to: ['not-an-address'] } },
      { smtp: { ...SMTP, host: 'smtp://mail.example.com' } },
      { dailyReport: { enabled: true, time: '25:00', timeZone: 'UTC' }, smtpPassword: 'second' },
      { dailyReport: { enabled: true, time: '07:00', timeZone: 'Europe/Atlantis' } },
      { channels: { fill: { desktop: true, sound: true, email: 'yes' } } },
      { channels: { unheardOf: { desktop: true, sound: true, email: true } } },
      { smtpPassword: 'nul\0inside' },
      { whatever: 1 },
    ];
    for (const change of bad) {
      await rejects(center.update(change), 'VALIDATION_FAILED');
      expect(center.current()).toEqual(before);
      expect(await secrets.get(SMTP_PASSWORD_ACCOUNT)).toBe('first');
    }
  });

  it('stores nothing when the keychain cannot take the password', async () => {
    const { center, secrets } = setup();
    secrets.failWith('locked');
    const error = await rejects(center.update({ smtp: SMTP, smtpPassword: 'p' }), 'KEYCHAIN_UNAVAILABLE');
    expect(error.message).not.toContain('p\u0000');
    expect(center.current().smtp).toBeNull();
  });

  it('answers a test with the server reply, and refuses one with no server set', async () => {
    const { center, sent } = setup();
    await rejects(center.test(), 'INVALID_STATE');
    await center.update({ smtp: SMTP });
    expect(await center.test('other@example.com')).toEqual({ accepted: ['other@example.com'], rejected: [], response: '250 2.0.0 Ok: queued', messageId: '<1@x>' });
    expect(sent[0]).toMatchObject({ subject: 'Keel: test message', to: ['other@example.com'] });
  });

  it('reads settings saved before a kind existed with that kind at its default', () => {
    const db = openJournalDatabase(':memory:');
    const store = new SqliteAlertStore(db);
    const { fill: _dropped, ...older } = DEFAULT_ALERT_SETTINGS.channels;
    db.prepare("INSERT INTO alert_settings (key, body, updated_at) VALUES ('settings', ?, 1)").run(
      JSON.stringify({ channels: { ...older, crash: { desktop: false, sound: false, email: true } }, smtp: SMTP, dailyReport: { enabled: true, time: '06:15', timeZone: 'Asia/Tokyo' } }),
    );
    const { center } = setup(store);
    expect(center.current()).toMatchObject({ smtp: SMTP, dailyReport: { time: '06:15' } });
    expect(center.current().channels.fill).toEqual(DEFAULT_ALERT_SETTINGS.channels.fill);
    expect(center.current().channels.crash).toEqual({ desktop: false, sound: false, email: true });
  });
});

describe('the SQLite alert store', () => {
  it('keeps alerts and settings across a reopen, pages by id and prunes the oldest', async () => {
    const db = openJournalDatabase(':memory:');
    const store = new SqliteAlertStore(db);
    const base = { severity: 'info', title: 't', body: 'b', venue: null, symbol: null, subjectId: null, channels: { desktop: true, sound: false, email: true } } as const;
    for (let i = 1; i <= 5; i++) store.insert({ ...base, kind: 'fill', raisedAt: i * 10, title: `t${i}` });
    expect(store.list(2).map((a) => a.title)).toEqual(['t5', 't4']);
    expect(store.list(10, store.list(2)[1]!.id).map((a) => a.title)).toEqual(['t3', 't2', 't1']);
    store.markRead(store.list(10)[2]!.id);
    expect(store.unreadCount()).toBe(2);
    store.prune(3);
    expect(store.list(10).map((a) => a.title)).toEqual(['t5', 't4', 't3']);
    const again = new SqliteAlertStore(db);
    expect(again.list(10)[0]).toEqual({ ...base, kind: 'fill', raisedAt: 50, title: 't5', id: 5, read: false });
    expect(again.loadSettings()).toBeNull();
    again.saveSettings(DEFAULT_ALERT_SETTINGS, 1);
    expect(new SqliteAlertStore(db).loadSettings()).toEqual(DEFAULT_ALERT_SETTINGS);
    expect(() => store.insert({ ...base, kind: 'nonsense' as 'fill', raisedAt: 1 })).toThrow();
  });
});
