/**
 * A mail server on 127.0.0.1 for tests (smtp-server): it keeps each message
 * it takes, can insist on a user and password, and can be told to refuse the
 * next messages with a reply of the test's choosing. `readMessage` takes a
 * received message apart far enough to read its subject, its HTML and its
 * attachments (the multipart layout nodemailer writes).
 */
import { SMTPServer } from 'smtp-server';
import type { AddressInfo } from 'node:net';

export interface ReceivedMail {
  from: string;
  to: string[];
  raw: string;
  user: string | null;
}

export interface TestMailServer {
  port: number;
  received: ReceivedMail[];
  /** The next `count` messages are refused at DATA with this reply. */
  refuseNext(count: number, code: number, text: string): void;
  /** Recipients refused at RCPT TO. */
  refuseRecipient(address: string): void;
  /** Waits for the `n`th message (1-based) to arrive. */
  waitFor(n: number, timeoutMs?: number): Promise<ReceivedMail>;
  /** Waits for the first message `matches` accepts, whatever else arrives around it (an alert the machine's load raised). */
  waitForMatch(matches: (mail: ReceivedMail) => boolean, timeoutMs?: number): Promise<ReceivedMail>;
  close(): Promise<void>;
}

export async function startMailServer(options: { user?: string; password?: string } = {}): Promise<TestMailServer> {
  const received: ReceivedMail[] = [];
  let refusals: { count: number; code: number; text: string } = { count: 0, code: 0, text: '' };
  const refusedRecipients = new Set<string>();
  const waiters: Array<() => void> = [];
  const server = new SMTPServer({
    secure: false,
    disabledCommands: ['STARTTLS'],
    authOptional: options.user === undefined,
    allowInsecureAuth: true,
    logger: false,
    onAuth(auth, _session, callback) {
      if (auth.username === options.user && auth.password === options.password) callback(null, { user: auth.username });
      else callback(Object.assign(new Error('5.7.8 Authentication credentials invalid'), { responseCode: 535 }));
    },
    onRcptTo(address, _session, callback) {
      if (refusedRecipients.has(address.address)) callback(Object.assign(new Error(`5.1.1 <${address.address}>: Recipient address rejected`), { responseCode: 550 }));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        if (refusals.count > 0) {
          refusals = { ...refusals, count: refusals.count - 1 };
          callback(Object.assign(new Error(refusals.text), { responseCode: refusals.code }));
          return;
        }
        received.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
          user: typeof session.user === 'string' ? session.user : null,
        });
        for (const wake of waiters.splice(0)) wake();
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = ((server as unknown as { server: { address(): AddressInfo } }).server.address()).port;
  const waitUntil = async (found: () => ReceivedMail | undefined, what: string, timeoutMs = 20_000): Promise<ReceivedMail> => {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const mail = found();
      if (mail) return mail;
      if (Date.now() > deadline) throw new Error(`${what} did not arrive within ${timeoutMs} ms (${received.length} arrived)`);
      await new Promise<void>((resolve) => {
        waiters.push(resolve);
        setTimeout(resolve, 200);
      });
    }
  };
  return {
    port,
    received,
    refuseNext: (count, code, text) => (refusals = { count, code, text }),
    refuseRecipient: (address) => refusedRecipients.add(address),
    waitFor: (n, timeoutMs) => waitUntil(() => received[n - 1], `Mail ${n}`, timeoutMs),
    waitForMatch: (matches, timeoutMs) => waitUntil(() => received.find(matches), 'The mail looked for', timeoutMs),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export interface MailPart {
  headers: Record<string, string>;
  body: string;
}

function splitHeaders(block: string): { headers: Record<string, string>; body: string } {
  const at = block.indexOf('\r\n\r\n');
  const head = at < 0 ? block : block.slice(0, at);
  const body = at < 0 ? '' : block.slice(at + 4);
  const headers: Record<string, string> = {};
  for (const line of head.replace(/\r\n[ \t]+/g, ' ').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { headers, body };
}

function decode(part: { headers: Record<string, string>; body: string }): string {
  const encoding = (part.headers['content-transfer-encoding'] ?? '7bit').toLowerCase();
  if (encoding === 'base64') return Buffer.from(part.body.replace(/\s+/g, ''), 'base64').toString('utf8');
  if (encoding === 'quoted-printable') {
    const bytes = part.body.replace(/=\r\n/g, '').replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
    return Buffer.from(bytes, 'latin1').toString('utf8');
  }
  return part.body;
}

/** The leaf parts of a message (text, HTML, attachments), decoded. */
function leaves(block: string): MailPart[] {
  const part = splitHeaders(block);
  const type = part.headers['content-type'] ?? 'text/plain';
  const boundary = /boundary="?([^";]+)"?/i.exec(type)?.[1];
  if (!type.toLowerCase().startsWith('multipart/') || !boundary) return [{ headers: part.headers, body: decode(part) }];
  return part.body
    .split(`--${boundary}`)
    .slice(1)
    .filter((p) => !p.startsWith('--'))
    .flatMap((p) => leaves(p.replace(/^\r\n/, '')));
}

/** Subject (RFC 2047 words decoded), text, HTML and attachments of a received message. */
export function readMessage(raw: string): { subject: string; text: string | null; html: string | null; attachments: Array<{ filename: string; contentType: string; content: string }> } {
  const { headers } = splitHeaders(raw);
  const subject = (headers.subject ?? '').replace(/=\?utf-8\?([BQ])\?([^?]*)\?=\s*/gi, (_m, kind: string, text: string) =>
    kind.toUpperCase() === 'B' ? Buffer.from(text, 'base64').toString('utf8') : decode({ headers: { 'content-transfer-encoding': 'quoted-printable' }, body: text.replace(/_/g, ' ') }),
  );
  const parts = leaves(raw);
  const isAttachment = (p: MailPart) => /attachment/i.test(p.headers['content-disposition'] ?? '');
  const bodyOf = (type: string) => parts.find((p) => !isAttachment(p) && (p.headers['content-type'] ?? '').toLowerCase().startsWith(type))?.body ?? null;
  return {
    subject,
    text: bodyOf('text/plain'),
    html: bodyOf('text/html'),
    attachments: parts.filter(isAttachment).map((p) => ({
      filename: /filename="?([^";]+)"?/i.exec(p.headers['content-disposition'] ?? '')?.[1] ?? '',
      contentType: (p.headers['content-type'] ?? '').split(';')[0]!.trim(),
      content: p.body,
    })),
  };
}
