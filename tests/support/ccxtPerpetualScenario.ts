/**
 * What a perpetual on a real exchange shows and books, whichever exchange a
 * fake speaks: the engine and the real ccxt on a fake exchange, the
 * position's liquidation price as the exchange states it and its margin
 * ratio, and funding payments booked as ledger entries, each once, across
 * polls and a restart. Each exchange's suite calls these with how to read
 * its fake.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import type { FundingEntry, Position } from '../../src/shared/domain';
import { Engine } from '../../src/main/engine/engine';
import { LiveClock } from '../../src/main/engine/ports/clock';
import { silentLogger } from '../../src/main/engine/ports/logger';
import { openJournalDatabase } from '../../src/main/journal/database';
import { SqliteJournal } from '../../src/main/journal/sqliteJournal';
import { CcxtVenue } from '../../src/main/venues/ccxt/ccxtVenue';
import { eventually } from './engineOnFake';
import type { FakeExchangeOptions } from './fakeExchanges/common/fakeExchange';
import { TEST_TIMINGS, type RunningFake, type VenueHarness, type VenueOnFake } from './venueHarness';

export const PERP_BTC = 'BTC/USDT:USDT';

/** Polls quick enough for a test to see them. */
const PERPETUAL_TIMINGS = { ...TEST_TIMINGS, positionPollMs: 200, fundingPollMs: 300 };

export interface PerpetualFake extends RunningFake {
  setMark(symbol: string, price: string): void;
  settleFunding(symbol: string, rate: string): string;
}

export interface PerpetualScenario<F extends PerpetualFake> {
  spec: VenueOnFake;
  /** The fake's own name for BTC/USDT:USDT. */
  exchangeSymbol: string;
  /** A quantity of BTC the exchange takes. */
  quantity: string;
  /** The fake's mark of BTC, as a decimal string. */
  mark(fake: F): string;
  /** The liquidation price the fake states for the BTC position, as it writes it. */
  statedLiquidation(fake: F): string;
  /** The account's maintenance margin over its margin balance, from the fake's own books. */
  fakeMarginRatio(fake: F): Dec;
}

interface World<F> {
  engine: Engine;
  venue: CcxtVenue;
  fake: F;
}

async function startWorld<F extends PerpetualFake, O>(harness: VenueHarness<F, O>, scenario: PerpetualScenario<F>, fake: F, journalFile: string): Promise<World<F>> {
  const venue = harness.track(
    new CcxtVenue({
      id: scenario.spec.id,
      exchange: scenario.spec.exchange,
      mode: 'demo',
      symbols: scenario.spec.symbols,
      credentials: scenario.spec.credentials,
      baseUrl: fake.base,
      clock: new LiveClock(),
      logger: silentLogger,
      redact: (text) => text,
      timings: PERPETUAL_TIMINGS,
    }),
  );
  const engine = new Engine({
    clock: new LiveClock(),
    journal: new SqliteJournal(openJournalDatabase(journalFile)),
    venues: [venue],
    logger: silentLogger,
    cadences: { healthMs: 0, activityPruneMs: 0, reconcileMs: 0, staleOrderSweepMs: 500, staleOrderAfterMs: 2_000 },
  });
  await engine.start();
  return { engine, venue, fake };
}

const btcPosition = (w: World<unknown>): Position | undefined => w.engine.positions().find((p) => p.venue === w.venue.id && p.symbol === PERP_BTC);
const fundingEntries = (w: World<unknown>): FundingEntry[] => w.engine.ledgerEntries(w.venue.id, 100).filter((e): e is FundingEntry => e.kind === 'funding');

async function openLong<F extends PerpetualFake>(w: World<F>, scenario: PerpetualScenario<F>): Promise<void> {
  await w.engine.placeOrder({ venue: scenario.spec.id, symbol: PERP_BTC, side: 'buy', type: 'market', quantity: scenario.quantity });
  await eventually('the long', () => btcPosition(w)?.quantity === scenario.quantity);
}

function scratchDir(): { file: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'keel-perp-'));
  return { file: join(dir, 'journal.db'), remove: () => rmSync(dir, { recursive: true, force: true }) };
}

/**
 * A long shows the liquidation price the exchange states and a margin ratio
 * equal to the exchange account's maintenance margin over its margin
 * balance; both follow when the mark moves.
 */
