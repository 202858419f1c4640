/**
 * The alert settings' defaults, and how saved settings and a change are
 * checked against the contract: a saved record is completed with the
 * defaults for whatever it lacks (a kind added since it was saved), and a
 * change is refused whole (VALIDATION_FAILED) before anything is kept.
 */
import { z } from 'zod';
import {
  ALERT_KIND_NAMES,
  alertChannelsSchema,
  alertSettingsSchema,
  dailyReportSettingsSchema,
  setAlertSettingsParams,
  smtpSettingsSchema,
  type AlertChannelMap,
  type AlertChannels,
  type AlertKindName,
  type AlertSettings,
  type SetAlertSettingsParams,
} from '../../shared/contract/alertCenter';
import { KeelError } from '../../shared/errors';

/** The keychain account the SMTP password is kept under. */
export const SMTP_PASSWORD_ACCOUNT = 'smtp:password';

/** Fills are off on every channel by default (they already announce themselves on screen); email about them is opt-in. */
const QUIET: AlertChannels = { desktop: false, sound: false, email: false };
const LOUD: AlertChannels = { desktop: true, sound: true, email: true };

/**
 * Kinds the notification centre keeps only while one of their channels is on.
 * Fills have their own blotter and come by the hundred from a busy strategy:
 * listed regardless, they would push the alerts that matter out of the
 * centre (it keeps the newest 5,000) and add a journal write to every fill.
 */
export const KEPT_ONLY_WHEN_ASKED: ReadonlySet<AlertKindName> = new Set<AlertKindName>(['fill']);

export function defaultChannels(kind: AlertKindName): AlertChannels {
  return kind === 'fill' ? { ...QUIET } : { ...LOUD };
}

export const DEFAULT_ALERT_SETTINGS: AlertSettings = {
  channels: Object.fromEntries(ALERT_KIND_NAMES.map((k) => [k, defaultChannels(k)])) as AlertChannelMap,
  smtp: null,
  dailyReport: { enabled: false, time: '18:00', timeZone: 'UTC' },
};

/**
 * Saved settings brought up to date: every part that reads as the contract
 * says is kept, anything else (a kind added since, a part that no longer
 * reads) takes its default, so an old journal never stops alerts.
 */
export function completeSettings(saved: unknown): AlertSettings {
  const defaults = structuredClone(DEFAULT_ALERT_SETTINGS);
  if (saved === null || typeof saved !== 'object') return defaults;
  const raw = saved as Record<string, unknown>;
  const savedChannels = raw.channels !== null && typeof raw.channels === 'object' ? (raw.channels as Record<string, unknown>) : {};
  const channels = Object.fromEntries(
    ALERT_KIND_NAMES.map((k) => {
      const parsed = alertChannelsSchema.safeParse(savedChannels[k]);
      return [k, parsed.success ? parsed.data : defaultChannels(k)];
    }),
  ) as AlertChannelMap;
  const smtp = smtpSettingsSchema.nullable().safeParse(raw.smtp);
  const report = dailyReportSettingsSchema.safeParse(raw.dailyReport);
  return alertSettingsSchema.parse({
    channels,
    smtp: smtp.success ? smtp.data : null,
    dailyReport: report.success ? report.data : defaults.dailyReport,
  });
}

/** Checks a change as the contract does (for callers that did not come through the host) and refuses it whole. */
export function checkChange(params: unknown): SetAlertSettingsParams {
  const parsed = setAlertSettingsParams.safeParse(params);
  if (!parsed.success) throw new KeelError('VALIDATION_FAILED', `The alert settings were not changed: ${z.prettifyError(parsed.error)}`, { issues: parsed.error.issues });
  return parsed.data;
}

/** The settings after a (checked) change; the password is the keychain's business, not part of these. */
export function applyChange(current: AlertSettings, change: SetAlertSettingsParams): AlertSettings {
  const next: AlertSettings = structuredClone(current);
  for (const kind of ALERT_KIND_NAMES) {
    const channels = change.channels?.[kind];
    if (channels) next.channels[kind] = { ...channels };
  }
  if (change.smtp !== undefined) next.smtp = change.smtp === null ? null : { ...change.smtp, to: [...change.smtp.to] };
  if (change.dailyReport !== undefined) next.dailyReport = { ...change.dailyReport };
  return alertSettingsSchema.parse(next);
}
