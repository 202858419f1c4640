/**
 * Funding on the paper venue's perpetuals: the rate formula and its bounds,
 * what the ticker says, and settlement when the simulated clock crosses a
 * funding time: once, on every open position, the amount the ticker's rate
 * and mark imply, longs paying shorts when the rate is positive. Amounts
 * are derived from the ticker the trader saw, never from where the market is.
 */
import { describe, expect, it } from 'vitest';
import { tickerSchema } from '../../../shared/domain';
import { SimulatedClock } from '../../engine/ports/clock';
import type { ExecutionEvent } from '../../engine/ports/venue';
import { FUNDING_INTERVAL_MS, FUNDING_RATE_CAP, FundingBasis, fundingRateFor, fundingTimeAtOrBefore } from './fundingBasis';
import { InMemoryPaperVenueStore } from './store';
import { BTC, D, ETH, SOL, harness, order } from './testSupport';

type Funding = Extract<ExecutionEvent, { type: 'FundingSettled' }>;
const fundingOf = (events: readonly ExecutionEvent[]): Funding[] => events.filter((e): e is Funding => e.type === 'FundingSettled');

const EIGHT_UTC = Date.UTC(2025, 0, 6, 8, 0, 0);
const STEP_MS = 200;

describe('the funding rate', () => {
  it('is the average premium plus the interest clamped to ±0.05 %, capped at ±0.75 %', () => {
    const near = (premium: number, rate: number) => expect(fundingRateFor(premium)).toBeCloseTo(rate, 12);
    // Interest alone when there is no premium; a small premium is absorbed by the interest band.
    near(0, 0.0001);
    near(0.0003, 0.0001);
    near(-0.0003, 0.0001);
    // Beyond the band the premium shows through.
    near(0.002, 0.0015);
    near(-0.0008, -0.0003);
    // Bounded like the exchanges' rates.
    near(0.02, FUNDING_RATE_CAP);
    near(-0.02, -FUNDING_RATE_CAP);
  });

  it('follows the basis: a market running up trades at a premium and longs pay; running down, shorts pay', () => {
    const up = new FundingBasis(FundingBasis.fresh(100, EIGHT_UTC));
    const down = new FundingBasis(FundingBasis.fresh(100, EIGHT_UTC));
    for (let i = 1; i <= 3600; i++) {
      up.advance(100 * (1 + 0.00002 * i), 1000);
      down.advance(100 * (1 - 0.00002 * i), 1000);
    }
    expect(up.index).toBeLessThan(100 * (1 + 0.00002 * 3600));
    expect(D(up.rate()).gt(D('0.0001'))).toBe(true);
    expect(D(down.rate()).isNegative()).toBe(true);
    expect(D(up.rate()).lte(D('0.0075'))).toBe(true);
    expect(D(down.rate()).gte(D('-0.0075'))).toBe(true);
  });

  it('settles on the 8-hour UTC grid: 00:00, 08:00 and 16:00', () => {
    const at = (h: number, m = 0) => Date.UTC(2025, 0, 6, h, m);
    expect(fundingTimeAtOrBefore(at(7, 59))).toBe(at(0));
    expect(fundingTimeAtOrBefore(at(8))).toBe(at(8));
    expect(fundingTimeAtOrBefore(at(23, 59))).toBe(at(16));
    const basis = new FundingBasis(FundingBasis.fresh(100, at(9, 30)));
    expect(basis.nextFundingTime).toBe(at(16));
    expect(basis.due(at(15, 59))).toBe(false);
    expect(basis.due(at(16))).toBe(true);
    expect(basis.settle(at(16, 0) + 200)).toEqual({ rate: '0.0001', fundingTime: at(16) });
    expect(basis.nextFundingTime).toBe(at(16) + FUNDING_INTERVAL_MS);
  });
});

