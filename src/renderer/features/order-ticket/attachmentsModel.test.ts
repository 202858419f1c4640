import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import { BTC_PERP } from '../../../../tests/support/fixtures';
import { NO_ATTACHMENTS, type TicketAttachments } from '../../stores/ticketAttachments';
import { attachmentParams, takesBracket, takesOco } from './attachmentsModel';

const buyLimit = { type: 'limit' as const, side: 'buy' as const, reduceOnly: false };
const at = (patch: Partial<TicketAttachments>) => ({ ...NO_ATTACHMENTS, ...patch });
const entry = Dec.parse('60000');

describe('the ticket’s attachments', () => {
  it('attach nothing when left empty', () => {
    expect(attachmentParams(NO_ATTACHMENTS, buyLimit, entry, BTC_PERP)).toEqual({ ok: true, params: {} });
  });

  it('a take-profit and a stop-loss on the right sides of the entry, a trailing stop-loss', () => {
    expect(attachmentParams(at({ takeProfit: '61000', stopLoss: '59,500' }), buyLimit, entry, BTC_PERP)).toEqual({
      ok: true,
      params: { takeProfit: { triggerPrice: '61000' }, stopLoss: { triggerPrice: '59500' } },
    });
    expect(attachmentParams(at({ stopLossTrails: true, trail: '1.5', trailUnit: 'percent', stopLoss: '1' }), buyLimit, entry, BTC_PERP)).toEqual({
      ok: true,
      params: { stopLoss: { trailing: { percent: '1.5' } } },
    });
    expect(attachmentParams(at({ takeProfit: '59000' }), { ...buyLimit, side: 'sell' }, entry, BTC_PERP)).toMatchObject({ ok: true });
  });

  it('refuse a take-profit or stop-loss on the wrong side, off the tick, or a trail that cannot be', () => {
    expect(attachmentParams(at({ takeProfit: '59000' }), buyLimit, entry, BTC_PERP)).toEqual({ ok: false, field: 'takeProfit', error: 'The take-profit of a buy goes above its entry (60000).' });
    expect(attachmentParams(at({ stopLoss: '61000' }), buyLimit, entry, BTC_PERP)).toMatchObject({ ok: false, field: 'stopLoss', error: expect.stringMatching(/goes below its entry/) });
    expect(attachmentParams(at({ takeProfit: '61000.05' }), buyLimit, entry, BTC_PERP)).toMatchObject({ ok: false, field: 'takeProfit', error: expect.stringMatching(/tick size/) });
    expect(attachmentParams(at({ trail: '100', trailUnit: 'percent' }), { ...buyLimit, type: 'trailing_stop' }, null, BTC_PERP)).toMatchObject({ ok: false, field: 'trail', error: expect.stringMatching(/below 100/) });
    expect(attachmentParams(at({ trail: '' }), { ...buyLimit, type: 'trailing_stop' }, null, BTC_PERP)).toMatchObject({ ok: false, field: 'trail' });
  });

  it('a trailing stop’s trail by a distance on the tick, or a percentage', () => {
    expect(attachmentParams(at({ trail: '50', trailUnit: 'distance' }), { ...buyLimit, type: 'trailing_stop' }, null, BTC_PERP)).toEqual({ ok: true, params: { trailing: { distance: '50' } } });
    expect(attachmentParams(at({ trail: '0.5' }), { ...buyLimit, type: 'trailing_stop' }, null, BTC_PERP)).toEqual({ ok: true, params: { trailing: { percent: '0.5' } } });
  });

  it('an OCO leg for an order that waits, not with a bracket', () => {
    expect(attachmentParams(at({ oco: 'stop', ocoPrice: '58000' }), buyLimit, entry, BTC_PERP)).toEqual({ ok: true, params: { oco: { type: 'stop', stopPrice: '58000' } } });
    expect(attachmentParams(at({ oco: 'limit', ocoPrice: '' }), buyLimit, entry, BTC_PERP)).toEqual({ ok: false, field: 'ocoPrice', error: 'Enter the OCO leg’s price.' });
    expect(attachmentParams(at({ oco: 'stop', ocoPrice: '58000', takeProfit: '61000' }), buyLimit, entry, BTC_PERP)).toEqual({ ok: true, params: { takeProfit: { triggerPrice: '61000' } } });
    expect(takesOco('market')).toBe(false);
    expect(takesBracket('limit', true)).toBe(false);
    expect(takesBracket('trailing_stop', false)).toBe(false);
  });
});
