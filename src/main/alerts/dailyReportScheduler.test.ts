import { describe, expect, it } from 'vitest';
import type { DailyReportSettings } from '../../shared/contract/alertCenter';
import { SimulatedClock } from '../engine/ports/clock';
import { silentLogger } from '../engine/ports/logger';
import type { DailyReportRange } from './dailyReport';
import { DailyReportScheduler } from './dailyReportScheduler';

const iso = (t: number) => new Date(t).toISOString();
const HOUR = 3_600_000;

function scheduler(start: string, settings: DailyReportSettings) {
  const clock = new SimulatedClock(Date.parse(start));
  const sent: DailyReportRange[] = [];
  let current = settings;
  const s = new DailyReportScheduler({
    clock,
    log: silentLogger,
    settings: () => current,
    send: async (range) => {
      sent.push(range);
    },
  });
  return { clock, sent, s, set: (next: DailyReportSettings) => ((current = next), s.reschedule()) };
}

describe('the daily report scheduler', () => {
  it('sends once a day at the local time, each report covering the local day before it', async () => {
    const { clock, sent, s } = scheduler('2026-01-10T12:00:00Z', { enabled: true, time: '18:00', timeZone: 'America/New_York' });
    s.start();
    expect(iso(s.nextAt()!)).toBe('2026-01-10T23:00:00.000Z');
    await clock.advanceAndSettle(11 * HOUR - 1);
    expect(sent).toHaveLength(0);
    await clock.advanceAndSettle(1);
    expect(sent.map((r) => [iso(r.from), iso(r.to), r.timeZone])).toEqual([['2026-01-09T23:00:00.000Z', '2026-01-10T23:00:00.000Z', 'America/New_York']]);
    await clock.advanceAndSettle(48 * HOUR);
    expect(sent.map((r) => iso(r.to))).toEqual(['2026-01-10T23:00:00.000Z', '2026-01-11T23:00:00.000Z', '2026-01-12T23:00:00.000Z']);
  });

  it('keeps the local time across the spring and autumn changes', async () => {
    const { clock, sent, s } = scheduler('2026-03-27T12:00:00Z', { enabled: true, time: '07:30', timeZone: 'Europe/Berlin' });
    s.start();
    await clock.advanceAndSettle(4 * 24 * HOUR);
    // 07:30 CET is 06:30 UTC until 29 March; 07:30 CEST is 05:30 UTC from then on.
    expect(sent.map((r) => iso(r.to))).toEqual(['2026-03-28T06:30:00.000Z', '2026-03-29T05:30:00.000Z', '2026-03-30T05:30:00.000Z', '2026-03-31T05:30:00.000Z']);
    expect(sent[1]!.to - sent[1]!.from).toBe(23 * HOUR);
    const autumn = scheduler('2026-10-24T12:00:00Z', { enabled: true, time: '07:30', timeZone: 'Europe/Berlin' });
    autumn.s.start();
    await autumn.clock.advanceAndSettle(2 * 24 * HOUR);
    expect(autumn.sent.map((r) => iso(r.to))).toEqual(['2026-10-25T06:30:00.000Z', '2026-10-26T06:30:00.000Z']);
    expect(autumn.sent[0]!.to - autumn.sent[0]!.from).toBe(25 * HOUR);
  });

  it('sends nothing while off, and follows a change of time or zone at once', async () => {
    const { clock, sent, s, set } = scheduler('2026-06-01T00:00:00Z', { enabled: false, time: '09:00', timeZone: 'UTC' });
    s.start();
    expect(s.nextAt()).toBeNull();
    await clock.advanceAndSettle(30 * HOUR);
    expect(sent).toHaveLength(0);
    set({ enabled: true, time: '09:00', timeZone: 'Asia/Tokyo' });
    expect(iso(s.nextAt()!)).toBe('2026-06-03T00:00:00.000Z');
    set({ enabled: true, time: '08:00', timeZone: 'UTC' });
    expect(iso(s.nextAt()!)).toBe('2026-06-02T08:00:00.000Z');
    await clock.advanceAndSettle(3 * HOUR);
    expect(sent.map((r) => iso(r.to))).toEqual(['2026-06-02T08:00:00.000Z']);
    s.stop();
    await clock.advanceAndSettle(48 * HOUR);
    expect(sent).toHaveLength(1);
  });

  it('does not send a missed day late when the clock jumps past it (a machine that slept)', async () => {
    // A clock whose time can jump with its timers asleep, as a suspended machine's does: they fire late, once.
    let now = Date.parse('2026-06-01T00:00:00Z');
    const timers: Array<{ at: number; fn: () => void }> = [];
    const sent: DailyReportRange[] = [];
    const s = new DailyReportScheduler({
      clock: {
        now: () => now,
        every: () => ({ cancel: () => undefined }),
        after: (ms, fn) => {
          const t = { at: now + ms, fn };
          timers.push(t);
          return { cancel: () => timers.splice(timers.indexOf(t), 1) };
        },
      },
      log: silentLogger,
      settings: () => ({ enabled: true, time: '09:00', timeZone: 'UTC' }),
      send: async (range) => {
        sent.push(range);
      },
    });
    s.start();
    expect(timers).toHaveLength(1);
    now = Date.parse('2026-06-03T10:00:00Z');
    timers.shift()!.fn();
    // One report, for the day it was due (the 1st's); the 2nd's is not sent two days late; the next is the 4th's.
    expect(sent.map((r) => iso(r.to))).toEqual(['2026-06-01T09:00:00.000Z']);
    expect(iso(s.nextAt()!)).toBe('2026-06-04T09:00:00.000Z');
    expect(timers).toHaveLength(1);
    expect(timers[0]!.at - now).toBe(15 * 60_000);
  });
});
