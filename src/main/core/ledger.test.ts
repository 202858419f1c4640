import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { Dec } from '../../shared/decimal';
import { Ledger, realizedFigures } from './ledger';

const d = Dec.parse;

describe('Ledger', () => {
  it('opens, adds to and closes a long with exact PnL and fees', () => {
    const ledger = new Ledger('USDT', d('10000'));
    ledger.applyFill({ symbol: 'BTC', side: 'buy', quantity: d('0.1'), price: d('60000'), fee: d('3') });
    ledger.applyFill({ symbol: 'BTC', side: 'buy', quantity: d('0.1'), price: d('62000'), fee: d('3.1') });
    expect(ledger.entryPrice('BTC').toString()).toBe('61000');
    expect(ledger.unrealizedPnl('BTC', d('61500')).toString()).toBe('100');
    const realized = ledger.applyFill({ symbol: 'BTC', side: 'sell', quantity: d('0.2'), price: d('63000'), fee: d('6.3') });
    expect(realized.toString()).toBe('400');
    expect(ledger.balance.toString()).toBe('10387.6');
    expect(ledger.feesPaid.toString()).toBe('12.4');
    expect(ledger.positions()).toHaveLength(0);
  });

  it('realizes a short profit when price falls', () => {
    const ledger = new Ledger('USDT', d('1000'));
    ledger.applyFill({ symbol: 'ETH', side: 'sell', quantity: d('2'), price: d('100'), fee: d('0') });
    expect(ledger.netQuantity('ETH').toString()).toBe('-2');
    expect(ledger.unrealizedPnl('ETH', d('90')).toString()).toBe('20');
    expect(ledger.applyFill({ symbol: 'ETH', side: 'buy', quantity: d('1'), price: d('90'), fee: d('0') }).toString()).toBe('10');
    expect(ledger.entryPrice('ETH').toString()).toBe('100');
  });

  it('flips a position through zero: closes the old side, opens the rest at the fill price', () => {
    const ledger = new Ledger('USDT', d('1000'));
    ledger.applyFill({ symbol: 'SOL', side: 'buy', quantity: d('1'), price: d('100'), fee: d('0') });
    const realized = ledger.applyFill({ symbol: 'SOL', side: 'sell', quantity: d('3'), price: d('110'), fee: d('0') });
    expect(realized.toString()).toBe('10');
    expect(ledger.netQuantity('SOL').toString()).toBe('-2');
    expect(ledger.entryPrice('SOL').toString()).toBe('110');
  });

  it('starts a new position from zero realized PnL and fees, after a close and after a flip', () => {
    const ledger = new Ledger('USDT', d('1000'));
    ledger.applyFill({ symbol: 'BTC', side: 'buy', quantity: d('1'), price: d('100'), fee: d('0.5') });
    ledger.applyFill({ symbol: 'BTC', side: 'sell', quantity: d('1'), price: d('110'), fee: d('0.55') });
    expect(ledger.position('BTC')?.realizedPnl.toString()).toBe('10');
    expect(ledger.position('BTC')?.feesPaid.toString()).toBe('1.05');
    ledger.applyFill({ symbol: 'BTC', side: 'buy', quantity: d('2'), price: d('120'), fee: d('1.2') });
    expect(ledger.position('BTC')?.realizedPnl.toString()).toBe('0');
    expect(ledger.position('BTC')?.feesPaid.toString()).toBe('1.2');
    // The flipping fill's PnL and fee go to the long it closed; the short starts clean.
    ledger.applyFill({ symbol: 'BTC', side: 'sell', quantity: d('3'), price: d('130'), fee: d('1.95') });
    expect(ledger.netQuantity('BTC').toString()).toBe('-1');
    expect(ledger.position('BTC')?.realizedPnl.toString()).toBe('0');
    expect(ledger.position('BTC')?.feesPaid.toString()).toBe('0');
    // The account keeps every figure.
    expect(ledger.realizedPnl.toString()).toBe('30');
    expect(ledger.feesPaid.toString()).toBe('4.2');
    expect(ledger.balance.toString()).toBe('1025.8');
  });

  it('keeps margin by leverage and refuses nonsense fills', () => {
    const ledger = new Ledger('USDT', d('1000'), 10);
    ledger.setLeverage('BTC', 5);
    ledger.applyFill({ symbol: 'BTC', side: 'buy', quantity: d('0.01'), price: d('50000'), fee: d('0') });
    expect(ledger.positionMargin('BTC', d('50000')).toString()).toBe('100');
    expect(() => ledger.applyFill({ symbol: 'BTC', side: 'buy', quantity: d('0'), price: d('1'), fee: d('0') })).toThrow(RangeError);
    expect(() => ledger.setLeverage('BTC', 0)).toThrow(RangeError);
  });

  it('survives a snapshot round trip, leverage of flat symbols included', () => {
    const ledger = new Ledger('USDT', d('1000'));
    ledger.setLeverage('ETH', 3);
    ledger.applyFill({ symbol: 'BTC', side: 'sell', quantity: d('0.003'), price: d('60000.1'), fee: d('0.09') });
    const copy = new Ledger('USDT', d('0'));
    copy.restore(JSON.parse(JSON.stringify(ledger.snapshot())));
    expect(copy.snapshot()).toEqual(ledger.snapshot());
    expect(copy.leverage('ETH')).toBe(3);
  });

  it('books funding as its own entry: cash, the account and the open position, apart from trading PnL', () => {
    const ledger = new Ledger('USDT', d('1000'));
    ledger.applyFill({ symbol: 'BTC', side: 'buy', quantity: d('0.1'), price: d('60000'), fee: d('3') });
    ledger.applyFunding('BTC', d('-0.6'), 5);
    expect(ledger.balance.toString()).toBe('996.4');
    expect(ledger.funding.toString()).toBe('-0.6');
    expect(ledger.realizedPnl.toString()).toBe('0');
    expect(ledger.position('BTC')?.funding.toString()).toBe('-0.6');
    expect(realizedFigures(ledger.position('BTC')!)).toEqual({ realizedPnl: '-3.6', realizedPnlGross: '0', feesPaid: '3', funding: '-0.6' });
    // Received on a flat symbol (its position closed before the payment was booked): the account's alone.
    ledger.applyFill({ symbol: 'BTC', side: 'sell', quantity: d('0.1'), price: d('60100'), fee: d('3') });
    ledger.applyFunding('BTC', d('0.25'), 6);
    expect(ledger.funding.toString()).toBe('-0.35');
    expect(ledger.position('BTC')?.funding.toString()).toBe('-0.6');
    expect(realizedFigures(ledger)).toEqual({ realizedPnl: '3.65', realizedPnlGross: '10', feesPaid: '6', funding: '-0.35' });
    // A new position starts with none.
    ledger.applyFill({ symbol: 'BTC', side: 'sell', quantity: d('0.1'), price: d('60100'), fee: d('0') });
    expect(ledger.position('BTC')?.funding.toString()).toBe('0');
  });

  it('keeps margin modes and funding through a snapshot, and reads snapshots written before they existed', () => {
    const ledger = new Ledger('USDT', d('1000'));
    ledger.setMarginMode('ETH', 'isolated');
    ledger.applyFill({ symbol: 'ETH', side: 'buy', quantity: d('1'), price: d('3000'), fee: d('0') });
    ledger.applyFunding('ETH', d('-0.3'));
    const copy = new Ledger('USDT', d('0'));
    copy.restore(JSON.parse(JSON.stringify(ledger.snapshot())));
    expect(copy.snapshot()).toEqual(ledger.snapshot());
    expect(copy.marginMode('ETH')).toBe('isolated');
    expect(copy.marginMode('BTC')).toBe('cross');
    const { funding: _funding, marginModes: _modes, ...old } = ledger.snapshot();
    const older = new Ledger('USDT', d('0'));
    older.restore({ ...old, positions: old.positions.map(({ funding: _f, ...p }) => p) });
    expect(older.funding.toString()).toBe('0');
    expect(older.position('ETH')?.funding.toString()).toBe('0');
    expect(older.marginMode('ETH')).toBe('cross');
  });

  it('after 100,000 random fills equals the exact sum of the fills', () => {
    const symbols = ['BTC', 'ETH', 'SOL'];
    const fillArb = fc.record({
      symbol: fc.constantFrom(...symbols),
      side: fc.constantFrom<'buy' | 'sell'>('buy', 'sell'),
      lots: fc.integer({ min: 1, max: 5000 }), // lot 0.001
      ticks: fc.integer({ min: 100_000, max: 1_000_000 }), // tick 0.1
      feeRate: fc.constantFrom('0.0002', '0.0005'),
    });
    const fills = fc.sample(fillArb, { numRuns: 100_000, seed: 20261121 });
    const initial = d('10000');
    const ledger = new Ledger('USDT', initial);
    const lot = d('0.001');
    const tick = d('0.1');
    let fees = Dec.ZERO;
    let realized = Dec.ZERO;
    // Independent reference: Σ signedQty × price per symbol, and Σ signedQty.
    const signedCost = new Map<string, Dec>();
    const signedQty = new Map<string, Dec>();
    for (const f of fills) {
      const quantity = lot.mul(Dec.fromBigInt(BigInt(f.lots)));
      const price = tick.mul(Dec.fromBigInt(BigInt(f.ticks)));
      const fee = quantity.mul(price).mul(d(f.feeRate));
      fees = fees.add(fee);
      realized = realized.add(ledger.applyFill({ symbol: f.symbol, side: f.side, quantity, price, fee }));
      const signed = f.side === 'buy' ? quantity : quantity.neg();
      signedQty.set(f.symbol, (signedQty.get(f.symbol) ?? Dec.ZERO).add(signed));
      signedCost.set(f.symbol, (signedCost.get(f.symbol) ?? Dec.ZERO).add(signed.mul(price)));
    }
    const mark = d('54321.1');
    // Equity at any mark = initial − fees + Σ signedQty × (mark − price), to the last unit.
    let expectedEquity = initial.sub(fees);
    for (const s of symbols) {
      expectedEquity = expectedEquity.add((signedQty.get(s) ?? Dec.ZERO).mul(mark)).sub(signedCost.get(s) ?? Dec.ZERO);
      expect(ledger.netQuantity(s).eq(signedQty.get(s) ?? Dec.ZERO)).toBe(true);
    }
    expect(ledger.feesPaid.eq(fees)).toBe(true);
    expect(ledger.balance.eq(initial.add(realized).sub(fees))).toBe(true);
    expect(ledger.equity(() => mark).toString()).toBe(expectedEquity.toString());
  });
});

