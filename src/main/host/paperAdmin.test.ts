import { describe, expect, it } from 'vitest';
import { FakeVenue } from '../../../tests/support/fakeVenue';
import { Dec } from '../../shared/decimal';
import { Engine } from '../engine/engine';
import { SimulatedClock } from '../engine/ports/clock';
import { silentLogger } from '../engine/ports/logger';
import { openJournalDatabase } from '../journal/database';
import { SqliteJournal } from '../journal/sqliteJournal';
import { PaperAdmin, type PaperFaults } from './paperAdmin';

class AdministeredFake extends FakeVenue {
  resets: string[] = [];
  faults: PaperFaults[] = [];
  async resetAccount(balance: string): Promise<void> {
    this.resets.push(balance);
    this.balance = balance;
  }
  setFaults(faults: PaperFaults): void {
    this.faults.push(faults);
  }
}

async function setup() {
  const paper = new AdministeredFake('paper');
  const real = new FakeVenue('exchange');
  const engine = new Engine({ clock: new SimulatedClock(1_700_000_000_000), journal: new SqliteJournal(openJournalDatabase(':memory:')), venues: [paper, real], logger: silentLogger });
  await engine.start();
  return { engine, paper, admin: new PaperAdmin(engine, [paper]) };
}

describe('paper administration', () => {
  it('resets a paper account: its orders canceled, the venue and Keel’s books started again from the balance', async () => {
    const { engine, paper, admin } = await setup();
    await engine.placeOrder({ venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'limit', quantity: '0.01', price: '59000' });
    const summary = await admin.reset(undefined, Dec.parse('2500'));
    expect(paper.resets).toEqual(['2500']);
    expect(engine.orders.openOrders('paper')).toEqual([]);
    expect(summary).toMatchObject({ venue: 'paper', balance: '2500', equity: '2500' });
  });

  it('refuses a real venue and names an unknown one', async () => {
    const { admin } = await setup();
    await expect(admin.reset('exchange')).rejects.toMatchObject({ code: 'INVALID_STATE', message: expect.stringContaining('real venue') });
    expect(() => admin.setFaults({ latencyMs: 5 }, 'exchange')).toThrow(/real venue/);
    await expect(admin.reset('nowhere')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('sets faults on the paper venue and says so in the activity log', async () => {
    const { engine, paper, admin } = await setup();
    admin.setFaults({ cancelFailureRate: 0.3 });
    expect(paper.faults).toEqual([{ cancelFailureRate: 0.3 }]);
    expect(engine.listActivity(5)[0]?.message).toContain('fault injection set');
  });
});
