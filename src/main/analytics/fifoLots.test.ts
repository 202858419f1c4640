import { describe, expect, it } from 'vitest';
import { Dec } from '../../shared/decimal';
import type { OrderSide } from '../../shared/domain';
import { Prng } from '../core/prng';
import { TradeBook } from '../backtest/roundTrips';
import { FifoLedger, FifoLots, type ClosedLot, type LotFill } from './fifoLots';

const d = (text: string) => Dec.parse(text);

let seq = 0;
function fill(side: OrderSide, quantity: string, price: string, fee = '0', timestamp = ++seq, symbol = 'BTC/USDT:USDT'): LotFill {
  return { tradeId: `t${seq}`, orderId: `o${seq}`, venue: 'paper', symbol, side, quantity: d(quantity), price: d(price), fee: d(fee), timestamp };
}

describe('FIFO lots', () => {
  it('close the oldest lot first, splitting it, with fees shared by quantity', () => {
    const lots = new FifoLots();
    const a = fill('buy', '1', '100', '0.3');
    const b = fill('buy', '2', '110', '0.6');
    lots.apply(a);
    lots.apply(b);
    const change = lots.apply(fill('sell', '1.5', '120', '0.9'));
    expect(change.opened).toBeNull();
    expect(change.closed).toHaveLength(2);
    const [first, second] = change.closed as [ClosedLot, ClosedLot];
    // All of lot a: (120 - 100) × 1 = 20, its whole fee, two thirds of the closing fee.
    expect(first.openTradeId).toBe(a.tradeId);
    expect(first.quantity.toString()).toBe('1');
    expect(first.grossPnl.toString()).toBe('20');
    expect(first.openFee.toString()).toBe('0.3');
    expect(first.closeFee.toString()).toBe('0.6');
    expect(first.netPnl.toString()).toBe('19.1');
    // Half a lot of b: (120 - 110) × 0.5 = 5, a quarter of b's fee, the rest of the closing fee.
    expect(second.openTradeId).toBe(b.tradeId);
    expect(second.quantity.toString()).toBe('0.5');
    expect(second.grossPnl.toString()).toBe('5');
    expect(second.openFee.toString()).toBe('0.15');
    expect(second.closeFee.toString()).toBe('0.3');
    // What is left of b keeps the rest of its fee.
    expect(lots.position.toString()).toBe('1.5');
    expect(lots.openLots()[0]!.fee.toString()).toBe('0.45');
  });

  it('book a short the other way round and flip with the fill left over', () => {
    const lots = new FifoLots();
    lots.apply(fill('sell', '2', '50', '0.2'));
    const flip = lots.apply(fill('buy', '3', '40', '0.3'));
    expect(flip.closed).toHaveLength(1);
    expect(flip.closed[0]!.side).toBe('short');
    expect(flip.closed[0]!.grossPnl.toString()).toBe('20');
    expect(flip.closed[0]!.closeFee.toString()).toBe('0.2');
    expect(flip.opened?.side).toBe('long');
    expect(flip.opened?.quantity.toString()).toBe('1');
    expect(flip.opened?.fee.toString()).toBe('0.1');
    expect(lots.position.toString()).toBe('1');
  });

  it('refuse a fill with no quantity or no price', () => {
    const lots = new FifoLots();
    expect(() => lots.apply({ ...fill('buy', '1', '1'), quantity: Dec.ZERO })).toThrow(RangeError);
    expect(() => lots.apply({ ...fill('buy', '1', '1'), price: Dec.ZERO })).toThrow(RangeError);
    expect(lots.openLots()).toHaveLength(0);
  });

  it('keep each venue and symbol apart', () => {
    const ledger = new FifoLedger();
    ledger.apply(fill('buy', '1', '10', '0', ++seq, 'BTC/USDT:USDT'));
    const other = ledger.apply(fill('sell', '1', '12', '0', ++seq, 'ETH/USDT:USDT'));
    expect(other.closed).toHaveLength(0);
    expect(ledger.book('paper', 'BTC/USDT:USDT').position.toString()).toBe('1');
    expect(ledger.book('paper', 'ETH/USDT:USDT').position.toString()).toBe('-1');
  });
});

/** A random sequence of fills in whole lots of `unit`, prices on a 0.5 tick, fees sometimes negative (rebates). */
function randomFills(seed: number, count: number, unit = '0.001'): LotFill[] {
  const rng = new Prng(seed);
  const out: LotFill[] = [];
  let price = 1000;
  for (let i = 0; i < count; i++) {
    price = Math.max(1, price + Math.round((rng.next() - 0.5) * 40) / 2);
    const lots = 1 + Math.floor(rng.next() * 40);
    const fee = Math.round((rng.next() - 0.1) * 200) / 1000;
    out.push({
      tradeId: `s${seed}-${i}`,
      orderId: `o${seed}-${i}`,
      venue: 'paper',
      symbol: 'BTC/USDT:USDT',
      side: rng.next() < 0.5 ? 'buy' : 'sell',
      quantity: Dec.fromBigInt(BigInt(lots)).mul(d(unit)),
      price: Dec.fromNumber(price),
      fee: Dec.fromNumber(fee),
      timestamp: 1_700_000_000_000 + i * 60_000,
    });
  }
  return out;
}

