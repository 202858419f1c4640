/**
 * The emergency stop against what Keel cannot see, and a re-arm that must
 * never undo a stop pressed after it.
 */
import { describe, expect, it } from 'vitest';
import { FakeVenue } from '../../../../tests/support/fakeVenue';
import { methods } from '../../../shared/contract';
import { openJournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { Engine } from '../engine';
import { SimulatedClock } from '../ports/clock';
import { silentLogger } from '../ports/logger';

describe('emergency stop edges', () => {
  it('sends every venue its cancel-all even when Keel sees nothing open there', async () => {
    const venue = new FakeVenue();
    let cancelAlls = 0;
    venue.cancelAll = async () => {
      cancelAlls += 1;
    };
    const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [venue], logger: silentLogger });
    await engine.start();
    expect(engine.orders.openOrders()).toEqual([]);
    await engine.emergencyStop({ flatten: false, trigger: 'test' });
    expect(cancelAlls).toBe(1);
  });

  it('re-arm is urgent: it runs when asked, so it can never run after a stop pressed later', () => {
    expect(methods['emergency.rearm'].kind).toBe('urgent');
    expect(methods['emergency.stop'].kind).toBe('urgent');
  });
});
