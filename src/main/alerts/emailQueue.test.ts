import { describe, expect, it } from 'vitest';
import { SimulatedClock } from '../engine/ports/clock';
import { silentLogger } from '../engine/ports/logger';
import { backoffDelay, EmailQueue, type OutgoingEmail, type SendReceipt } from './emailQueue';

const receipt: SendReceipt = { accepted: ['desk@example.com'], rejected: [], response: '250 OK', messageId: '<m@x>' };
const mail = (subject: string): OutgoingEmail => ({ subject, text: subject });

/** A mail server the test answers by hand: each send waits until the test settles it. */
function scriptedServer() {
  const calls: Array<{ subject: string; resolve: (r: SendReceipt) => void; reject: (e: Error) => void }> = [];
  return {
    calls,
    send: (m: OutgoingEmail) => new Promise<SendReceipt>((resolve, reject) => calls.push({ subject: m.subject, resolve, reject })),
  };
}

describe('the backoff', () => {
  it('doubles from the first pause and stops at the cap', () => {
    const b = { initialMs: 1_000, maxMs: 30_000 };
    expect([1, 2, 3, 4, 5, 6, 7].map((n) => backoffDelay(n, b))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000]);
    expect(backoffDelay(1_000, b)).toBe(30_000);
  });
});

describe('the email queue', () => {
  it('returns at once, sends in order, one at a time, and reports what it did', async () => {
    const clock = new SimulatedClock(1_000);
    const server = scriptedServer();
    const queue = new EmailQueue({ send: server.send, clock, log: silentLogger });
    queue.enqueue(mail('a'));
    queue.enqueue(mail('b'));
    await clock.advanceAndSettle();
    expect(server.calls.map((c) => c.subject)).toEqual(['a']);
    expect(queue.status()).toMatchObject({ queued: 2, failingAttempts: 0, lastSentAt: null });
    server.calls[0]!.resolve(receipt);
    await clock.advanceAndSettle(5);
    expect(server.calls.map((c) => c.subject)).toEqual(['a', 'b']);
    expect(queue.status()).toMatchObject({ queued: 1, lastSentAt: 1_000 });
    server.calls[1]!.resolve(receipt);
    await clock.advanceAndSettle();
    expect(queue.status()).toEqual({ queued: 0, failingAttempts: 0, lastError: null, lastSentAt: 1_005, lastFailedAt: null, dropped: 0 });
  });

  it('retries a failed message after pauses that double up to the cap, holding back the ones behind it', async () => {
    const clock = new SimulatedClock(0);
    const server = scriptedServer();
    const statuses: number[] = [];
    const queue = new EmailQueue({
      send: server.send,
      clock,
      log: silentLogger,
      backoff: { initialMs: 1_000, maxMs: 4_000 },
      onStatus: (s) => statuses.push(s.failingAttempts),
    });
    queue.enqueue(mail('report'));
    queue.enqueue(mail('later'));
    await clock.advanceAndSettle();
    const attemptTimes: number[] = [];
    for (let i = 0; i < 4; i++) {
      attemptTimes.push(clock.now());
      server.calls.at(-1)!.reject(Object.assign(new Error('421 4.7.0 Try again later'), { responseCode: 421 }));
      await clock.advanceAndSettle();
      expect(queue.status()).toMatchObject({ queued: 2, failingAttempts: i + 1, lastError: '421 4.7.0 Try again later', lastFailedAt: clock.now() });
      // Not a moment before the pause is over.
      const pause = [1_000, 2_000, 4_000, 4_000][i]!;
      await clock.advanceAndSettle(pause - 1);
      expect(server.calls).toHaveLength(i + 1);
      await clock.advanceAndSettle(1);
      expect(server.calls).toHaveLength(i + 2);
    }
    expect(attemptTimes).toEqual([0, 1_000, 3_000, 7_000]);
    expect(server.calls.map((c) => c.subject)).toEqual(['report', 'report', 'report', 'report', 'report']);
    server.calls.at(-1)!.resolve(receipt);
    await clock.advanceAndSettle();
    expect(server.calls.at(-1)!.subject).toBe('later');
    expect(queue.status()).toMatchObject({ queued: 1, failingAttempts: 0, lastError: null, lastSentAt: 11_000 });
    expect(statuses).toContain(4);
  });

  it('takes a send that never answers as failed, so a hanging server cannot stall the queue', async () => {
    const clock = new SimulatedClock(0);
    const server = scriptedServer();
    const queue = new EmailQueue({ send: server.send, clock, log: silentLogger, sendTimeoutMs: 30_000, backoff: { initialMs: 1_000, maxMs: 1_000 } });
    queue.enqueue(mail('x'));
    await clock.advanceAndSettle(29_999);
    expect(queue.status().failingAttempts).toBe(0);
    await clock.advanceAndSettle(1);
    expect(queue.status()).toMatchObject({ failingAttempts: 1, lastError: 'The mail server did not answer within 30 s', queued: 1 });
    await clock.advanceAndSettle(1_000);
    expect(server.calls).toHaveLength(2);
  });

  it('gives up on a message after the most attempts and goes on with the next', async () => {
    const clock = new SimulatedClock(0);
    const send = async (m: OutgoingEmail) => {
      if (m.subject === 'bad') throw new Error('550 5.1.1 No such user');
      return receipt;
    };
    const queue = new EmailQueue({ send, clock, log: silentLogger, maxAttempts: 3, backoff: { initialMs: 100, maxMs: 100 } });
    queue.enqueue(mail('bad'));
    queue.enqueue(mail('good'));
    await clock.advanceAndSettle(1_000);
    expect(queue.status()).toEqual({ queued: 0, failingAttempts: 0, lastError: null, lastSentAt: 200, lastFailedAt: 200, dropped: 1 });
  });

  it('drops what does not fit, and sends nothing more once closed', async () => {
    const clock = new SimulatedClock(0);
    const server = scriptedServer();
    const queue = new EmailQueue({ send: server.send, clock, log: silentLogger, maxQueued: 2 });
    queue.enqueue(mail('1'));
    queue.enqueue(mail('2'));
    queue.enqueue(mail('3'));
    expect(queue.status()).toMatchObject({ queued: 2, dropped: 1 });
    queue.close();
    server.calls[0]?.resolve(receipt);
    queue.enqueue(mail('4'));
    await clock.advanceAndSettle(100_000);
    expect(server.calls.map((c) => c.subject)).toEqual(['1']);
    expect(queue.status().queued).toBe(0);
  });

  it('tries again at once when asked, instead of waiting out the pause', async () => {
    const clock = new SimulatedClock(0);
    let fail = true;
    const queue = new EmailQueue({
      send: async () => {
        if (fail) throw new Error('connect ECONNREFUSED 127.0.0.1:2525');
        return receipt;
      },
      clock,
      log: silentLogger,
      backoff: { initialMs: 60_000, maxMs: 60_000 },
    });
    queue.enqueue(mail('m'));
    await clock.advanceAndSettle();
    expect(queue.status()).toMatchObject({ failingAttempts: 1, queued: 1 });
    fail = false;
    queue.retryNow();
    await clock.advanceAndSettle();
    expect(queue.status()).toMatchObject({ failingAttempts: 0, queued: 0, lastSentAt: 0 });
  });
});
