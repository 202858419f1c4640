/**
 * The alert centre: the AlertSink the rest of Keel raises alerts through.
 * Each alert is kept in the journal and published (`alerts.new`) with the
 * channels its kind goes out on, as the trader set them: the notification
 * centre always, a desktop notice and a sound (the windows act on those),
 * and email, handed to a queue so that raising never waits on a mail
 * server. The same alert repeated within a short spell (a venue flapping, a
 * strategy refused on every bar) is kept once.
 *
 * It also holds the alert and email settings: kept in the journal, the SMTP
 * password in the OS keychain (answered only as "set" or not), and "send
 * test", which goes past the queue and answers the server's own reply.
 */
import type { EventPayload, EventTopic } from '../../shared/contract';
import {
  MAX_ALERTS_LISTED,
  type AlertRecord,
  type AlertSettings,
  type AlertSettingsView,
  type EmailTestResult,
} from '../../shared/contract/alertCenter';
import { KeelError, errorText } from '../../shared/errors';
import type { Clock } from '../engine/ports/clock';
import type { Logger } from '../engine/ports/logger';
import { SecretStoreUnavailable, type SecretStore } from '../engine/ports/secretStore';
import type { AlertInput, AlertSink } from './alertSink';
import { applyChange, checkChange, completeSettings, DEFAULT_ALERT_SETTINGS, KEPT_ONLY_WHEN_ASKED, SMTP_PASSWORD_ACCOUNT } from './alertSettings';
import type { AlertStore } from './alertStore';
import { EmailQueue, type Backoff, type EmailDeliveryStatus, type OutgoingEmail, type SendEmail } from './emailQueue';
import { emailFailed, smtpSender, type SmtpTimeouts } from './smtpMailer';

/** Alerts kept in the journal; older ones are dropped. */
export const ALERTS_KEPT = 5_000;
/** The same alert again within this spell is not kept twice. */
export const REPEAT_WINDOW_MS = 60_000;
const DEFAULT_LIST_LIMIT = 100;
const MAX_TEXT = 4_000;

type Publish = <T extends EventTopic>(topic: T, payload: EventPayload<T>) => void;

export interface AlertCenterOptions {
  store: AlertStore;
  secrets: SecretStore;
  clock: Clock;
  publish: Publish;
  log: Logger;
  /** How email goes out; default SMTP with the saved settings and the keychain's password. */
  send?: SendEmail;
  smtpTimeouts?: SmtpTimeouts;
  /** Trust a test server's self-signed certificate (tests only). */
  smtpTls?: { rejectUnauthorized: boolean };
  backoff?: Backoff;
  maxAttempts?: number;
  sendTimeoutMs?: number;
  /** Applied to every alert's text before it is kept, shown or emailed (a venue's error may carry a credential). */
  redact?: (text: string) => string;
}

/** What the system monitor reads: the sink and how email is faring. */
export interface AlertService extends AlertSink {
  delivery: { status(): EmailDeliveryStatus };
}

export class AlertCenter implements AlertService {
  private settingsNow: AlertSettings;
  private readonly queue: EmailQueue;
  private readonly send: SendEmail;
  private readonly recent = new Map<string, number>();
  private readonly listeners = new Set<(settings: AlertSettings) => void>();
  private raised = 0;
  readonly delivery: { status(): EmailDeliveryStatus };

  constructor(private readonly options: AlertCenterOptions) {
    this.settingsNow = this.loadSettings();
    this.send = options.send ?? smtpSender(async () => ({ smtp: this.settingsNow.smtp, password: await this.password() }), options.smtpTimeouts, options.smtpTls);
    this.queue = new EmailQueue({
      send: this.send,
      clock: options.clock,
      log: options.log,
      ...(options.backoff ? { backoff: options.backoff } : {}),
      ...(options.maxAttempts !== undefined ? { maxAttempts: options.maxAttempts } : {}),
      ...(options.sendTimeoutMs !== undefined ? { sendTimeoutMs: options.sendTimeoutMs } : {}),
    });
    this.delivery = { status: () => this.queue.status() };
  }

  // ---------------------------------------------------------------------------
  // The sink

  raise(alert: AlertInput): void {
    try {
      this.keep(alert);
    } catch (error) {
      // Raising never throws into the code that noticed something: the log keeps what the journal could not.
      this.options.log.error(`[alerts] could not keep the alert "${alert.title}": ${errorText(error)}`);
    }
  }

  private keep(alert: AlertInput): void {
    const channels = { ...this.settingsNow.channels[alert.kind] };
    if (alert.desktopShown) channels.desktop = false;
    if (KEPT_ONLY_WHEN_ASKED.has(alert.kind) && !channels.desktop && !channels.sound && !channels.email) return;
    const now = this.options.clock.now();
    const key = `${alert.kind}|${alert.subjectId ?? ''}|${alert.title}|${alert.body}`;
    const seen = this.recent.get(key);
    if (seen !== undefined && now - seen < REPEAT_WINDOW_MS) return;
    this.recent.set(key, now);
    if (this.recent.size > 1_000) for (const [k, at] of this.recent) if (now - at >= REPEAT_WINDOW_MS) this.recent.delete(k);
    const clean = this.options.redact ?? ((text: string) => text);
    const record = this.options.store.insert({
      kind: alert.kind,
      severity: alert.severity,
      title: clean(alert.title).slice(0, MAX_TEXT),
      body: clean(alert.body).slice(0, MAX_TEXT),
      venue: alert.venue ?? null,
      symbol: alert.symbol ?? null,
      subjectId: alert.subjectId ?? null,
      raisedAt: now,
      channels,
    });
    if (++this.raised % 100 === 0) this.options.store.prune(ALERTS_KEPT);
    this.options.publish('alerts.new', record);
    if (channels.email && this.settingsNow.smtp !== null) this.queue.enqueue(alertEmail(record));
  }

