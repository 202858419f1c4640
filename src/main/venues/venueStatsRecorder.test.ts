import { describe, expect, it } from 'vitest';
import { VenueStatsRecorder } from './venueStatsRecorder';

function recorder(windowMs = 60_000, capacity = 512) {
  let now = 1_000_000;
  const rec = new VenueStatsRecorder(() => now, windowMs, capacity);
  return { rec, advance: (ms: number) => (now += ms), now: () => now };
}

describe('VenueStatsRecorder', () => {
  it('reports nothing before the first request or message', () => {
    const { rec } = recorder();
    expect(rec.read()).toEqual({ windowMs: 60_000, requests: 0, errors: 0, latencyP50Ms: null, latencyP95Ms: null, rateLimitUsage: null, rateLimited: false, lastMessageAt: null });
  });

  it('counts requests and failures with latency percentiles over the window', () => {
    const { rec, now } = recorder();
    for (let ms = 1; ms <= 20; ms++) rec.request(ms, ms % 5 !== 0);
    expect(rec.read({ usage: 0.3, limited: true })).toEqual({
      windowMs: 60_000,
      requests: 20,
      errors: 4,
      latencyP50Ms: 10,
      latencyP95Ms: 19,
      rateLimitUsage: 0.3,
      rateLimited: true,
      lastMessageAt: now(),
    });
  });

  it('drops requests older than the window, and keeps only the newest past its capacity', () => {
    const { rec, advance } = recorder(60_000, 4);
    rec.request(100, false);
    advance(61_000);
    rec.request(5, true);
    expect(rec.read()).toMatchObject({ requests: 1, errors: 0, latencyP50Ms: 5 });
    for (let i = 0; i < 6; i++) rec.request(1, true);
    expect(rec.read().requests).toBe(4);
  });

  it('hears the venue on a successful answer or a message, not on a failure', () => {
    const { rec, advance, now } = recorder();
    rec.heard();
    const heardAt = now();
    advance(500);
    rec.request(3, false);
    expect(rec.read().lastMessageAt).toBe(heardAt);
    advance(500);
    rec.request(3, true);
    expect(rec.read().lastMessageAt).toBe(now());
  });

  it('tracks a request promise without changing it', async () => {
    const { rec, advance } = recorder();
    let finish!: () => void;
    const pending = new Promise<void>((resolve) => (finish = resolve));
    const tracked = rec.track(pending, 1_000_000);
    expect(tracked).toBe(pending);
    advance(40);
    finish();
    await tracked;
    const failing = Promise.reject(new Error('refused'));
    await expect(rec.track(failing, 1_000_040)).rejects.toThrow('refused');
    expect(rec.read()).toMatchObject({ requests: 2, errors: 1, latencyP50Ms: 0, latencyP95Ms: 40 });
  });
});