describe('funding on the paper venue', () => {
  it('shows the index, the rate and the next funding time on each perpetual’s ticker', () => {
    const { venue, clock } = harness({}, new SimulatedClock(EIGHT_UTC + 90 * 60_000));
    for (const symbol of [BTC, ETH, SOL]) {
      const ticker = tickerSchema.parse(venue.ticker(symbol));
      expect(ticker.nextFundingTime).toBe(Date.UTC(2025, 0, 6, 16));
      expect(D(ticker.fundingRate!).abs().lte(D('0.0075'))).toBe(true);
      expect(D(ticker.fundingRate!).roundTo(8).eq(D(ticker.fundingRate!))).toBe(true);
      expect(D(ticker.indexPrice!).isPositive()).toBe(true);
      expect(clock.now()).toBeLessThan(ticker.nextFundingTime!);
    }
  });

  it('charges each open position exactly once when the clock crosses 08:00 UTC, at the rate and mark the ticker showed', async () => {
    const clock = new SimulatedClock(EIGHT_UTC - 60_000);
    const { venue, events } = harness({ stepMs: STEP_MS }, clock);
    await venue.start();
    await venue.submit(order({ symbol: BTC, side: 'buy', type: 'market', quantity: '0.05' }));
    await venue.submit(order({ symbol: ETH, side: 'sell', type: 'market', quantity: '1.5' }));
    const positions = new Map((await venue.positionReports()).map((p) => [p.symbol, D(p.quantity)]));
    expect(positions.get(BTC)!.toString()).toBe('0.05');
    expect(positions.get(ETH)!.toString()).toBe('-1.5');

    // The last step before the funding time: what the trader sees then is what gets settled.
    clock.advanceBy(60_000 - STEP_MS);
    const seen = { [BTC]: venue.ticker(BTC), [ETH]: venue.ticker(ETH) };
    expect(seen[BTC].nextFundingTime).toBe(EIGHT_UTC);
    expect(fundingOf(events)).toEqual([]);
    const balanceBefore = D((await venue.balanceReports())[0]!.total);

    clock.advanceBy(STEP_MS);
    const settled = fundingOf(events);
    expect(settled.map((f) => f.symbol).sort()).toEqual([BTC, ETH]);
    for (const f of settled) {
      const ticker = seen[f.symbol as typeof BTC]!;
      const quantity = positions.get(f.symbol)!;
      expect(f).toMatchObject({ fundingTime: EIGHT_UTC, timestamp: EIGHT_UTC, currency: 'USDT', rate: ticker.fundingRate, quantity: quantity.toString() });
      expect(D(f.markPrice!).eq(D(ticker.mark))).toBe(true);
      // Longs pay shorts when the rate is positive: amount = −quantity × mark × rate.
      const expected = quantity.mul(D(ticker.mark)).mul(D(ticker.fundingRate!)).neg();
      expect(D(f.amount).eq(expected), `${f.symbol}: ${f.amount} vs ${expected.toString()}`).toBe(true);
      expect(D(f.amount).sign()).toBe(-quantity.sign() * D(ticker.fundingRate!).sign());
    }
    const paid = settled.reduce((total, f) => total.add(D(f.amount)), D('0'));
    expect(D((await venue.balanceReports())[0]!.total).eq(balanceBefore.add(paid))).toBe(true);
    expect(venue.ticker(BTC).nextFundingTime).toBe(EIGHT_UTC + FUNDING_INTERVAL_MS);

    // Ten more minutes of steps: nothing more is due until 16:00.
    clock.advanceBy(10 * 60_000);
    expect(fundingOf(events)).toHaveLength(2);
    expect((await venue.fundingReports(0)).map((f) => f.fundingId).sort()).toEqual(settled.map((f) => f.fundingId).sort());
    await venue.stop();
  });

  it('charges nothing on a flat account, and a restart after a missed funding time settles it once', async () => {
    const store = new InMemoryPaperVenueStore();
    const clock = new SimulatedClock(EIGHT_UTC - 30_000);
    const first = harness({ store, stepMs: STEP_MS }, clock);
    await first.venue.start();
    await first.venue.submit(order({ symbol: SOL, side: 'buy', type: 'market', quantity: '10' }));
    clock.advanceBy(10_000);
    await first.venue.stop();
    expect(fundingOf(first.events)).toEqual([]);

    // The host was down over 08:00 and 16:00; it comes back at 17:00.
    clock.advanceTo(Date.UTC(2025, 0, 6, 17));
    const second = harness({ store, stepMs: STEP_MS }, clock);
    await second.venue.start();
    clock.advanceBy(5 * STEP_MS);
    const settled = fundingOf(second.events);
    expect(settled).toHaveLength(1);
    expect(settled[0]).toMatchObject({ symbol: SOL, quantity: '10', fundingTime: Date.UTC(2025, 0, 6, 16) });
    expect(second.venue.ticker(SOL).nextFundingTime).toBe(Date.UTC(2025, 0, 7, 0));
    await second.venue.stop();
  });
});