export async function positionShowsExchangeMargin<F extends PerpetualFake, O extends FakeExchangeOptions>(harness: VenueHarness<F, O>, scenario: PerpetualScenario<F>): Promise<void> {
  // A small wallet, so the cross position has a liquidation price (10,000 USDT would back 0.01 BTC whatever the price).
  const fake = await harness.startFake({ walletBalance: '100' } as O);
  const scratch = scratchDir();
  const w = await startWorld(harness, scenario, fake, scratch.file);
  try {
    await w.engine.setLeverage(scenario.spec.id, PERP_BTC, 20);
    await openLong(w, scenario);
    for (const move of ['0', '-0.03']) {
      if (move !== '0') fake.setMark(scenario.exchangeSymbol, Dec.parse(scenario.mark(fake)).mul(Dec.ONE.add(Dec.parse(move))).floorTo(Dec.parse('0.1')).toString());
      const stated = scenario.statedLiquidation(fake);
      const mark = scenario.mark(fake);
      await eventually(`the exchange's liquidation price ${stated} at mark ${mark}`, () => {
        const p = btcPosition(w);
        return p?.liquidationPrice != null && Dec.parse(p.liquidationPrice).eq(Dec.parse(stated)) && Dec.parse(p.markPrice).eq(Dec.parse(mark));
      });
      const p = btcPosition(w)!;
      expect(Dec.parse(p.liquidationPrice!).lt(Dec.parse(p.entryPrice))).toBe(true);
      const expected = scenario.fakeMarginRatio(fake);
      expect(p.marginRatio).not.toBeNull();
      const ratio = Dec.parse(p.marginRatio!);
      expect(ratio.isPositive() && ratio.lt(Dec.ONE)).toBe(true);
      expect(ratio.sub(expected).abs().lt(expected.mul(Dec.parse('0.0001'))), `margin ratio ${ratio.toString()} ≈ ${expected.toString()}`).toBe(true);
    }
  } finally {
    await w.engine.stop();
    scratch.remove();
  }
}

/**
 * Funding the exchange settles is booked as ledger entries of kind
 * `funding`, keyed by the exchange's id, into the position and the balance;
 * each once however many polls read it, and once across a restart, which
 * also books what was settled while Keel was away.
 */
export async function fundingIsBookedOnce<F extends PerpetualFake, O>(harness: VenueHarness<F, O>, scenario: PerpetualScenario<F>): Promise<void> {
  const fake = await harness.startFake();
  const scratch = scratchDir();
  let w = await startWorld(harness, scenario, fake, scratch.file);
  try {
    await openLong(w, scenario);
    const balanceBefore = Dec.parse(w.engine.accountSummary(w.venue.id).balance);
    // A positive rate: the long pays.
    const paid = Dec.parse(fake.settleFunding(scenario.exchangeSymbol, '0.0001'));
    expect(paid.isNegative()).toBe(true);
    await eventually('the funding entry', () => fundingEntries(w).length === 1);
    const [entry] = fundingEntries(w);
    expect(entry).toMatchObject({ kind: 'funding', venue: scenario.spec.id, currency: 'USDT' });
    expect(Dec.parse(entry!.amount).eq(paid)).toBe(true);
    expect(Dec.parse(btcPosition(w)!.funding).eq(paid)).toBe(true);
    expect(Dec.parse(w.engine.accountSummary(w.venue.id).balance).eq(balanceBefore.add(paid))).toBe(true);

    // A negative rate: the long receives; polls that read both again book nothing twice.
    const received = Dec.parse(fake.settleFunding(scenario.exchangeSymbol, '-0.0002'));
    expect(received.isPositive()).toBe(true);
    await eventually('the second funding entry', () => fundingEntries(w).length === 2);
    await new Promise((resolve) => setTimeout(resolve, PERPETUAL_TIMINGS.fundingPollMs * 4));
    expect(fundingEntries(w)).toHaveLength(2);
    const ids = fundingEntries(w).map((e) => e.id);
    expect(new Set(ids).size).toBe(2);

    // Keel stops; the exchange settles again while it is away; on restart the missed payment is booked, and only it.
    await w.engine.stop();
    const whileAway = Dec.parse(fake.settleFunding(scenario.exchangeSymbol, '0.0001'));
    w = await startWorld(harness, scenario, fake, scratch.file);
    await eventually('the payment settled while Keel was away', () => fundingEntries(w).length === 3);
    await new Promise((resolve) => setTimeout(resolve, PERPETUAL_TIMINGS.fundingPollMs * 4));
    const after = fundingEntries(w);
    expect(after).toHaveLength(3);
    expect(after.map((e) => e.id)).toEqual(expect.arrayContaining(ids));
    expect(Dec.parse(btcPosition(w)!.funding).eq(paid.add(received).add(whileAway))).toBe(true);
    expect(Dec.parse(w.engine.accountSummary(w.venue.id).balance).eq(balanceBefore.add(paid).add(received).add(whileAway))).toBe(true);
  } finally {
    await w.engine.stop();
    scratch.remove();
  }
}
