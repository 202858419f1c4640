/**
 * The margin arithmetic against values worked out by hand (each expected
 * figure is the formula in the module's header, evaluated on paper), and the
 * invariant behind them: at the liquidation price the margin balance equals
 * the maintenance margin.
 */
import { describe, expect, it } from 'vitest';
import { Dec } from '../../shared/decimal';
import { Ledger } from './ledger';
import {
  assessAccount,
  bankruptcyPrice,
  bracketLimitProblem,
  bracketLimitText,
  checkTerms,
  dueForLiquidation,
  leverageChangeProblem,
  liquidationFillPrice,
  liquidationPrice,
  maintenanceMargin,
  marginRatio,
  marginRatioFromLiquidation,
  type PerpetualTerms,
  type Tier,
} from './perpetualMargin';

const d = Dec.parse;
const BTC = 'BTC/USDT:USDT';
const ETH = 'ETH/USDT:USDT';

function tier(floor: string, cap: string, rate: string, amount: string, maxLeverage: number): Tier {
  return { floor: d(floor), cap: d(cap), rate: d(rate), amount: d(amount), maxLeverage };
}

const BTC_TIERS: Tier[] = [
  tier('0', '50000', '0.004', '0', 100),
  tier('50000', '250000', '0.005', '50', 75),
  tier('250000', '1000000', '0.01', '1300', 50),
];
const ETH_TIERS: Tier[] = [tier('0', '25000', '0.005', '0', 50), tier('25000', '250000', '0.01', '125', 25)];
const TERMS: Record<string, PerpetualTerms> = {
  [BTC]: { tiers: BTC_TIERS, liquidationFeeRate: d('0.002'), tick: d('0.1') },
  [ETH]: { tiers: ETH_TIERS, liquidationFeeRate: d('0.0025'), tick: d('0.01') },
};

function books(cash: string, positions: Array<{ symbol: string; side: 'buy' | 'sell'; quantity: string; price: string; leverage: number; isolated?: boolean }>): Ledger {
  const ledger = new Ledger('USDT', d(cash));
  for (const p of positions) {
    ledger.setLeverage(p.symbol, p.leverage);
    if (p.isolated) ledger.setMarginMode(p.symbol, 'isolated');
    ledger.applyFill({ symbol: p.symbol, side: p.side, quantity: d(p.quantity), price: d(p.price), fee: Dec.ZERO });
  }
  return ledger;
}

function assess(ledger: Ledger, marks: Record<string, string>) {
  return assessAccount(ledger, (s) => d(marks[s]!), (s) => TERMS[s]);
}

function risk(ledger: Ledger, marks: Record<string, string>, symbol: string) {
  return assess(ledger, marks).positions.find((p) => p.symbol === symbol)!;
}

/** Compares to 12 decimals: the hand values are divisions that the 18-decimal arithmetic rounds. */
function near(actual: Dec | null, expected: string): void {
  expect(actual).not.toBeNull();
  expect(actual!.roundTo(12).eq(d(expected).roundTo(12)), `${actual!.toString()} ≈ ${expected}`).toBe(true);
}

describe('margin brackets', () => {
  it('picks the bracket by notional and keeps the maintenance margin continuous at each floor', () => {
    expect(maintenanceMargin(BTC_TIERS, d('10000')).toString()).toBe('40');
    // At the floor of bracket 2 both formulas give the same figure: 50,000 × 0.4 % = 50,000 × 0.5 % − 50.
    expect(maintenanceMargin(BTC_TIERS, d('49999.9')).toString()).toBe('199.9996');
    expect(maintenanceMargin(BTC_TIERS, d('50000')).toString()).toBe('200');
    expect(maintenanceMargin(BTC_TIERS, d('120000')).toString()).toBe('550');
    // Beyond the last cap the last bracket still applies.
    expect(maintenanceMargin(BTC_TIERS, d('2000000')).toString()).toBe('18700');
  });

  it('refuses a table that is not built the way exchanges build them', () => {
    expect(() => checkTerms(BTC, { tiers: BTC_TIERS, liquidationFeeRate: d('0.002') })).not.toThrow();
    const gap = [BTC_TIERS[0]!, tier('60000', '250000', '0.005', '110', 75)];
    expect(() => checkTerms(BTC, { tiers: gap, liquidationFeeRate: d('0.002') })).toThrow(/previous one ends at 50000/);
    const jump = [BTC_TIERS[0]!, tier('50000', '250000', '0.005', '40', 75)];
    expect(() => checkTerms(BTC, { tiers: jump, liquidationFeeRate: d('0.002') })).toThrow(/must be 50/);
    expect(() => checkTerms(BTC, { tiers: BTC_TIERS, liquidationFeeRate: d('0.004') })).toThrow(/below the first bracket/);
  });
});

