import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_SETTINGS } from '../../../shared/contract';
import type { VenueStatus } from '../../../shared/domain';
import { liveChoices, livePromotion, parseSizeFactor } from './livePromotion';

const status = (venue: string, state: VenueStatus['state'], paper = false): VenueStatus => ({ venue, state, reason: null, paper });

describe('the Live promotion picker', () => {
  it('offers only the real venues that are ready, the settings\' venue first chosen, at the settings\' size factor', () => {
    const venues = [status('paper', 'ready', true), status('binance', 'ready'), status('bybit', 'disconnected'), status('okx', 'ready')];
    expect(liveChoices(venues, null)).toEqual({ venues: ['binance', 'okx'], venue: 'binance', sizeFactor: '0.25', blocker: null });
    expect(liveChoices(venues, { ...DEFAULT_GATE_SETTINGS, liveVenue: 'okx', liveSizeFactor: 0.1 })).toMatchObject({ venue: 'okx', sizeFactor: '0.1' });
    // A settings venue that is not ready is not offered; the first ready one is chosen instead.
    expect(liveChoices(venues, { ...DEFAULT_GATE_SETTINGS, liveVenue: 'bybit' })).toMatchObject({ venues: ['binance', 'okx'], venue: 'binance' });
  });

  it('is blocked with the reason when no real venue is ready', () => {
    expect(liveChoices([status('paper', 'ready', true), status('binance', 'connecting'), status('okx', 'blocked')], null)).toEqual({
      venues: [],
      venue: null,
      sizeFactor: '0.25',
      blocker: 'No real venue is ready to go live on (binance connecting, okx blocked)',
    });
    expect(liveChoices([status('paper', 'ready', true)], null).blocker).toBe('No real venue is ready to go live on: add one in Settings → Exchanges');
    const none = liveChoices([], null);
    expect(livePromotion('card-1', none, null, '0.25')).toEqual({ blocker: none.blocker });
  });

  it('reads the size factor: above 0 and at most 1', () => {
    expect(parseSizeFactor('0.5')).toBe(0.5);
    expect(parseSizeFactor(' 1 ')).toBe(1);
    for (const bad of ['', '0', '-0.1', '1.01', 'half', 'Infinity']) expect(parseSizeFactor(bad)).toEqual({ error: expect.stringContaining('above 0 and at most 1') });
  });

  it('answers the promotion parameters for the chosen venue and size, or why not', () => {
    const choices = liveChoices([status('binance', 'ready'), status('okx', 'ready')], null);
    expect(livePromotion('card-1', choices, 'okx', '0.5')).toEqual({ params: { cardId: 'card-1', venue: 'okx', sizeFactor: 0.5 } });
    expect(livePromotion('card-1', choices, 'bybit', '0.5')).toEqual({ blocker: 'Choose a real venue that is ready' });
    expect(livePromotion('card-1', choices, null, '0.5')).toEqual({ blocker: 'Choose a real venue that is ready' });
    expect(livePromotion('card-1', choices, 'binance', '2')).toEqual({ blocker: expect.stringContaining('size factor') });
  });
});
