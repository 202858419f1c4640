/**
 * The contract's alert centre: every alert Keel raised (a fill, a risk
 * refusal, the emergency stop, a strategy error, a reconciliation
 * difference, a venue lost, a margin warning or liquidation, a price alert,
 * a crash), kept in the journal and listed newest first; the channels each
 * kind goes out on (the centre always; a desktop notice, a sound, email);
 * the SMTP server email goes through (its password kept in the OS keychain,
 * never answered back); the daily report; and a test message whose answer is
 * the mail server's own.
 */
import { z } from 'zod';
import { timestampMs } from '../domain';
import { isTimeZone } from '../risk';
import { empty, method } from './common';

/** What an alert is about; the engine's AlertSink port raises these kinds. */
export const ALERT_KIND_NAMES = [
  'fill',
  'priceAlert',
  'riskBreach',
  'emergencyStop',
  'strategyError',
  'reconciliation',
  'venueDisconnected',
  'marginWarning',
  'liquidation',
  'crash',
  'system',
  'pipeline',
] as const;
export const alertKindSchema = z.enum(ALERT_KIND_NAMES);
export type AlertKindName = z.infer<typeof alertKindSchema>;
export const ALERT_SEVERITIES = ['info', 'warning', 'critical'] as const;

/** Channels beyond the notification centre, which lists every alert whatever these say. */
export const alertChannelsSchema = z.object({ desktop: z.boolean(), sound: z.boolean(), email: z.boolean() }).strict();
export type AlertChannels = z.infer<typeof alertChannelsSchema>;

export const alertRecordSchema = z.object({
  /** Grows with every alert raised: the newest has the highest id. */
  id: z.number().int().positive(),
  kind: alertKindSchema,
  severity: z.enum(ALERT_SEVERITIES),
  title: z.string(),
  body: z.string(),
  venue: z.string().nullable(),
  symbol: z.string().nullable(),
  subjectId: z.string().nullable(),
  raisedAt: timestampMs,
  read: z.boolean(),
  /** The channels it went out on, as the settings stood when it was raised. */
  channels: alertChannelsSchema,
});
export type AlertRecord = z.infer<typeof alertRecordSchema>;

export const MAX_ALERTS_LISTED = 500;

export const listAlertsParams = z
  .object({
    /** Default 100. */
    limit: z.number().int().min(1).max(MAX_ALERTS_LISTED).optional(),
    /** Only alerts older than this id (the oldest one already shown), to page back. */
    before: z.number().int().positive().optional(),
  })
  .strict();

// ---------------------------------------------------------------------------
// Settings

/** A host name or an IP literal, as a mail server is named; no scheme, no path, no spaces. */
const hostName = z
  .string()
  .trim()
  .min(1, 'give the mail server')
  .max(253)
  .regex(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*)$/, 'must be a host name or an IP address');
const mailbox = z.string().trim().max(254).regex(/^[^\s@<>(),;:"]+@[^\s@<>(),;:"]+$/, 'must be an email address (name@example.com)');

export const SMTP_SECURITY = ['tls', 'starttls', 'none'] as const;
export const MAX_RECIPIENTS = 10;

export const smtpSettingsSchema = z
  .object({
    host: hostName,
    port: z.number().int().min(1).max(65_535),
    /** tls: encrypted from the first byte (port 465); starttls: upgraded before logging in, refused without it (587); none: plain (a local relay). */
    security: z.enum(SMTP_SECURITY),
    /** Empty: the server takes mail without logging in. */
    user: z.string().trim().max(254),
    from: mailbox,
    to: z.array(mailbox).min(1, 'give at least one recipient').max(MAX_RECIPIENTS),
  })
  .strict();
export type SmtpSettings = z.infer<typeof smtpSettingsSchema>;

/** "HH:MM", 24-hour. */
export const timeOfDaySchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be a time as HH:MM (24-hour)');

export const timeZoneSchema = z.string().min(1).max(64).refine(isTimeZone, 'must be an IANA time zone, such as Europe/Berlin or UTC');

export const dailyReportSettingsSchema = z.object({ enabled: z.boolean(), time: timeOfDaySchema, timeZone: timeZoneSchema }).strict();
export type DailyReportSettings = z.infer<typeof dailyReportSettingsSchema>;