describe('liquidation and bankruptcy prices', () => {
  it('isolated long: (IM − c) / (Q·rate − Q), bankruptcy (c − IM) / (Q − Q·fee)', () => {
    // 0.1 BTC at 60,000 with 20x: cost 6,000, margin set aside 300.
    const ledger = books('1000', [{ symbol: BTC, side: 'buy', quantity: '0.1', price: '60000', leverage: 20, isolated: true }]);
    const r = risk(ledger, { [BTC]: '60000' }, BTC);
    expect(r.isolatedMargin!.toString()).toBe('300');
    // (300 − 6000) / (0.0004 − 0.1) = 5700 / 0.0996
    near(r.liquidationPrice, '57228.915662650602409638');
    // (6000 − 300) / (0.1 − 0.0002) = 5700 / 0.0998
    near(bankruptcyPrice(r.quantity, r.cost, r.bankruptcyWallet, d('0.002')), '57114.228456913827655310');
    // On the tick, in the trader's favour: a long sells at the tick above.
    expect(liquidationFillPrice(r).toString()).toBe('57114.3');
  });

  it('isolated short: (IM + Q·E) / (Q·rate + Q), bankruptcy (IM + Q·E) / (Q + Q·fee)', () => {
    const ledger = books('1000', [{ symbol: BTC, side: 'sell', quantity: '0.1', price: '60000', leverage: 20, isolated: true }]);
    const r = risk(ledger, { [BTC]: '60000' }, BTC);
    // 6300 / 0.1004
    near(r.liquidationPrice, '62749.003984063745019920');
    // 6300 / 0.1002, floored to the tick: a short buys at the tick below.
    near(bankruptcyPrice(r.quantity, r.cost, r.bankruptcyWallet, d('0.002')), '62874.251497005988023952');
    expect(liquidationFillPrice(r).toString()).toBe('62874.2');
  });

  it('cross long: the whole cross wallet backs it', () => {
    const ledger = books('1000', [{ symbol: BTC, side: 'buy', quantity: '0.1', price: '60000', leverage: 20 }]);
    const r = risk(ledger, { [BTC]: '60000' }, BTC);
    // (1000 − 6000) / (0.0004 − 0.1) = 5000 / 0.0996
    near(r.liquidationPrice, '50200.803212851405622490');
  });

  it('cross with two positions: each has the wallet plus the other’s PnL, less the other’s maintenance', () => {
    const ledger = books('1000', [
      { symbol: BTC, side: 'buy', quantity: '0.1', price: '60000', leverage: 20 },
      { symbol: ETH, side: 'sell', quantity: '1', price: '3000', leverage: 20 },
    ]);
    const marks = { [BTC]: '60000', [ETH]: '3000' };
    // BTC: wallet 1000 − ETH's MM (3000 × 0.5 % = 15) = 985 → (985 − 6000) / (0.0004 − 0.1) = 5015 / 0.0996
    near(risk(ledger, marks, BTC).liquidationPrice, '50351.405622489959839357');
    // ETH short: 1000 − BTC's MM (6000 × 0.4 % = 24) = 976 → (976 + 3000) / (0.005 + 1) = 3976 / 1.005
    near(risk(ledger, marks, ETH).liquidationPrice, '3956.218905472636815920');
    // ETH 100 up: BTC's room shrinks by ETH's loss and its larger maintenance (3100 × 0.5 % = 15.5): 1000 − 100 − 15.5 = 884.5.
    near(risk(ledger, { [BTC]: '60000', [ETH]: '3100' }, BTC).liquidationPrice, d('5115.5').div(d('0.0996')).toString());
  });

  it('isolated and cross side by side: the isolated margin leaves the cross wallet', () => {
    const ledger = books('1000', [
      { symbol: BTC, side: 'buy', quantity: '0.1', price: '60000', leverage: 20, isolated: true },
      { symbol: ETH, side: 'buy', quantity: '1', price: '3000', leverage: 10 },
    ]);
    const account = assess(ledger, { [BTC]: '60000', [ETH]: '3000' });
    expect(account.crossWallet.toString()).toBe('700');
    // ETH long, cross: (700 − 3000) / (0.005 − 1) = 2300 / 0.995
    near(account.positions.find((p) => p.symbol === ETH)!.liquidationPrice, '2311.557788944723618090');
    // The isolated BTC is not touched by ETH: still 5700 / 0.0996.
    near(account.positions.find((p) => p.symbol === BTC)!.liquidationPrice, '57228.915662650602409638');
  });

  it('solves in the bracket the liquidation notional falls in', () => {
    // 2 BTC at 60,000, 10x isolated: margin 12,000. Bracket 1 would give 108,000 / 1.992 = 54,216.87 (notional 108,433: not bracket 1);
    // bracket 2 gives (12,000 + 50 − 120,000) / (0.01 − 2) = 107,950 / 1.99, notional 108,492: in bracket 2.
    const ledger = books('20000', [{ symbol: BTC, side: 'buy', quantity: '2', price: '60000', leverage: 10, isolated: true }]);
    near(risk(ledger, { [BTC]: '60000' }, BTC).liquidationPrice, '54246.231155778894472362');
  });

  it('a long backed by more than its notional cannot be liquidated', () => {
    const ledger = books('10000', [{ symbol: BTC, side: 'buy', quantity: '0.1', price: '60000', leverage: 1 }]);
    expect(risk(ledger, { [BTC]: '60000' }, BTC).liquidationPrice).toBeNull();
    expect(liquidationPrice(BTC_TIERS, d('0.1'), d('6000'), d('7000'))).toBeNull();
  });

  it('at the liquidation price the margin balance is the maintenance margin, in every mode and on both sides', () => {
    const cases = [
      { side: 'buy' as const, isolated: true },
      { side: 'sell' as const, isolated: true },
      { side: 'buy' as const, isolated: false },
      { side: 'sell' as const, isolated: false },
    ];
    for (const c of cases) {
      const ledger = books('2500', [{ symbol: BTC, side: c.side, quantity: '0.37', price: '61234.5', leverage: 25, isolated: c.isolated }]);
      const liq = risk(ledger, { [BTC]: '61234.5' }, BTC).liquidationPrice!;
      const at = risk(ledger, { [BTC]: liq.toString() }, BTC);
      expect(at.marginRatio!.roundTo(9).eq(Dec.ONE), `${c.side} ${c.isolated ? 'isolated' : 'cross'}: ${at.marginRatio!.toString()}`).toBe(true);
    }
  });
});

