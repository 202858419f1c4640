import { describe, expect, it } from 'vitest';
import { Dec } from '../../shared/decimal';
import type { OrderSide } from '../../shared/domain';
import { Ledger } from '../core/ledger';
import { Prng } from '../core/prng';
import { StrategyBook } from '../engine/strategies/accounting';
import type { LotFill } from './fifoLots';
import { averageEntry, averageExit, RoundTripBook } from './roundTripBook';

const d = (text: string) => Dec.parse(text);
let seq = 0;
function fill(side: OrderSide, quantity: string, price: string, fee = '0', symbol = 'BTC/USDT:USDT', venue = 'paper'): LotFill {
  seq += 1;
  return { tradeId: `t${seq}`, orderId: `o${seq}`, venue, symbol, side, quantity: d(quantity), price: d(price), fee: d(fee), timestamp: seq * 1000 };
}

describe('round trips', () => {
  it('run from flat to flat through adds and partial closes', () => {
    const book = new RoundTripBook();
    const open = fill('buy', '1', '100', '0.1');
    book.apply(open);
    book.apply(fill('buy', '1', '120', '0.1'));
    book.apply(fill('sell', '0.5', '130', '0.05'));
    expect(book.trips()).toHaveLength(1);
    const trip = book.trips()[0]!;
    expect(trip.id).toBe(`paper:${open.tradeId}`);
    expect(trip.closedAt).toBeNull();
    expect(trip.openQuantity.toString()).toBe('1.5');
    expect(trip.grossPnl.toString()).toBe('15'); // (130 − 100) × 0.5, FIFO
    const close = fill('sell', '1.5', '110', '0.15');
    book.apply(close);
    expect(trip.closedAt).toBe(close.timestamp);
    // FIFO: 0.5 of the 100 lot at 110 (+5) and the 120 lot at 110 (−10): 15 + 5 − 10.
    expect(trip.grossPnl.toString()).toBe('10');
    expect(trip.fees.toString()).toBe('0.4');
    expect(trip.side).toBe('long');
    expect(trip.peakQuantity.toString()).toBe('2');
    expect(averageEntry(trip).toString()).toBe('110');
    expect(averageExit(trip)?.toString()).toBe('115');
    expect(trip.legs.map((l) => l.kind)).toEqual(['entry', 'entry', 'exit', 'exit']);
    expect(trip.lots).toHaveLength(3);
  });

  it('end at a flip, the fill shared between the trip it closes and the one it opens', () => {
    const book = new RoundTripBook();
    book.apply(fill('sell', '2', '50', '0.2'));
    const flip = fill('buy', '3', '40', '0.3');
    book.apply(flip);
    const [short, long] = book.trips();
    expect(short!.side).toBe('short');
    expect(short!.closedAt).toBe(flip.timestamp);
    expect(short!.grossPnl.toString()).toBe('20');
    expect(short!.fees.toString()).toBe('0.4');
    expect(long!.side).toBe('long');
    expect(long!.id).toBe(`paper:${flip.tradeId}`);
    expect(long!.openedAt).toBe(flip.timestamp);
    expect(long!.entryQuantity.toString()).toBe('1');
    expect(long!.fees.toString()).toBe('0.1');
    expect(long!.closedAt).toBeNull();
  });

  it('keep venues and symbols apart, and refuse a fill older than the last one of its instrument', () => {
    const book = new RoundTripBook();
    book.apply(fill('buy', '1', '10', '0', 'BTC/USDT:USDT', 'paper'));
    book.apply(fill('sell', '1', '10', '0', 'BTC/USDT:USDT', 'other'));
    book.apply(fill('sell', '1', '10', '0', 'ETH/USDT:USDT', 'paper'));
    expect(book.trips().map((t) => [t.venue, t.symbol, t.side])).toEqual([
      ['paper', 'BTC/USDT:USDT', 'long'],
      ['other', 'BTC/USDT:USDT', 'short'],
      ['paper', 'ETH/USDT:USDT', 'short'],
    ]);
    const late = { ...fill('sell', '1', '10'), timestamp: 1 };
    expect(() => book.apply(late)).toThrow(RangeError);
  });

  it.each([21, 22, 23, 24])('seed %i: add up to the ledger to the unit, and count the trips and wins the strategy book counts', (seed) => {
    const rng = new Prng(seed);
    const book = new RoundTripBook();
    const ledger = new Ledger('USDT', d('10000'));
    const strategy = new StrategyBook();
    let price = 500;
    let position = 0;
    for (let i = 0; i < 200; i++) {
      price = Math.max(1, price + Math.round((rng.next() - 0.5) * 20));
      // The last fill brings the position back to flat, so every trip is closed.
      const last = i === 199;
      const lots = last ? Math.abs(position) : 1 + Math.floor(rng.next() * 5);
      if (lots === 0) continue;
      const side: OrderSide = last ? (position > 0 ? 'sell' : 'buy') : rng.next() < 0.5 ? 'buy' : 'sell';
      position += side === 'buy' ? lots : -lots;
      const f = fill(side, String(lots / 10), String(price), String(Math.round(rng.next() * 100) / 1000));
      book.apply(f);
      ledger.applyFill({ symbol: f.symbol, side: f.side, quantity: f.quantity, price: f.price, fee: f.fee });
      strategy.apply({ side: f.side, quantity: f.quantity, price: f.price, fee: f.fee, timestamp: f.timestamp });
    }
    const trips = book.trips();
    expect(trips.every((t) => t.closedAt !== null)).toBe(true);
    const net = Dec.sum(trips.map((t) => t.grossPnl.sub(t.fees)));
    expect(net.eq(ledger.realizedPnl.sub(ledger.feesPaid)), `${net} vs ${ledger.realizedPnl.sub(ledger.feesPaid)}`).toBe(true);
    expect(trips.length).toBe(strategy.trades);
    expect(trips.filter((t) => t.grossPnl.sub(t.fees).isPositive()).length).toBe(strategy.wins);
  });
});
