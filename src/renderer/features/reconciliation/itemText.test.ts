import { describe, expect, it } from 'vitest';
import { reconciliationItem as item } from '../../../../tests/support/fixtures';
import { RECONCILIATION_ACTIONS, RECONCILIATION_ITEM_KINDS } from '../../../shared/contract';
import { ACTION_LABEL, actionAriaLabel, actionConsequence, byUrgency, isDangerous, itemName, KIND_LABEL, resolutionLabel, severityOf } from './itemText';

describe('labels', () => {
  it('gives every kind and every action its own words', () => {
    expect(new Set(RECONCILIATION_ITEM_KINDS.map((k) => KIND_LABEL[k])).size).toBe(RECONCILIATION_ITEM_KINDS.length);
    expect(new Set(RECONCILIATION_ACTIONS.map((a) => ACTION_LABEL[a])).size).toBe(RECONCILIATION_ACTIONS.length);
    expect(KIND_LABEL.balance_drift).toBe('Balance drift');
    expect(resolutionLabel('accept')).toBe('Accepted venue figure');
    expect(resolutionLabel('adopt')).toBe('Adopted');
    expect(resolutionLabel('automatic')).toMatch(/later reconciliation/);
  });

  it('treats the actions that send something to the venue as dangerous', () => {
    expect(RECONCILIATION_ACTIONS.filter(isDangerous)).toEqual(['cancel', 'flatten']);
  });
});

describe('severityOf', () => {
  it('reads blocking, review, pending, matched and resolved apart', () => {
    expect(severityOf(item('a'))).toBe('block');
    expect(severityOf(item('a', { kind: 'balance_drift', blocking: false }))).toBe('warn');
    expect(severityOf(item('a', { kind: 'unknown_outcome', blocking: false }))).toBe('pending');
    expect(severityOf(item('a', { kind: 'matched', blocking: false }))).toBe('ok');
    expect(severityOf(item('a', { blocking: false, resolution: { action: 'cancel', note: null, at: 1 } }))).toBe('resolved');
  });

  it('sorts what blocks first and what matched last, keeping the report order within a severity', () => {
    const list = [
      item('m', { kind: 'matched', blocking: false }),
      item('r', { blocking: false, resolution: { action: 'adopt', note: null, at: 1 } }),
      item('d', { kind: 'balance_drift', blocking: false }),
      item('b1'),
      item('u', { kind: 'unknown_outcome', blocking: false }),
      item('b2'),
    ];
    expect([...list].sort(byUrgency).map((i) => i.id)).toEqual(['b1', 'b2', 'd', 'u', 'r', 'm']);
  });
});

describe('item names', () => {
  it('names orders by the id found on the exchange, positions by symbol, the balance by currency', () => {
    expect(itemName(item('1'))).toBe('order x-1 on BTC/USDT:USDT');
    expect(itemName(item('1', { clientOrderId: null }))).toBe('order o-1 on BTC/USDT:USDT');
    expect(itemName(item('1', { subject: 'position' }))).toBe('BTC/USDT:USDT position');
    expect(itemName(item('1', { subject: 'balance', symbol: null }), 'USDT')).toBe('USDT balance');
  });

  it('tells two rows buttons apart for assistive technology, starting with the visible label', () => {
    const a = actionAriaLabel('cancel', item('1'), 'binance');
    const b = actionAriaLabel('cancel', item('2'), 'binance');
    expect(a).toBe('Cancel on venue: order x-1 on BTC/USDT:USDT on binance');
    expect(a).not.toBe(b);
    expect(a.startsWith(ACTION_LABEL.cancel)).toBe(true);
  });
});

describe('actionConsequence', () => {
  it('says what each decision will do with the figures it concerns', () => {
    const position = item('p', { kind: 'quantity_mismatch', subject: 'position', keel: '0.003', venue: '0.002', actions: ['accept', 'flatten'] });
    expect(actionConsequence('accept', position, 'binance')).toBe(
      "Sets Keel's BTC/USDT:USDT position from 0.003 to binance's figure, 0.002. Nothing is sent to binance.",
    );
    expect(actionConsequence('flatten', position, 'binance')).toMatch(/^Closes the BTC\/USDT:USDT position of 0\.002 on binance with a reduce-only market order/);
    expect(actionConsequence('cancel', item('1'), 'binance')).toMatch(/cancel for order x-1 .* once binance confirms/);
    expect(actionConsequence('adopt', item('1'), 'binance')).toMatch(/external order\. Stopping a strategy never cancels it/);
  });
});
