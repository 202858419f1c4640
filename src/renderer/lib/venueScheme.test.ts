import { describe, expect, it } from 'vitest';
import { isRealMoney, venueScheme } from './venueScheme';

describe('venueScheme', () => {
  it("follows the venue's mode when Settings → Exchanges knows it", () => {
    expect(venueScheme({ mode: 'demo' }, { paper: false })).toBe('demo');
    expect(venueScheme({ mode: 'live' }, { paper: false })).toBe('live');
    expect(venueScheme({ mode: 'paper' }, { paper: true })).toBe('paper');
  });

  it('shows an unknown real venue as live, never as practice', () => {
    expect(venueScheme(undefined, { paper: false })).toBe('live');
    expect(venueScheme(undefined, { paper: true })).toBe('paper');
    expect(venueScheme(undefined, undefined)).toBeNull();
  });

  it('counts only live as real money', () => {
    expect([isRealMoney('paper'), isRealMoney('demo'), isRealMoney('live'), isRealMoney(null)]).toEqual([false, false, true, false]);
  });
});
