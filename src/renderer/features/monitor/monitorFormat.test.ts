import { describe, expect, it } from 'vitest';
import { fmtBytes, fmtCpu, fmtInUnit, fmtMs, fmtRatio } from './monitorFormat';

describe('monitor formatting', () => {
  it('writes sizes in binary units', () => {
    expect(fmtBytes(512)).toBe('512 B');
    expect(fmtBytes(1536)).toBe('1.5 KiB');
    expect(fmtBytes(300 * 1024 * 1024)).toBe('300 MiB');
    expect(fmtBytes(2.25 * 1024 ** 3)).toBe('2.3 GiB');
    expect(fmtBytes(null)).toBe('—');
  });

  it('writes durations in ms, and in s from ten seconds', () => {
    expect(fmtMs(0.25)).toBe('0.25 ms');
    expect(fmtMs(12.34)).toBe('12.3 ms');
    expect(fmtMs(250)).toBe('250 ms');
    expect(fmtMs(12_500)).toBe('12.5 s');
    expect(fmtMs(undefined)).toBe('—');
  });

  it('writes shares and CPU as percentages', () => {
    expect(fmtRatio(0.256)).toBe('26%');
    expect(fmtRatio(0.256, 1)).toBe('25.6%');
    expect(fmtCpu(104.25)).toBe('104.3%');
    expect(fmtRatio(Number.NaN)).toBe('—');
  });

  it("writes a value in its series' unit", () => {
    expect(fmtInUnit(2048, 'bytes')).toBe('2.0 KiB');
    expect(fmtInUnit(0.5, 'ratio')).toBe('50.0%');
    expect(fmtInUnit(3, 'count')).toBe('3');
    expect(fmtInUnit(null, 'count')).toBe('—');
    expect(fmtInUnit(12, 'percent')).toBe('12.0%');
    expect(fmtInUnit(3, 'ms')).toBe('3.0 ms');
  });
});
