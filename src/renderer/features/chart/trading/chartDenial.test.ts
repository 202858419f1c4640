import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../../shared/errors';
import { typedDenialText } from '../../order-ticket/orderMessages';
import { chartDenialText } from './chartDenial';

const price = (text: string) => `<${text}>`;
const crossed = (data?: unknown) =>
  new KeelError(
    'WOULD_TRIGGER_IMMEDIATELY',
    'This sell stop would trigger immediately: its stop price 105 is at or above the last price 100 of BTC/USDT:USDT. A sell stop belongs below the last price; tick "Trigger now" to send it anyway.',
    data,
  );

describe('a refusal of an order or amend from the chart', () => {
  it('tells a dragged stop which side of the last price it belongs on, not to tick a box the chart has not, and keeps the code', () => {
    const text = chartDenialText(crossed({ field: 'stopPrice', stopPrice: '105', last: '100' }), { side: 'sell', type: 'stop' }, 'drag', price);
    expect(text).toBe('This sell stop would trigger at once: its stop price <105> is at or above the last price (<100>). Drag the stop below the last price. (WOULD_TRIGGER_IMMEDIATELY)');
    expect(text).not.toMatch(/Trigger now/);
  });

  it('turns the side round for a buy stop and for a take-profit', () => {
    const data = { stopPrice: '95', last: '100' };
    expect(chartDenialText(crossed(data), { side: 'buy', type: 'stop_limit' }, 'drag', price)).toContain('is at or below the last price (<100>). Drag the stop above the last price.');
    expect(chartDenialText(crossed(data), { side: 'sell', type: 'take_profit' }, 'drag', price)).toContain('sell take-profit would trigger at once: its stop price <95> is at or below the last price (<100>). Drag the take-profit above');
    expect(chartDenialText(crossed(data), { side: 'buy', type: 'take_profit' }, 'drag', price)).toContain('Drag the take-profit below the last price.');
  });

  it('asks for another price when the order came from the menu, and does without prices the error did not carry', () => {
    expect(chartDenialText(crossed(), { side: 'sell', type: 'stop' }, 'menu', price)).toBe(
      'This sell stop would trigger at once: its stop price is at or above the last price. Choose a price below the last price. (WOULD_TRIGGER_IMMEDIATELY)',
    );
  });

  it('leaves every other refusal as the ticket words it', () => {
    const band = new KeelError('RISK_REJECTED', 'Price is outside the price band.', { limit: 'priceBandPercent' });
    expect(chartDenialText(band, { side: 'buy', type: 'limit' }, 'drag', price)).toBe(typedDenialText(band));
    expect(chartDenialText(new Error('socket closed'), { side: 'buy', type: 'limit' }, 'menu', price)).toBe(typedDenialText(new Error('socket closed')));
  });
});
