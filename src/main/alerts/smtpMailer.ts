/**
 * Email over SMTP through nodemailer: one message per connection (alerts
 * are few, and a fresh connection picks up changed settings), with every
 * wait bounded so a silent server fails the send instead of hanging it. A
 * server's refusal keeps its own words: the reply code and text travel with
 * the error to the delivery status and to "Send test".
 */
import nodemailer from 'nodemailer';
import type SMTPTransport from 'nodemailer/lib/smtp-transport';
import type { SmtpSettings } from '../../shared/contract/alertCenter';
import { KeelError, errorText } from '../../shared/errors';
import type { OutgoingEmail, SendEmail, SendReceipt } from './emailQueue';

export interface SmtpTimeouts {
  /** To open the connection. */
  connectionMs: number;
  /** For the server's greeting once connected. */
  greetingMs: number;
  /** Of silence on an open connection. */
  socketMs: number;
}

export const DEFAULT_SMTP_TIMEOUTS: SmtpTimeouts = { connectionMs: 15_000, greetingMs: 15_000, socketMs: 30_000 };

/** What the server said when it refused, or what stood in the way (no connection, TLS, a timeout). */
export interface SmtpFailure {
  /** nodemailer's classification: EAUTH, ECONNECTION, ETIMEDOUT, EENVELOPE, EMESSAGE, ETLS... */
  code: string | null;
  /** The server's reply code (535, 550, 421...), when it answered. */
  responseCode: number | null;
  /** The server's reply as it said it. */
  response: string | null;
  /** The SMTP command it answered (AUTH PLAIN, RCPT TO, DATA...). */
  command: string | null;
}

function field(error: unknown, name: string): unknown {
  return error !== null && typeof error === 'object' ? (error as Record<string, unknown>)[name] : undefined;
}

export function smtpFailureOf(error: unknown): SmtpFailure {
  const text = (name: string) => {
    const v = field(error, name);
    return typeof v === 'string' && v.length > 0 ? v : null;
  };
  const code = field(error, 'responseCode');
  return { code: text('code'), responseCode: typeof code === 'number' ? code : null, response: text('response'), command: text('command') };
}

/** An SMTP failure as the contract's typed error, the password never in it (nodemailer does not echo it). */
export function emailFailed(error: unknown): KeelError {
  const failure = smtpFailureOf(error);
  const said = failure.response ?? errorText(error);
  return new KeelError('EMAIL_FAILED', `The mail server ${failure.response ? 'answered' : 'could not be reached'}: ${said}`, failure);
}

export function transportOptions(smtp: SmtpSettings, password: string | null, timeouts: SmtpTimeouts): SMTPTransport.Options {
  return {
    host: smtp.host,
    port: smtp.port,
    secure: smtp.security === 'tls',
    requireTLS: smtp.security === 'starttls',
    ignoreTLS: smtp.security === 'none',
    ...(smtp.user !== '' ? { auth: { user: smtp.user, pass: password ?? '' } } : {}),
    connectionTimeout: timeouts.connectionMs,
    greetingTimeout: timeouts.greetingMs,
    socketTimeout: timeouts.socketMs,
    // Nothing about a message (or a password) goes to the process log.
    logger: false,
    debug: false,
  };
}

const address = (a: string | { address: string }) => (typeof a === 'string' ? a : a.address);

/** Sends with the settings and password as they are when each message goes (read per send: a change applies to the next one). */
export function smtpSender(
  current: () => Promise<{ smtp: SmtpSettings | null; password: string | null }>,
  timeouts: SmtpTimeouts = DEFAULT_SMTP_TIMEOUTS,
  /** Only a test's server (self-signed) may be trusted without a certificate check. */
  tls?: { rejectUnauthorized: boolean },
): SendEmail {
  return async (message: OutgoingEmail): Promise<SendReceipt> => {
    const { smtp, password } = await current();
    if (smtp === null) throw new KeelError('INVALID_STATE', 'No mail server is set: fill in Settings → Email first.');
    const transport = nodemailer.createTransport({ ...transportOptions(smtp, password, timeouts), ...(tls ? { tls } : {}) });
    try {
      const info = await transport.sendMail({
        from: smtp.from,
        to: message.to ?? smtp.to,
        subject: message.subject,
        text: message.text,
        ...(message.html !== undefined ? { html: message.html } : {}),
        ...(message.attachments ? { attachments: message.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })) } : {}),
      });
      return { accepted: info.accepted.map(address), rejected: info.rejected.map(address), response: info.response, messageId: info.messageId ?? null };
    } finally {
      transport.close();
    }
  };
}
