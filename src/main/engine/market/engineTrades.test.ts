/** `market.trades` through the engine: the paper venue's prints reach the tape in order; a venue without a trade stream says so. */
import { describe, expect, it } from 'vitest';
import { FakeVenue } from '../../../../tests/support/fakeVenue';
import { Dec } from '../../../shared/decimal';
import { marketTradeSchema } from '../../../shared/contract';
import { openJournalDatabase } from '../../journal/database';
import { PaperVenueRepository } from '../../journal/paperVenueRepository';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { PaperVenue } from '../../venues/paper';
import { Engine } from '../engine';
import { SimulatedClock } from '../ports/clock';
import { silentLogger } from '../ports/logger';

const BTC = 'BTC/USDT:USDT';

async function paperEngine() {
  const db = openJournalDatabase(':memory:');
  const clock = new SimulatedClock(Date.parse('2026-11-20T12:00:00Z'));
  const paper = new PaperVenue({ clock, seed: 3, store: new PaperVenueRepository(db, 'paper'), historyMinutes: 60 });
  const engine = new Engine({ clock, journal: new SqliteJournal(db), venues: [paper], logger: silentLogger });
  await engine.start();
  return { engine, paper, clock };
}

describe('recent trades', () => {
  it('lists the paper venue prints newest first, the last one at the ticker’s last price', async () => {
    const { engine, clock } = await paperEngine();
    clock.advanceBy(5_000);
    const { trades, streamed } = engine.trades('paper', BTC, 50);
    expect(streamed).toBe(true);
    expect(trades.length).toBeGreaterThan(5);
    for (const t of trades) expect(marketTradeSchema.parse(t)).toEqual(t);
    // Contiguous sequence numbers, newest first, never going forward in time.
    trades.forEach((t, i) => {
      if (i === 0) return;
      expect(t.seq).toBe(trades[i - 1]!.seq - 1);
      expect(t.timestamp).toBeLessThanOrEqual(trades[i - 1]!.timestamp);
    });
    expect(Dec.parse(trades[0]!.price).eq(Dec.parse(engine.ticker('paper', BTC).last))).toBe(true);
    await engine.stop();
  });

  it('puts a print the venue makes at the top of the tape, with its price, size and aggressor', async () => {
    const { engine, paper, clock } = await paperEngine();
    clock.advanceBy(1_000);
    const before = engine.trades('paper', BTC, 1).trades[0]!;
    const price = Dec.parse(engine.ticker('paper', BTC).bid).sub(Dec.parse('5')).toString();
    paper.injectTrade(BTC, 'sell', price, '0.25');
    const [top] = engine.trades('paper', BTC, 1).trades;
    expect(top).toMatchObject({ seq: before.seq + 1, side: 'sell', quantity: '0.25', timestamp: clock.now() });
    expect(Dec.parse(top!.price).eq(Dec.parse(price))).toBe(true);
    await engine.stop();
  });

  it('says when a venue streams no trades, and refuses an instrument it does not trade', async () => {
    const db = openJournalDatabase(':memory:');
    const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal: new SqliteJournal(db), venues: [new FakeVenue()], logger: silentLogger });
    await engine.start();
    expect(engine.trades('fake', BTC, 10)).toEqual({ trades: [], streamed: false });
    expect(() => engine.trades('fake', 'NOPE/USDT:USDT', 10)).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    await engine.stop();
  });
});