/**
 * The brute-force reference: every fill cut into units of 0.001, a queue of
 * units, each closing unit matched with the oldest open unit of the other
 * side; pairs of (opening fill, closing fill) summed back up.
 */
function referenceLots(fills: readonly LotFill[]): Map<string, { quantity: Dec; gross: Dec; openFee: Dec; closeFee: Dec }> {
  const unit = d('0.001');
  const queue: Array<{ fill: LotFill; sign: 1 | -1 }> = [];
  const pairs = new Map<string, { quantity: Dec; gross: Dec; openFee: Dec; closeFee: Dec }>();
  for (const f of fills) {
    const sign = f.side === 'buy' ? 1 : -1;
    const units = Number(f.quantity.div(unit).toString());
    const feePerUnit = f.fee.mul(unit).div(f.quantity);
    for (let u = 0; u < units; u++) {
      const head = queue[0];
      if (head && head.sign !== sign) {
        queue.shift();
        const key = `${head.fill.tradeId}>${f.tradeId}`;
        const pair = pairs.get(key) ?? { quantity: Dec.ZERO, gross: Dec.ZERO, openFee: Dec.ZERO, closeFee: Dec.ZERO };
        const move = f.price.sub(head.fill.price).mul(unit);
        pairs.set(key, {
          quantity: pair.quantity.add(unit),
          gross: pair.gross.add(head.sign === 1 ? move : move.neg()),
          openFee: pair.openFee.add(head.fill.fee.mul(unit).div(head.fill.quantity)),
          closeFee: pair.closeFee.add(feePerUnit),
        });
      } else {
        queue.push({ fill: f, sign });
      }
    }
  }
  return pairs;
}

describe('FIFO lots against a brute-force reference on random fill sequences', () => {
  // A fee share may differ from the unit-by-unit sum by the rounding of a few 18th-decimal divisions.
  const FEE_TOLERANCE = d('0.000000000001');

  it.each([1, 2, 3, 4, 5, 6, 7, 8])('seed %i', (seed) => {
    const fills = randomFills(seed, 120);
    const lots = new FifoLots();
    const closed: ClosedLot[] = [];
    for (const f of fills) closed.push(...lots.apply(f).closed);
    const reference = referenceLots(fills);

    expect(closed.length).toBe(reference.size);
    for (const lot of closed) {
      const expected = reference.get(`${lot.openTradeId}>${lot.closeTradeId}`);
      expect(expected, `${lot.openTradeId}>${lot.closeTradeId}`).toBeDefined();
      expect(lot.quantity.eq(expected!.quantity)).toBe(true);
      expect(lot.grossPnl.eq(expected!.gross), `${lot.grossPnl} vs ${expected!.gross}`).toBe(true);
      expect(lot.openFee.sub(expected!.openFee).abs().lte(FEE_TOLERANCE)).toBe(true);
      expect(lot.closeFee.sub(expected!.closeFee).abs().lte(FEE_TOLERANCE)).toBe(true);
    }
    // Fees are never lost to rounding: closed and still-open pieces add up to every fee charged, exactly.
    const charged = Dec.sum(fills.map((f) => f.fee));
    const booked = Dec.sum([...closed.flatMap((l) => [l.openFee, l.closeFee]), ...lots.openLots().map((l) => l.fee)]);
    expect(booked.eq(charged), `${booked} vs ${charged}`).toBe(true);
    // What is still open is what the fills leave.
    const net = Dec.sum(fills.map((f) => (f.side === 'buy' ? f.quantity : f.quantity.neg())));
    expect(lots.position.eq(net)).toBe(true);
  });

  // Whole units: the backtest's book works in floats, where 0.001 lots would leave crumbs of 1e-19 behind.
  it.each([11, 12, 13])('seed %i: the same matches as the backtest trade book, pnl and commission alike', (seed) => {
    const fills = randomFills(seed, 150, '1');
    const lots = new FifoLots();
    const closed: ClosedLot[] = [];
    const book = new TradeBook();
    fills.forEach((f, bar) => {
      closed.push(...lots.apply(f).closed);
      book.apply({ bar, time: f.timestamp, side: f.side, quantity: f.quantity.toNumber(), price: f.price.toNumber(), fee: f.fee.toNumber() });
    });
    expect(closed.length).toBe(book.closed.length);
    closed.forEach((lot, i) => {
      const trade = book.closed[i]!;
      expect(trade.entryTime).toBe(lot.openedAt);
      expect(trade.exitTime).toBe(lot.closedAt);
      expect(Math.abs(trade.size)).toBeCloseTo(lot.quantity.toNumber(), 9);
      expect(Math.sign(trade.size)).toBe(lot.side === 'long' ? 1 : -1);
      expect(trade.pnl).toBeCloseTo(lot.netPnl.toNumber(), 6);
      expect(trade.commission).toBeCloseTo(lot.openFee.add(lot.closeFee).toNumber(), 9);
    });
  });
});
