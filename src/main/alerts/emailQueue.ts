/**
 * Outgoing email, queued so that raising an alert never waits on a mail
 * server: `enqueue` returns at once; one message is sent at a time, in
 * order; a failed send is tried again after an exponentially growing pause
 * (capped), and a message that keeps failing is given up on after a number
 * of attempts so it cannot hold back the ones behind it. A send that does
 * not finish in time counts as failed. How it is going is `status()`, which
 * the system monitor reads.
 */
import { errorText } from '../../shared/errors';
import { withDeadline } from '../core/promises';
import type { Clock, TimerHandle } from '../engine/ports/clock';
import type { Logger } from '../engine/ports/logger';
import type { AlertDeliveryStatus } from './alertSink';

export interface EmailAttachment {
  filename: string;
  contentType: string;
  content: string;
}

export interface OutgoingEmail {
  subject: string;
  text: string;
  html?: string;
  attachments?: EmailAttachment[];
  /** Recipients; default: the configured ones. */
  to?: string[];
}

/** What a mail server said when it took a message. */
export interface SendReceipt {
  accepted: string[];
  rejected: string[];
  response: string;
  messageId: string | null;
}

/** Sends one message; rejects when the server refuses it or cannot be reached. */
export type SendEmail = (message: OutgoingEmail) => Promise<SendReceipt>;

export interface Backoff {
  /** Pause after the first failure. */
  initialMs: number;
  /** The longest pause, however many failures. */
  maxMs: number;
}

export const DEFAULT_BACKOFF: Backoff = { initialMs: 5_000, maxMs: 15 * 60_000 };

/** The pause before attempt `failures + 1`, after `failures` (≥ 1) failed attempts: initial × 2^(failures−1), at most max. */
export function backoffDelay(failures: number, backoff: Backoff): number {
  const exponent = Math.max(0, failures - 1);
  // 2^31 and more would only ever be capped: stop doubling before it overflows.
  return exponent >= 31 ? backoff.maxMs : Math.min(backoff.maxMs, backoff.initialMs * 2 ** exponent);
}

export interface EmailQueueOptions {
  send: SendEmail;
  clock: Clock;
  log: Logger;
  backoff?: Backoff;
  /** Attempts per message before it is given up on. Default 10 (about two hours with the default backoff). */
  maxAttempts?: number;
  /** Messages waiting at most; a message beyond is dropped (and counted). Default 200. */
  maxQueued?: number;
  /** A send that has not answered by then is taken as failed. Default 60 s. */
  sendTimeoutMs?: number;
  /** Told whenever the status changes. */
  onStatus?: (status: EmailDeliveryStatus) => void;
}

export interface EmailDeliveryStatus extends AlertDeliveryStatus {
  /** Messages given up on: too many failed attempts, or no room in the queue. */
  dropped: number;
}

export class EmailQueue {
  private readonly queue: OutgoingEmail[] = [];
  private sending = false;
  private retry: TimerHandle | null = null;
  private failingAttempts = 0;
  private lastError: string | null = null;
  private lastSentAt: number | null = null;
  private lastFailedAt: number | null = null;
  private dropped = 0;
  private closed = false;
  private readonly backoff: Backoff;
  private readonly maxAttempts: number;
  private readonly maxQueued: number;
  private readonly sendTimeoutMs: number;

  constructor(private readonly options: EmailQueueOptions) {
    this.backoff = options.backoff ?? DEFAULT_BACKOFF;
    this.maxAttempts = Math.max(1, options.maxAttempts ?? 10);
    this.maxQueued = Math.max(1, options.maxQueued ?? 200);
    this.sendTimeoutMs = options.sendTimeoutMs ?? 60_000;
  }

  /** Queues a message and returns at once; never throws. */
  enqueue(message: OutgoingEmail): void {
    if (this.closed) return;
    if (this.queue.length >= this.maxQueued) {
      this.dropped += 1;
      this.options.log.warn(`[email] the outgoing queue is full (${this.maxQueued}); "${message.subject}" was dropped`);
      this.changed();
      return;
    }
    this.queue.push(message);
    this.changed();
    this.pump();
  }

  status(): EmailDeliveryStatus {
    return {
      queued: this.queue.length,
      failingAttempts: this.failingAttempts,
      lastError: this.lastError,
      lastSentAt: this.lastSentAt,
      lastFailedAt: this.lastFailedAt,
      dropped: this.dropped,
    };
  }

  /** Tries the head of the queue now instead of waiting out its pause (the settings changed: the server may be fixed). */
  retryNow(): void {
    if (this.retry === null) return;
    this.retry.cancel();
    this.retry = null;
    this.pump();
  }

  /** Stops sending; what is still queued is dropped (email is a courtesy, the journal keeps every alert). */
  close(): void {
    this.closed = true;
    this.retry?.cancel();
    this.retry = null;
    this.queue.length = 0;
  }

  private pump(): void {
    if (this.closed || this.sending || this.retry !== null) return;
    const message = this.queue[0];
    if (!message) return;
    this.sending = true;
    void this.attempt(message).finally(() => {
      this.sending = false;
      this.pump();
    });
  }

  private async attempt(message: OutgoingEmail): Promise<void> {
    try {
      await this.withTimeout(this.options.send(message));
      if (this.closed) return;
      this.queue.shift();
      this.failingAttempts = 0;
      this.lastError = null;
      this.lastSentAt = this.options.clock.now();
      this.changed();
    } catch (error) {
      if (this.closed) return;
      this.failingAttempts += 1;
      this.lastError = errorText(error);
      this.lastFailedAt = this.options.clock.now();
      if (this.failingAttempts >= this.maxAttempts) {
        this.queue.shift();
        this.dropped += 1;
        this.options.log.warn(`[email] gave up on "${message.subject}" after ${this.failingAttempts} attempts: ${this.lastError}`);
        // The next message starts afresh, but the error stays on show until a send works.
        this.failingAttempts = 0;
      } else {
        const delay = backoffDelay(this.failingAttempts, this.backoff);
        this.options.log.warn(`[email] sending "${message.subject}" failed (attempt ${this.failingAttempts}); next try in ${Math.round(delay / 1000)} s: ${this.lastError}`);
        this.retry = this.options.clock.after(delay, () => {
          this.retry = null;
          this.pump();
        });
      }
      this.changed();
    }
  }

  private withTimeout<T>(work: Promise<T>): Promise<T> {
    const message = `The mail server did not answer within ${Math.round(this.sendTimeoutMs / 1000)} s`;
    return withDeadline(work, this.sendTimeoutMs, message, (ms, run) => this.options.clock.after(ms, run));
  }

  private changed(): void {
    try {
      this.options.onStatus?.(this.status());
    } catch (error) {
      this.options.log.warn(`[email] a delivery status listener failed: ${errorText(error)}`);
    }
  }
}