export const alertChannelMapSchema = z.object(Object.fromEntries(ALERT_KIND_NAMES.map((k) => [k, alertChannelsSchema])) as Record<AlertKindName, typeof alertChannelsSchema>).strict();
export type AlertChannelMap = z.infer<typeof alertChannelMapSchema>;

export const alertSettingsSchema = z
  .object({
    channels: alertChannelMapSchema,
    /** Null until a mail server is set: no email goes out. */
    smtp: smtpSettingsSchema.nullable(),
    dailyReport: dailyReportSettingsSchema,
  })
  .strict();
export type AlertSettings = z.infer<typeof alertSettingsSchema>;

/** How outgoing email is faring (the system monitor reads the same). */
export const deliveryStatusSchema = z.object({
  queued: z.number().int().nonnegative(),
  failingAttempts: z.number().int().nonnegative(),
  lastError: z.string().nullable(),
  lastSentAt: timestampMs.nullable(),
  lastFailedAt: timestampMs.nullable(),
  /** Messages given up on (too many failed attempts, or the queue was full). */
  dropped: z.number().int().nonnegative(),
});
export type DeliveryStatusView = z.infer<typeof deliveryStatusSchema>;

export const alertSettingsViewSchema = alertSettingsSchema.extend({
  /** Whether an SMTP password is kept in the keychain; the password itself never leaves the main process. */
  smtpPasswordSet: z.boolean(),
  /** Where it is kept, as the keychain names itself. */
  keychain: z.string(),
  delivery: deliveryStatusSchema,
  /** When the next daily report goes out; null while it is off. */
  nextReportAt: timestampMs.nullable(),
});
export type AlertSettingsView = z.infer<typeof alertSettingsViewSchema>;

export const MAX_SMTP_PASSWORD_CHARS = 512;

/** Each part given replaces the one kept; parts left out stay as they are. */
export const setAlertSettingsParams = z
  .object({
    /** Per kind; kinds left out keep their channels. */
    channels: alertChannelMapSchema.partial().optional(),
    smtp: smtpSettingsSchema.nullable().optional(),
    /** A string replaces the password in the keychain; null removes it; absent leaves it. */
    smtpPassword: z.string().min(1).max(MAX_SMTP_PASSWORD_CHARS).nullable().optional(),
    dailyReport: dailyReportSettingsSchema.optional(),
  })
  .strict();
export type SetAlertSettingsParams = z.infer<typeof setAlertSettingsParams>;

/** The mail server's answer to a test message. */
export const emailTestResultSchema = z.object({
  accepted: z.array(z.string()),
  rejected: z.array(z.string()),
  /** The server's last reply, as it said it ("250 2.0.0 Ok: queued as ..."). */
  response: z.string(),
  messageId: z.string().nullable(),
});
export type EmailTestResult = z.infer<typeof emailTestResultSchema>;

export const alertCenterMethods = {
  /** Newest first, with how many are unread. */
  'alerts.list': method('query', listAlertsParams, z.object({ alerts: z.array(alertRecordSchema), unread: z.number().int().nonnegative() })),
  /** Marks every alert up to this id (default: all) as read. */
  'alerts.markRead': method('command', z.object({ upTo: z.number().int().positive().optional() }).strict(), z.object({ unread: z.number().int().nonnegative() })),
  'alerts.settings.get': method('query', empty, alertSettingsViewSchema),
  'alerts.settings.set': method('command', setAlertSettingsParams, alertSettingsViewSchema),
  /**
   * Sends a test message now, past the queue, with the saved settings (to the
   * saved recipients, or to `to`). Answers what the server said; a refusal or
   * a failure to connect is an EMAIL_FAILED error carrying the server's answer.
   * A query, so a slow server never holds up a command behind it.
   */
  'email.test': method('query', z.object({ to: mailbox.optional() }).strict(), emailTestResultSchema),
} as const;

export const alertCenterEvents = {
  /** An alert was raised (published after it is kept). */
  'alerts.new': alertRecordSchema,
  /** Alerts were marked read. */
  'alerts.read': z.object({ unread: z.number().int().nonnegative() }),
} as const;
