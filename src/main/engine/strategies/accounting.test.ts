import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import type { OrderSide } from '../../../shared/domain';
import { StrategyBook } from './accounting';

const DAY = Date.UTC(2024, 2, 1);

function fill(side: OrderSide, quantity: string, price: string, fee: string, timestamp = DAY + 3_600_000) {
  return { side, quantity: Dec.parse(quantity), price: Dec.parse(price), fee: Dec.parse(fee), timestamp };
}

/** The book's figures as exact decimal text. */
function figures(book: StrategyBook) {
  return {
    position: book.position.toString(),
    entryPrice: book.entryPrice.toString(),
    realized: book.realized.toString(),
    fees: book.fees.toString(),
    trades: book.trades,
    wins: book.wins,
  };
}

describe('StrategyBook', () => {
  it('opens, adds, reduces and closes a long, net of every fee', () => {
    const book = new StrategyBook();
    book.apply(fill('buy', '2', '100', '0.2'));
    expect(figures(book)).toEqual({ position: '2', entryPrice: '100', realized: '-0.2', fees: '0.2', trades: 0, wins: 0 });

    book.apply(fill('buy', '1', '103', '0.1'));
    expect(figures(book)).toEqual({ position: '3', entryPrice: '101', realized: '-0.3', fees: '0.3', trades: 0, wins: 0 });

    // Reducing books (105 − 101) × 1 less its fee; the average entry of the rest does not move.
    book.apply(fill('sell', '1', '105', '0.1'));
    expect(figures(book)).toEqual({ position: '2', entryPrice: '101', realized: '3.6', fees: '0.4', trades: 0, wins: 0 });
    expect(book.unrealized(Dec.parse('104')).toString()).toBe('6');

    // Closing at 99 loses (99 − 101) × 2 and the fee: the round trip as a whole lost 0.6.
    book.apply(fill('sell', '2', '99', '0.2'));
    expect(figures(book)).toEqual({ position: '0', entryPrice: '0', realized: '-0.6', fees: '0.6', trades: 1, wins: 0 });
    expect(book.unrealized(Dec.parse('120')).toString()).toBe('0');
  });

  it('counts a short that makes more than its fees as a win', () => {
    const book = new StrategyBook();
    book.apply(fill('sell', '1.5', '50', '0.075'));
    expect(book.position.toString()).toBe('-1.5');
    expect(book.unrealized(Dec.parse('48')).toString()).toBe('3');
    book.apply(fill('buy', '1.5', '40', '0.06'));
    expect(figures(book)).toEqual({ position: '0', entryPrice: '0', realized: '14.865', fees: '0.135', trades: 1, wins: 1 });
  });

  it('ends one round trip and starts the next on a flip, its fee split by quantity', () => {
    const book = new StrategyBook();
    book.apply(fill('buy', '2', '100', '0.2'));
    // Sells 5: closes the long 2 (gross +20, 2/5 of the fee) and opens a short 3 at 110 carrying the other 3/5.
    book.apply(fill('sell', '5', '110', '0.55'));
    expect(figures(book)).toEqual({ position: '-3', entryPrice: '110', realized: '19.25', fees: '0.75', trades: 1, wins: 1 });
    book.apply(fill('buy', '3', '112', '0.336'));
    // The short lost (112 − 110) × 3, its share of the flip's fee (0.33) and its own fee: a losing trip.
    expect(figures(book)).toEqual({ position: '0', entryPrice: '0', realized: '12.914', fees: '1.086', trades: 2, wins: 1 });
  });

  it('splits a fee that does not divide evenly without losing a unit', () => {
    const book = new StrategyBook();
    book.apply(fill('buy', '1', '10', '0'));
    book.apply(fill('sell', '3', '10', '0.1'));
    // 1/3 of the fee closes the long, the other 2/3 opens the short: together exactly the fee.
    expect(book.realized.toString()).toBe('-0.1');
    expect(book.fees.toString()).toBe('0.1');
    expect(book.trades).toBe(1);
    expect(book.wins).toBe(0);
    book.apply(fill('buy', '2', '10', '0'));
    expect(book.realized.toString()).toBe('-0.1');
    expect(book.trades).toBe(2);
  });

  it('adds to a short at a new average entry', () => {
    const book = new StrategyBook();
    book.apply(fill('sell', '1', '100', '0'));
    book.apply(fill('sell', '3', '104', '0'));
    expect(book.position.toString()).toBe('-4');
    expect(book.entryPrice.toString()).toBe('103');
    book.apply(fill('buy', '1', '101', '0'));
    expect(book.realized.toString()).toBe('2');
    expect(book.entryPrice.toString()).toBe('103');
  });

  it('counts the day\'s PnL from the UTC day\'s start: realized today plus the open position', () => {
    const book = new StrategyBook();
    const lateOnDay1 = DAY + 23 * 3_600_000;
    const day2 = DAY + 86_400_000;
    book.apply(fill('buy', '2', '100', '0.2', DAY + 3_600_000));
    book.apply(fill('sell', '1', '110', '0.1', lateOnDay1));
    expect(book.realized.toString()).toBe('9.7');
    // Day 1: −0.2 + 9.9 realized, plus (105 − 100) × 1 open.
    expect(book.dayPnl(lateOnDay1 + 1, Dec.parse('105')).toString()).toBe('14.7');
    expect(book.dayPnl(day2 - 1, Dec.parse('105')).toString()).toBe('14.7');
    // At 00:00:00.000 UTC the realized part starts again from zero; the open position still counts.
    expect(book.dayPnl(day2, Dec.parse('105')).toString()).toBe('5');
    book.apply(fill('sell', '1', '95', '0.1', day2 + 60_000));
    expect(book.dayPnl(day2 + 120_000, Dec.parse('90')).toString()).toBe('-5.1');
    expect(book.realized.toString()).toBe('4.6');
  });

  it('rolls the day on a fill even when nobody asked for the day\'s PnL in between', () => {
    const book = new StrategyBook();
    book.apply(fill('sell', '1', '100', '0', DAY + 1_000));
    book.apply(fill('buy', '1', '90', '0', DAY + 2_000));
    book.apply(fill('sell', '1', '100', '0', DAY + 86_400_000 + 1_000));
    book.apply(fill('buy', '1', '97', '0', DAY + 86_400_000 + 2_000));
    expect(book.realized.toString()).toBe('13');
    expect(book.dayPnl(DAY + 86_400_000 + 3_000, Dec.parse('97')).toString()).toBe('3');
  });

  it('files each round trip under the regime its first fill came in, net of fees; trips with no regime known are not filed', () => {
    const book = new StrategyBook();
    const tally = () => Object.fromEntries([...book.byRegime].map(([regime, t]) => [regime, { trades: t.trades, wins: t.wins, pnl: t.pnl.toString() }]));
    book.apply({ ...fill('buy', '1', '100', '0.1'), regime: 'trending_up' });
    // Adding in another regime does not move the trip.
    book.apply({ ...fill('buy', '1', '102', '0.1'), regime: 'volatile' });
    book.apply({ ...fill('sell', '2', '105', '0.2'), regime: 'ranging' });
    expect(tally()).toEqual({ trending_up: { trades: 1, wins: 1, pnl: '7.6' } });
    // A flip ends the long (begun ranging) and begins a short in the flip's regime.
    book.apply({ ...fill('buy', '1', '100', '0'), regime: 'ranging' });
    book.apply({ ...fill('sell', '3', '98', '0'), regime: 'volatile' });
    book.apply({ ...fill('buy', '2', '99', '0'), regime: 'trending_up' });
    expect(tally()).toEqual({ trending_up: { trades: 1, wins: 1, pnl: '7.6' }, ranging: { trades: 1, wins: 0, pnl: '-2' }, volatile: { trades: 1, wins: 0, pnl: '-2' } });
    book.apply(fill('buy', '1', '100', '0'));
    book.apply({ ...fill('sell', '1', '101', '0'), regime: 'ranging' });
    expect(book.trades).toBe(4);
    expect([...book.byRegime.values()].reduce((n, t) => n + t.trades, 0)).toBe(3);
  });
});
