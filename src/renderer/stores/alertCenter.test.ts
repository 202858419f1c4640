import { describe, expect, it } from 'vitest';
import type { AlertRecord } from '../../shared/contract';
import { ALERT_CENTER_SIZE, withAlert, withRead } from './alertCenter';

const alert = (id: number, read = false): AlertRecord => ({
  id,
  kind: 'riskBreach',
  severity: 'warning',
  title: `a${id}`,
  body: 'b',
  venue: null,
  symbol: null,
  subjectId: null,
  raisedAt: id * 1_000,
  read,
  channels: { desktop: true, sound: true, email: false },
});

describe('the notification centre slice', () => {
  it('adds an alert once, newest first, counting it unread', () => {
    let center = { alerts: [alert(2), alert(1, true)], unread: 1 };
    center = withAlert(center, alert(3));
    expect(center.alerts.map((a) => a.id)).toEqual([3, 2, 1]);
    expect(center.unread).toBe(2);
    // The list loaded after a reconnect may already hold an alert the event brings again.
    expect(withAlert(center, alert(3))).toBe(center);
  });

  it(`keeps the newest ${ALERT_CENTER_SIZE}`, () => {
    let center = { alerts: [] as AlertRecord[], unread: 0 };
    for (let id = 1; id <= ALERT_CENTER_SIZE + 5; id++) center = withAlert(center, alert(id));
    expect(center.alerts).toHaveLength(ALERT_CENTER_SIZE);
    expect(center.alerts.at(-1)!.id).toBe(6);
    expect(center.unread).toBe(ALERT_CENTER_SIZE + 5);
  });

  it('shows everything read once nothing is unread', () => {
    const center = { alerts: [alert(2), alert(1)], unread: 2 };
    expect(withRead(center, 0)).toEqual({ alerts: [alert(2, true), alert(1, true)], unread: 0 });
    expect(withRead(center, 1).alerts).toBe(center.alerts);
  });
});