  // ---------------------------------------------------------------------------
  // The notification centre

  list(params: { limit?: number | undefined; before?: number | undefined } = {}): { alerts: AlertRecord[]; unread: number } {
    const limit = Math.min(MAX_ALERTS_LISTED, Math.max(1, params.limit ?? DEFAULT_LIST_LIMIT));
    return { alerts: this.options.store.list(limit, params.before), unread: this.options.store.unreadCount() };
  }

  markRead(upTo?: number): { unread: number } {
    this.options.store.markRead(upTo);
    const unread = this.options.store.unreadCount();
    this.options.publish('alerts.read', { unread });
    return { unread };
  }

  // ---------------------------------------------------------------------------
  // Settings

  /** The settings in force (without the password). */
  current(): AlertSettings {
    return structuredClone(this.settingsNow);
  }

  /** Told after every change (the daily report reschedules). */
  onSettingsChanged(listener: (settings: AlertSettings) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async view(nextReportAt: number | null = null): Promise<AlertSettingsView> {
    let smtpPasswordSet = false;
    let keychain = this.options.secrets.describe();
    try {
      smtpPasswordSet = (await this.options.secrets.get(SMTP_PASSWORD_ACCOUNT)) !== null;
    } catch (error) {
      keychain = `${keychain} (unavailable: ${errorText(error)})`;
    }
    return { ...this.current(), smtpPasswordSet, keychain, delivery: this.queue.status(), nextReportAt };
  }

  /** Checks the change whole, stores the password (if given) in the keychain, then keeps the rest; nothing changes if any step is refused. */
  async update(params: unknown): Promise<AlertSettings> {
    const change = checkChange(params);
    const next = applyChange(this.settingsNow, change);
    if (change.smtpPassword !== undefined) {
      try {
        if (change.smtpPassword === null) await this.options.secrets.delete(SMTP_PASSWORD_ACCOUNT);
        else await this.options.secrets.set(SMTP_PASSWORD_ACCOUNT, change.smtpPassword);
      } catch (error) {
        if (error instanceof SecretStoreUnavailable) throw new KeelError('KEYCHAIN_UNAVAILABLE', `The SMTP password was not stored: ${error.message}`, { reason: error.reason });
        if (error instanceof TypeError) throw new KeelError('VALIDATION_FAILED', `The SMTP password was not stored: ${error.message}`);
        throw new KeelError('KEYCHAIN_UNAVAILABLE', `The keychain failed: ${errorText(error)}`);
      }
    }
    this.options.store.saveSettings(next, this.options.clock.now());
    this.settingsNow = next;
    for (const listener of this.listeners) {
      try {
        listener(this.current());
      } catch (error) {
        this.options.log.warn(`[alerts] a settings listener failed: ${errorText(error)}`);
      }
    }
    // The server may have been put right: a message waiting out its pause goes now.
    this.queue.retryNow();
    return this.current();
  }

  // ---------------------------------------------------------------------------
  // Email

  /** Queues a message (the daily report); never blocks, never throws. */
  email(message: OutgoingEmail): void {
    if (this.settingsNow.smtp === null) {
      this.options.log.warn(`[email] "${message.subject}" not sent: no mail server is set`);
      return;
    }
    this.queue.enqueue(message);
  }

  /** Sends a test message now and answers the server's reply; a refusal is EMAIL_FAILED with the server's answer. */
  async test(to?: string): Promise<EmailTestResult> {
    if (this.settingsNow.smtp === null) throw new KeelError('INVALID_STATE', 'No mail server is set: save the SMTP settings first, then send a test.');
    const at = new Date(this.options.clock.now()).toISOString();
    try {
      return await this.send({
        subject: 'Keel: test message',
        text: `This is a test message from Keel, sent ${at}. Alerts and the daily report will reach this address.`,
        ...(to !== undefined ? { to: [to] } : {}),
      });
    } catch (error) {
      if (error instanceof KeelError) throw error;
      throw emailFailed(error);
    }
  }

  close(): void {
    this.queue.close();
    this.listeners.clear();
  }

  private async password(): Promise<string | null> {
    return this.settingsNow.smtp?.user ? this.options.secrets.get(SMTP_PASSWORD_ACCOUNT) : null;
  }

  private loadSettings(): AlertSettings {
    try {
      return completeSettings(this.options.store.loadSettings());
    } catch (error) {
      this.options.log.error(`[alerts] the alert settings could not be read; the defaults apply until they are saved again: ${errorText(error)}`);
      return structuredClone(DEFAULT_ALERT_SETTINGS);
    }
  }
}

/** An alert as email: the title as subject, the detail and where it happened in the text. */
export function alertEmail(alert: AlertRecord): OutgoingEmail {
  const where = [alert.venue, alert.symbol].filter((x) => x !== null).join(' · ');
  const lines = [alert.body, '', ...(where ? [`Where: ${where}`] : []), `When: ${new Date(alert.raisedAt).toISOString()}`, `Severity: ${alert.severity}`];
  return { subject: `[Keel]${alert.severity === 'critical' ? ' CRITICAL:' : ''} ${alert.title}`, text: lines.join('\n') };
}