describe('margin ratio, ROE and what is due', () => {
  it('isolated ratio is MM / (margin + PnL); ROE is PnL over the entry margin', () => {
    const ledger = books('1000', [{ symbol: BTC, side: 'buy', quantity: '0.1', price: '60000', leverage: 20, isolated: true }]);
    // Mark 58,000: balance 300 − 200 = 100, MM 5,800 × 0.4 % = 23.2.
    const down = risk(ledger, { [BTC]: '58000' }, BTC);
    expect(down.marginRatio!.toString()).toBe('0.232');
    expect(down.roePercent.toString()).toBe('-66.666666666666666667');
    expect(risk(ledger, { [BTC]: '61000' }, BTC).roePercent.roundTo(6).toString()).toBe('33.333333');
    // Past bankruptcy the ratio is capped, not negative.
    expect(marginRatio(d('10'), d('-5')).toString()).toBe('10');
  });

  it('funding paid shrinks an isolated position’s margin and moves its liquidation price', () => {
    const ledger = books('1000', [{ symbol: BTC, side: 'buy', quantity: '0.1', price: '60000', leverage: 20, isolated: true }]);
    ledger.applyFunding(BTC, d('-10'));
    const r = risk(ledger, { [BTC]: '60000' }, BTC);
    expect(r.isolatedMargin!.toString()).toBe('290');
    // (290 − 6000) / (0.0004 − 0.1) = 5710 / 0.0996
    near(r.liquidationPrice, '57329.317269076305220884');
  });

  it('lists isolated positions past 1 and, for cross, the one needing the most maintenance first', () => {
    const ledger = books('1000', [
      { symbol: BTC, side: 'buy', quantity: '0.1', price: '60000', leverage: 20 },
      { symbol: ETH, side: 'buy', quantity: '1', price: '3000', leverage: 20 },
    ]);
    expect(dueForLiquidation(assess(ledger, { [BTC]: '60000', [ETH]: '3000' }))).toEqual([]);
    // Both fall: cross balance 1000 − 900 − 90 = 10 against MM 51,000 × 0.5 % − 50 = 205 and 2,910 × 0.5 % = 14.55.
    const due = dueForLiquidation(assess(ledger, { [BTC]: '51000', [ETH]: '2910' }));
    expect(due.map((r) => r.symbol)).toEqual([BTC]);
  });

  it('leverage: raising is bounded by the bracket and by liquidation (isolated); lowering needs margin', () => {
    const after = (ledger: Ledger, available: string) => ({ risk: assess(ledger, { [BTC]: '60000' }), available: d(available) });
    // 2 BTC: notional 120,000 is bracket 2 (75x at most).
    const big = books('20000', [{ symbol: BTC, side: 'buy', quantity: '2', price: '60000', leverage: 10 }]);
    expect(leverageChangeProblem(BTC, 10, 75, after(big, '100'))).toBeNull();
    expect(leverageChangeProblem(BTC, 10, 80, after(big, '100'))).toMatchObject({ kind: 'above_bracket', maxLeverage: 75 });
    expect(leverageChangeProblem(BTC, 10, 5, after(big, '-1'))).toMatchObject({ kind: 'insufficient_margin' });
    expect(leverageChangeProblem(BTC, 10, 5, after(big, '0'))).toBeNull();
    // Isolated, 0.1 BTC down at 57,300: at 100x the margin set aside (60) is below the PnL lost (270).
    const iso = books('1000', [{ symbol: BTC, side: 'buy', quantity: '0.1', price: '60000', leverage: 100, isolated: true }]);
    const down = { risk: assessAccount(iso, () => d('57300'), (s) => TERMS[s]), available: d('500') };
    expect(leverageChangeProblem(BTC, 20, 100, down)).toMatchObject({ kind: 'would_liquidate' });
    // A flat symbol takes any leverage.
    expect(leverageChangeProblem(ETH, 10, 50, after(big, '-5'))).toBeNull();
  });
});

