import { afterEach, describe, expect, it } from 'vitest';
import { BTC_PERP, RESTING_ORDER } from '../../../tests/support/fixtures';
import type { Fill, Order } from '../../shared/domain';
import { openJournalDatabase, type JournalDatabase } from './database';
import { SqliteJournal } from './sqliteJournal';
import { SqliteTradeJournal } from './sqliteTradeJournal';

const open: JournalDatabase[] = [];
afterEach(() => {
  for (const db of open.splice(0)) db.close();
});

function stores() {
  const db = openJournalDatabase(':memory:');
  open.push(db);
  return { journal: new SqliteJournal(db), trades: new SqliteTradeJournal(db) };
}

const order = (patch: Partial<Order>): Order => ({ ...RESTING_ORDER, ...patch });
const fill = (tradeId: string, orderId: string, timestamp: number): Fill => ({
  tradeId,
  orderId,
  clientOrderId: `c-${orderId}`,
  venue: 'paper',
  symbol: BTC_PERP.symbol,
  side: 'buy',
  quantity: '1',
  price: '100',
  fee: '0.05',
  feeCurrency: 'USDT',
  liquidity: 'taker',
  realizedPnl: '0',
  timestamp,
});

describe('the SQLite trade journal', () => {
  it('reads fills back in recording order, page by page, whatever their timestamps', () => {
    const { journal, trades } = stores();
    journal.insertOrder(order({ id: 'o1', clientOrderId: 'c1' }));
    journal.insertFill(fill('t1', 'o1', 300));
    journal.insertFill(fill('t2', 'o1', 100));
    journal.insertFill(fill('t3', 'o1', 200));
    const first = trades.fillsAfter(0, 2);
    expect(first.map((r) => r.fill.tradeId)).toEqual(['t1', 't2']);
    const rest = trades.fillsAfter(first[1]!.row, 10);
    expect(rest.map((r) => r.fill.tradeId)).toEqual(['t3']);
    expect(trades.fillsAfter(rest[0]!.row, 10)).toEqual([]);
    expect(trades.order('o1')?.clientOrderId).toBe('c1');
    expect(trades.order('nope')).toBeUndefined();
  });

  it('finds the reduce-only stops placed on an instrument in a time window, oldest first', () => {
    const { journal, trades } = stores();
    journal.insertOrder(order({ id: 's1', clientOrderId: 's1', type: 'stop', stopPrice: '90', side: 'sell', reduceOnly: true, createdAt: 20 }));
    journal.insertOrder(order({ id: 's0', clientOrderId: 's0', type: 'stop_limit', price: '89', stopPrice: '90', side: 'sell', reduceOnly: true, createdAt: 10 }));
    journal.insertOrder(order({ id: 'open-stop', clientOrderId: 'x1', type: 'stop', stopPrice: '90', reduceOnly: false, createdAt: 15 }));
    journal.insertOrder(order({ id: 'limit', clientOrderId: 'x2', type: 'limit', reduceOnly: true, createdAt: 15 }));
    journal.insertOrder(order({ id: 'late', clientOrderId: 'x3', type: 'stop', stopPrice: '90', reduceOnly: true, createdAt: 99 }));
    journal.insertOrder(order({ id: 'eth', clientOrderId: 'x4', symbol: 'ETH/USDT:USDT', type: 'stop', stopPrice: '9', reduceOnly: true, createdAt: 15 }));
    expect(trades.protectiveStops('paper', BTC_PERP.symbol, 10, 50).map((o) => o.id)).toEqual(['s0', 's1']);
  });

  it('keeps notes and tags, replaces them, and forgets a round trip left with nothing', () => {
    const { trades } = stores();
    trades.saveAnnotation('paper:t1', { note: 'chased it', tags: ['fomo', 'late'], updatedAt: 5 });
    trades.saveAnnotation('paper:t2', { note: '', tags: ['plan'], updatedAt: 6 });
    trades.saveAnnotation('paper:t1', { note: 'chased it, again', tags: ['fomo'], updatedAt: 7 });
    expect(trades.annotations()).toEqual(
      new Map([
        ['paper:t1', { note: 'chased it, again', tags: ['fomo'], updatedAt: 7 }],
        ['paper:t2', { note: '', tags: ['plan'], updatedAt: 6 }],
      ]),
    );
    trades.saveAnnotation('paper:t2', { note: '', tags: [], updatedAt: 8 });
    expect([...trades.annotations().keys()]).toEqual(['paper:t1']);
  });

  it('keeps the first regime read for a round trip', () => {
    const { trades } = stores();
    trades.saveRegime('paper:t1', '1h', 'ranging');
    trades.saveRegime('paper:t1', '1h', 'volatile');
    expect(trades.regimes()).toEqual(new Map([['paper:t1', 'ranging']]));
  });

  it('reads instruments as their venue listed them', () => {
    const { journal, trades } = stores();
    journal.saveInstruments([BTC_PERP]);
    expect(trades.instrument('paper', BTC_PERP.symbol)).toEqual(BTC_PERP);
    expect(trades.instrument('paper', 'DOGE/USDT:USDT')).toBeUndefined();
  });
});
