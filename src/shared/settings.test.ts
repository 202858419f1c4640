import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, settingsSchema } from './risk';

describe('settings schema', () => {
  it('accepts the defaults', () => {
    expect(settingsSchema.parse(DEFAULT_SETTINGS)).toEqual(DEFAULT_SETTINGS);
    expect(DEFAULT_SETTINGS.activityRetentionDays).toBe(90);
    expect(DEFAULT_SETTINGS.activityRetentionRows).toBe(1_000_000);
    expect(DEFAULT_SETTINGS.marginWarningPercent).toBe(80);
  });

  it.each([
    ['activityRetentionDays', 1, true],
    ['activityRetentionDays', 3650, true],
    ['activityRetentionDays', 0, false],
    ['activityRetentionDays', 3651, false],
    ['activityRetentionDays', 1.5, false],
    ['activityRetentionDays', -1, false],
    ['activityRetentionDays', '90', false],
    ['activityRetentionRows', 1_000, true],
    ['activityRetentionRows', 50_000_000, true],
    ['activityRetentionRows', 999, false],
    ['activityRetentionRows', 50_000_001, false],
    ['activityRetentionRows', 10_000.5, false],
    ['activityRetentionRows', Number.NaN, false],
    ['activityRetentionRows', Number.POSITIVE_INFINITY, false],
    ['marginWarningPercent', 50, true],
    ['marginWarningPercent', 99, true],
    ['marginWarningPercent', 49, false],
    ['marginWarningPercent', 100, false],
    ['marginWarningPercent', 80.5, false],
  ] as const)('%s = %s is %s', (key, value, ok) => {
    expect(settingsSchema.safeParse({ ...DEFAULT_SETTINGS, [key]: value }).success).toBe(ok);
    // settings.set takes a partial: the bounds hold there too.
    expect(settingsSchema.partial().safeParse({ [key]: value }).success).toBe(ok);
  });

  it('refuses unknown fields', () => {
    expect(settingsSchema.partial().safeParse({ activityRetention: 5 }).success).toBe(false);
  });
});
