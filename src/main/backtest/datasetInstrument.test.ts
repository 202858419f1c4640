import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backtestSettingsSchema } from '../../shared/contract/backtests';
import type { Bar } from '../../shared/domain';
import { datasetInstrument, decimalPlaces, widerPlaces } from './datasetInstrument';

/** Prices as data carries them: whole, cents, four and six places, with the odd long float and tiny value among them. */
const price = fc.oneof(
  fc.integer({ min: 1, max: 10_000_000 }),
  fc.integer({ min: 1, max: 100_000_000 }).map((c) => c / 100),
  fc.integer({ min: 1, max: 100_000_000 }).map((c) => c / 10_000),
  fc.integer({ min: 1, max: 1_000_000_000 }).map((c) => c / 1_000_000),
  fc.double({ min: 1e-9, max: 1e9, noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0.1 + 0.2, 1e-7, 2.5e-8, 123456789.123, 999999999999999.9, 0.30000000000000004, 1.0751),
);

describe('datasetInstrument', () => {
  it('finds the most decimal places of the data as printing every price would (property)', () => {
    fc.assert(
      fc.property(fc.array(price, { minLength: 1, maxLength: 40 }), (values) => {
        const printed = Math.max(...values.map(decimalPlaces));
        expect(values.reduce(widerPlaces, 0)).toBe(printed);
      }),
      { numRuns: 2_000 },
    );
  });

  it('takes a tick fine enough for every price and the spread', () => {
    const bars: Bar[] = [
      { time: 0, open: 100, high: 101.5, low: 99.25, close: 100.75, volume: 1 },
      { time: 60_000, open: 100.75, high: 100.755, low: 100.7, close: 100.7, volume: 1 },
    ];
    const plain = datasetInstrument('SYN', bars, backtestSettingsSchema.parse({}), 'backtest');
    expect(plain.tickSize).toBe('0.001');
    const spread = datasetInstrument('SYN', bars, backtestSettingsSchema.parse({ spread: 0.0002 }), 'backtest');
    expect(spread.tickSize).toBe('0.0000001');
  });
});
