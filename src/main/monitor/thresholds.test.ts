import { describe, expect, it } from 'vitest';
import type { AlertInput } from '../alerts/alertSink';
import { CLEAR_RATIO, ThresholdWatch, type Check } from './thresholds';

function loop(value: number, threshold = 100): Check {
  return { metric: 'eventLoopDelay', subject: null, label: 'Event-loop delay p99', value, threshold, format: (v) => `${v} ms` };
}

function venueAge(venue: string, value: number): Check {
  return { metric: 'venueMessageAge', subject: venue, venue, label: `${venue}: last message age`, value, threshold: 60_000, format: (v) => `${v / 1000} s` };
}

function setup() {
  const raised: AlertInput[] = [];
  const watch = new ThresholdWatch({ raise: (alert) => raised.push(alert) });
  return { raised, watch };
}

describe('ThresholdWatch', () => {
  it('raises once when a reading crosses its bound, and lists the breach while it lasts', () => {
    const { raised, watch } = setup();
    expect(watch.evaluate([loop(50)], 1)).toEqual([]);
    const breaches = watch.evaluate([loop(150)], 2);
    expect(breaches).toEqual([{ key: 'eventLoopDelay', metric: 'eventLoopDelay', subject: null, label: 'Event-loop delay p99', value: 150, threshold: 100, since: 2 }]);
    expect(raised).toHaveLength(1);
    expect(raised[0]).toMatchObject({ kind: 'system', severity: 'warning', title: 'Event-loop delay p99 is 150 ms', subjectId: 'eventLoopDelay' });
    expect(raised[0]!.body).toContain('100 ms');
    // Still over: no second alert; the breach keeps its start and shows the new value.
    expect(watch.evaluate([loop(300)], 3)).toMatchObject([{ value: 300, since: 2 }]);
    expect(raised).toHaveLength(1);
  });

  it('does not raise again for a reading hovering at the line; only after it has cleared below the margin', () => {
    const { raised, watch } = setup();
    watch.evaluate([loop(101)], 1);
    // Under the bound but above the clearing margin: still the same breach.
    watch.evaluate([loop(100 * CLEAR_RATIO + 1)], 2);
    watch.evaluate([loop(120)], 3);
    expect(raised).toHaveLength(1);
    expect(watch.breaches()).toHaveLength(1);
    // Cleared.
    expect(watch.evaluate([loop(100 * CLEAR_RATIO)], 4)).toEqual([]);
    expect(raised).toHaveLength(1);
    // Crossing again raises again.
    expect(watch.evaluate([loop(130)], 5)).toMatchObject([{ since: 5 }]);
    expect(raised).toHaveLength(2);
  });

  it('keeps one breach per subject, each raised on its own, with the venue named', () => {
    const { raised, watch } = setup();
    const breaches = watch.evaluate([venueAge('binance', 90_000), venueAge('bybit', 10_000), venueAge('okx', 61_000)], 1);
    expect(breaches.map((b) => b.key)).toEqual(['venueMessageAge:binance', 'venueMessageAge:okx']);
    expect(raised.map((a) => a.venue)).toEqual(['binance', 'okx']);
  });

  it('counts reaching an inclusive bound as crossing it', () => {
    const { raised, watch } = setup();
    const email = (value: number): Check => ({ metric: 'emailDelivery', subject: null, label: 'Email delivery failed attempts', value, threshold: 3, inclusive: true, format: String });
    watch.evaluate([email(2)], 1);
    expect(raised).toHaveLength(0);
    watch.evaluate([email(3)], 2);
    expect(raised).toHaveLength(1);
    watch.evaluate([email(0)], 3);
    expect(watch.breaches()).toEqual([]);
  });

  it('treats a missing reading as no news, and forgets a subject on request', () => {
    const { raised, watch } = setup();
    watch.evaluate([venueAge('binance', 90_000)], 1);
    expect(watch.evaluate([], 2)).toHaveLength(1);
    watch.forget((b) => b.subject !== 'binance');
    expect(watch.breaches()).toEqual([]);
    watch.evaluate([venueAge('binance', 90_000)], 3);
    expect(raised).toHaveLength(2);
  });

  it('works without an alert sink', () => {
    const watch = new ThresholdWatch(undefined);
    expect(watch.evaluate([loop(500)], 1)).toHaveLength(1);
  });
});