describe('Ledger checkpoints', () => {
  const fill = fc.record({
    symbol: fc.constantFrom('BTC', 'ETH'),
    side: fc.constantFrom('buy' as const, 'sell' as const),
    quantity: fc.integer({ min: 1, max: 500 }).map((q) => d((q / 100).toFixed(2))),
    price: fc.integer({ min: 100, max: 10_000_000 }).map((c) => d((c / 100).toFixed(2))),
    fee: fc.integer({ min: 0, max: 1_000 }).map((c) => d((c / 100).toFixed(2))),
  });
  const change = fc.oneof(
    fill.map((f) => (l: Ledger) => void l.applyFill(f, 7)),
    fc.tuple(fc.constantFrom('BTC', 'ETH'), fc.integer({ min: 1, max: 20 })).map(([symbol, lev]) => (l: Ledger) => l.setLeverage(symbol, lev)),
    fc.tuple(fc.constantFrom('BTC', 'ETH'), fc.integer({ min: -500, max: 500 })).map(([symbol, c]) => (l: Ledger) => l.applyFunding(symbol, d((c / 100).toFixed(2)), 9)),
    fc.constantFrom('BTC', 'ETH').map((symbol) => (l: Ledger) => l.setMarginMode(symbol, 'isolated')),
  );

  it('rewinds to exactly the books it was taken from, whatever changed after (property)', () => {
    fc.assert(
      fc.property(fc.array(change, { maxLength: 12 }), fc.array(change, { minLength: 1, maxLength: 12 }), (before, after) => {
        const ledger = new Ledger('USDT', d('100000'));
        for (const apply of before) apply(ledger);
        const expected = ledger.snapshot();
        const checkpoint = ledger.checkpoint();
        for (const apply of after) apply(ledger);
        ledger.rewind(checkpoint);
        expect(ledger.snapshot()).toEqual(expected);
        // The checkpoint is not tied to the live books: changing them again and rewinding again still lands on it.
        for (const apply of after) apply(ledger);
        ledger.rewind(checkpoint);
        expect(ledger.snapshot()).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });
});

