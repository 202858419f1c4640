import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import { BTC_PERP, BTC_TICKER } from '../../../../tests/support/fixtures';
import { DEFAULT_TICKET, type TicketDraft } from '../../stores/ui';
import { convertAmount, placeBlock, quantityForMarginShare, quantityForValue, resolveSize, sizedDraft, type SizingContext } from './sizing';

const d = Dec.parse;

const ctx: SizingContext = {
  inst: BTC_PERP,
  price: d('60000'),
  leverage: 10,
  available: d('10000'),
  feeRate: d('0.0005'),
};

describe('sizing by value', () => {
  it('buys the quantity the value pays for, floored to the lot', () => {
    expect(quantityForValue(d('500'), d('60000'), d('0.001')).toString()).toBe('0.008');
    expect(quantityForValue(d('600'), d('60000'), d('0.001')).toString()).toBe('0.01');
    expect(resolveSize('quote', '1,000', ctx)).toMatchObject({ ok: true, text: '0.016' });
  });

  it('says when the value buys less than the minimum, and when there is no price to value at', () => {
    expect(resolveSize('quote', '10', ctx)).toEqual({ ok: false, error: '10.00 USDT buys less than the minimum of 0.001 BTC at this price.' });
    expect(resolveSize('quote', '500', { ...ctx, price: null })).toEqual({
      ok: false,
      error: 'Enter a price first: the value is turned into BTC at it.',
    });
  });

  it('reads the amount as strictly as a quantity, and an empty field is not an error yet', () => {
    expect(resolveSize('quote', '', ctx)).toEqual({ ok: false, error: null });
    expect(resolveSize('quote', '0', ctx)).toEqual({ ok: false, error: 'Order value must be greater than zero.' });
    expect(resolveSize('quote', '-5', ctx)).toEqual({ ok: false, error: 'Order value must be positive (no minus sign).' });
    expect(resolveSize('quote', 'lots', ctx)).toEqual({ ok: false, error: 'Order value must be a number such as 500.' });
  });
});

describe('sizing by a share of the available margin', () => {
  it('spends the share on initial margin and fee together', () => {
    // 25% of 10,000 = 2,500; each BTC costs 60,000 × (1/10 + 0.0005) = 6,030; 2,500 / 6,030 = 0.4145… → 0.414.
    expect(quantityForMarginShare(d('25'), d('10000'), d('60000'), 10, d('0.0005'), d('0.001')).toString()).toBe('0.414');
    const all = resolveSize('margin', '100', ctx);
    expect(all).toMatchObject({ ok: true, text: '1.658' });
    if (all.ok) {
      const cost = all.quantity.mul(d('60000')).mul(d('0.1005'));
      expect(cost.lte(d('10000'))).toBe(true);
      // One lot more would not fit.
      expect(all.quantity.add(d('0.001')).mul(d('60000')).mul(d('0.1005')).gt(d('10000'))).toBe(true);
    }
  });

  it('accepts a trailing % and refuses more than 100%', () => {
    expect(resolveSize('margin', '50%', ctx)).toMatchObject({ ok: true, text: '0.829' });
    expect(resolveSize('margin', '150', ctx)).toEqual({ ok: false, error: 'Share of margin cannot be more than 100%.' });
  });

  it('needs margin to size from', () => {
    expect(resolveSize('margin', '10', { ...ctx, available: d('0') })).toEqual({ ok: false, error: 'No margin is available to size from.' });
    expect(resolveSize('margin', '10', { ...ctx, available: null })).toEqual({ ok: false, error: 'No margin is available to size from.' });
    expect(resolveSize('margin', '0.001', ctx)).toEqual({
      ok: false,
      error: '0.001% of the available margin buys less than the minimum of 0.001 BTC at this price.',
    });
  });
});

describe('switching the sizing mode', () => {
  it('keeps the order the trader typed, expressed the new way', () => {
    expect(convertAmount(d('0.01'), 'quote', ctx)).toBe('600.00');
    expect(convertAmount(d('0.414'), 'margin', ctx)).toBe('25');
    expect(convertAmount(d('0.008'), 'base', ctx)).toBe('0.008');
  });

  it('leaves the field empty when it cannot be worked out', () => {
    expect(convertAmount(null, 'quote', ctx)).toBe('');
    expect(convertAmount(d('0.01'), 'quote', { ...ctx, price: null })).toBe('');
    expect(convertAmount(d('0.01'), 'margin', { ...ctx, available: null })).toBe('');
  });
});

describe('what stops the ticket, as written under Place', () => {
  const ticker = BTC_TICKER;
  const figures = { leverage: 10, available: '10000' };
  const block = (patch: Partial<TicketDraft>) => placeBlock(sizedDraft({ ...DEFAULT_TICKET, ...patch }, BTC_PERP, ticker, figures), BTC_PERP, ticker);

  it('asks for what is missing, in the unit the trader sizes in', () => {
    expect(block({})).toBe('Enter a quantity.');
    expect(block({ sizeMode: 'quote' })).toBe('Enter an order value.');
    expect(block({ sizeMode: 'margin' })).toBe('Enter a share of the available margin.');
    expect(block({ quantity: '0.01' })).toBe('Enter a limit price.');
    expect(placeBlock(sizedDraft(DEFAULT_TICKET, undefined, ticker, figures), undefined, ticker)).toBe('Choose a symbol.');
  });

  it('says what is wrong with a field, and nothing once the ticket can be sent', () => {
    expect(block({ quantity: '-1', price: '60000' })).toBe('Quantity must be positive (no minus sign).');
    expect(block({ sizeMode: 'quote', sizeAmount: '1', price: '60000' })).toBe('1.00 USDT buys less than the minimum of 0.001 BTC at this price.');
    expect(block({ quantity: '0.01', price: '60000' })).toBeNull();
    expect(block({ type: 'market', sizeMode: 'margin', sizeAmount: '10' })).toBeNull();
  });

  it('sends the quantity a value resolves to', () => {
    const sized = sizedDraft({ ...DEFAULT_TICKET, type: 'market', sizeMode: 'quote', sizeAmount: '600' }, BTC_PERP, ticker, figures);
    // A market buy is valued at the ask: 600 / 60,000.5 = 0.0099999… → 0.009, never rounded up to 0.010.
    expect(sized.draft.quantity).toBe('0.009');
    expect(sized.quantity?.toString()).toBe('0.009');
  });
});
