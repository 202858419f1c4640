import { describe, expect, it } from 'vitest';
import { effectiveVenueFilter, rowsOfVenue } from './venueFilter';

const rows = [
  { venue: 'paper', id: 1 },
  { venue: 'binanceusdm-demo', id: 2 },
  { venue: 'paper', id: 3 },
];

describe('rowsOfVenue', () => {
  it('keeps the rows of the chosen venue, in order', () => {
    expect(rowsOfVenue(rows, 'paper').map((r) => r.id)).toEqual([1, 3]);
    expect(rowsOfVenue(rows, 'binanceusdm-demo').map((r) => r.id)).toEqual([2]);
    expect(rowsOfVenue(rows, 'okx-live')).toEqual([]);
  });

  it('answers every row, the same array, without a filter', () => {
    expect(rowsOfVenue(rows, null)).toBe(rows);
  });
});

describe('effectiveVenueFilter', () => {
  it('keeps a venue that exists and drops one that is gone', () => {
    expect(effectiveVenueFilter('paper', ['paper', 'bybit-demo'])).toBe('paper');
    expect(effectiveVenueFilter('bybit-demo', ['paper'])).toBeNull();
    expect(effectiveVenueFilter(null, ['paper'])).toBeNull();
  });
});