describe('the position limit of a leverage', () => {
  it('allows a notional up to the cap of the last bracket that takes the leverage, and names the bracket it would fall in beyond', () => {
    expect(bracketLimitProblem(BTC_TIERS, 100, d('50000'))).toBeNull();
    const over = bracketLimitProblem(BTC_TIERS, 100, d('50000.01'))!;
    expect(over.maxNotional.eq(d('50000'))).toBe(true);
    expect(over.bracket.maxLeverage).toBe(75);
    expect(over.bracket.floor.eq(d('50000'))).toBe(true);
    // 76x is above bracket 2's 75x: only bracket 1 takes it.
    expect(bracketLimitProblem(BTC_TIERS, 76, d('60000'))!.maxNotional.eq(d('50000'))).toBe(true);
    expect(bracketLimitProblem(BTC_TIERS, 75, d('250000'))).toBeNull();
    expect(bracketLimitProblem(BTC_TIERS, 75, d('250001'))!.bracket.maxLeverage).toBe(50);
  });

  it('caps every leverage at the last bracket, and takes nothing at a leverage no bracket allows', () => {
    expect(bracketLimitProblem(BTC_TIERS, 1, d('1000000'))).toBeNull();
    const beyond = bracketLimitProblem(BTC_TIERS, 1, d('1000000.1'))!;
    expect(beyond.maxNotional.eq(d('1000000'))).toBe(true);
    expect(beyond.bracket.maxLeverage).toBe(50);
    expect(bracketLimitProblem(BTC_TIERS, 125, d('10'))!.maxNotional.isZero()).toBe(true);
  });

  it('says which bracket, what leverage it allows and the largest notional at the current leverage', () => {
    const text = bracketLimitText(BTC, bracketLimitProblem(BTC_TIERS, 100, d('60000'))!, 'USDT');
    expect(text).toContain('60000.00 USDT notional');
    expect(text).toContain('50000–250000 USDT');
    expect(text).toContain('at most 75x');
    expect(text).toContain('at 100x the position may be at most 50000.00 USDT');
  });
});

describe('the margin ratio from what a venue states', () => {
  it('is the maintenance margin over the margin balance at the mark, worked back from the liquidation price', () => {
    // Long 0.01 at 60,000 on 100 USDT at 0.4 %: liquidated at (600 − 100) / (0.01 × 0.996).
    const q = d('0.01');
    const liquidation = d('500').div(d('0.00996'));
    // At 58,000: 0.01 × 58,000 × 0.004 / (100 + 0.01 × (58,000 − 60,000)) = 2.32 / 80.
    near(marginRatioFromLiquidation(q, d('58000'), liquidation, d('0.004')), '0.029');
    near(marginRatioFromLiquidation(q, liquidation, liquidation, d('0.004')), '1');
    // Past it, capped.
    expect(marginRatioFromLiquidation(q, d('40000'), liquidation, d('0.004')).eq(d('10'))).toBe(true);
  });

  it('works for a short the other way round', () => {
    // Short 0.01 at 60,000 on 100 USDT at 0.5 %: liquidated where 100 − 0.01 × (P − 60,000) = 0.01 × P × 0.005.
    const q = d('-0.01');
    const liquidation = d('700').div(d('0.01005'));
    // At 61,000: 0.01 × 61,000 × 0.005 / (100 − 10) = 3.05 / 90.
    near(marginRatioFromLiquidation(q, d('61000'), liquidation, d('0.005')), d('3.05').div(d('90')).toString());
    near(marginRatioFromLiquidation(q, liquidation, liquidation, d('0.005')), '1');
  });
});
