/**
 * Settings → Email's form in and out: the text fields as typed, read into
 * the contract's SMTP and daily-report settings with the contract's own
 * schemas (so the form refuses exactly what the engine would), and the
 * answer of "Send test" in words.
 */
import { KeelError } from '../../../shared/errors';
import {
  dailyReportSettingsSchema,
  smtpSettingsSchema,
  type AlertSettingsView,
  type DailyReportSettings,
  type EmailTestResult,
  type SmtpSettings,
} from '../../../shared/contract';

export interface EmailDraft {
  host: string;
  port: string;
  security: SmtpSettings['security'];
  user: string;
  /** Blank keeps the password in the keychain as it is. */
  password: string;
  from: string;
  to: string;
  reportEnabled: boolean;
  reportTime: string;
  reportZone: string;
}

export const DEFAULT_PORT: Record<SmtpSettings['security'], string> = { tls: '465', starttls: '587', none: '25' };

export function draftOf(view: AlertSettingsView): EmailDraft {
  const smtp = view.smtp;
  return {
    host: smtp?.host ?? '',
    port: smtp ? String(smtp.port) : DEFAULT_PORT.starttls,
    security: smtp?.security ?? 'starttls',
    user: smtp?.user ?? '',
    password: '',
    from: smtp?.from ?? '',
    to: smtp?.to.join(', ') ?? '',
    reportEnabled: view.dailyReport.enabled,
    reportTime: view.dailyReport.time,
    reportZone: view.dailyReport.timeZone,
  };
}

export type EmailFormResult =
  | { ok: true; smtp: SmtpSettings | null; dailyReport: DailyReportSettings }
  | { ok: false; problems: Partial<Record<'host' | 'port' | 'from' | 'to' | 'user' | 'reportTime' | 'reportZone' | 'form', string>> };

/** An empty server with nothing else filled in means "no email"; anything else must be a whole setting. */
export function readEmailForm(d: EmailDraft): EmailFormResult {
  const problems: Extract<EmailFormResult, { ok: false }>['problems'] = {};
  const blank = d.host.trim() === '' && d.from.trim() === '' && d.to.trim() === '' && d.user.trim() === '';
  let smtp: SmtpSettings | null = null;
  if (!blank) {
    const port = /^\d{1,5}$/.test(d.port.trim()) ? Number(d.port.trim()) : NaN;
    const parsed = smtpSettingsSchema.safeParse({
      host: d.host,
      port,
      security: d.security,
      user: d.user,
      from: d.from,
      to: d.to
        .split(/[,;\s]+/)
        .map((t) => t.trim())
        .filter((t) => t !== ''),
    });
    if (parsed.success) smtp = parsed.data;
    else
      for (const issue of parsed.error.issues) {
        const key = String(issue.path[0] ?? 'form') as keyof typeof problems;
        problems[key] ??= key === 'port' ? 'must be a port number, 1 to 65535' : issue.message;
      }
  }
  const report = dailyReportSettingsSchema.safeParse({ enabled: d.reportEnabled, time: d.reportTime.trim(), timeZone: d.reportZone.trim() });
  if (!report.success)
    for (const issue of report.error.issues) {
      const key = issue.path[0] === 'time' ? 'reportTime' : 'reportZone';
      problems[key] ??= issue.message;
    }
  if (report.success && report.data.enabled && smtp === null) problems.form = 'The daily report needs a mail server to go out through.';
  if (Object.keys(problems).length > 0 || !report.success) return { ok: false, problems };
  return { ok: true, smtp, dailyReport: report.data };
}

/** "Send test"'s outcome as the server put it. */
export function describeTestAnswer(outcome: { ok: true; result: EmailTestResult } | { ok: false; error: unknown }): { ok: boolean; text: string } {
  if (outcome.ok) {
    const r = outcome.result;
    const rejected = r.rejected.length > 0 ? `; refused: ${r.rejected.join(', ')}` : '';
    return { ok: true, text: `Accepted for ${r.accepted.join(', ') || 'no one'}${rejected}. The server said: ${r.response}` };
  }
  const e = outcome.error;
  if (e instanceof KeelError) return { ok: false, text: `${e.code}: ${e.message}` };
  return { ok: false, text: e instanceof Error ? e.message : String(e) };
}
