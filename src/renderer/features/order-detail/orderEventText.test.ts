import { describe, expect, it } from 'vitest';
import type { Fill, Instrument, OrderEvent } from '../../../shared/domain';
import { buildTimeline, describeEdge, describeOrderEvent, fmtElapsed, orderFills, plainReason, totalFees, totalQuantity } from './orderEventText';

const inst = { venue: 'paper', symbol: 'BTC/USDT:USDT', tickSize: '0.1', lotSize: '0.001' } as Instrument;
const ctx = { venue: 'paper', instrument: inst };

let seq = 0;
function ev(type: OrderEvent['type'], status: OrderEvent['status'], detail: OrderEvent['detail'] = {}, extra: Partial<OrderEvent> = {}): OrderEvent {
  seq += 1;
  return { id: seq, orderId: 'o-1', timestamp: 1_000 + seq, type, outcome: 'applied', status, detail, ...extra };
}

const headline = (e: OrderEvent) => describeOrderEvent(e, ctx).headline;

describe('order event sentences', () => {
  it('says what happened to a working order in a trader’s words', () => {
    expect(headline(ev('OrderSubmitted', 'pending_new'))).toBe('Submitted to paper');
    expect(headline(ev('OrderAccepted', 'open', { venueOrderId: 'paper-o-7' }))).toBe('Accepted by paper');
    expect(headline(ev('OrderTriggered', 'open'))).toBe('Stop triggered');
    expect(headline(ev('OrderCancelRequested', 'pending_cancel'))).toBe('Cancel requested');
    expect(headline(ev('OrderCanceled', 'canceled', { reason: 'canceled by request' }))).toBe('Canceled by paper');
    expect(headline(ev('OrderCanceled', 'canceled', { reason: 'reduce-only: the position it reduced was closed' }))).toBe(
      'Canceled by paper: reduce-only: the position it reduced was closed',
    );
    expect(headline(ev('OrderExpired', 'expired', { reason: 'immediate-or-cancel remainder' }))).toBe('Expired: immediate-or-cancel remainder');
    expect(headline(ev('OrderRejected', 'rejected', { reason: 'insufficient margin' }))).toBe('Rejected by paper: insufficient margin');
    expect(headline(ev('OrderCancelRejected', 'open', { reason: 'unknown order', edge: 'cancel_refused' }))).toBe(
      'Cancel refused by paper: unknown order',
    );
  });

  it('writes a fill with lot and tick precision, grouped price, liquidity and fee, and names its trade', () => {
    const fill = ev('OrderFilled', 'partially_filled', { tradeId: 'paper-t-3', quantity: '0.004', price: '59000', fee: '0.0472', liquidity: 'maker' });
    const text = describeOrderEvent(fill, ctx);
    expect(text.headline).toBe('Filled 0.004 @ 59,000.0 (maker, fee 0.0472)');
    expect(text.facts).toEqual(['trade paper-t-3']);
    // Without the instrument the values are shown as they are.
    expect(describeOrderEvent(fill, { venue: 'paper' }).headline).toBe('Filled 0.004 @ 59,000 (maker, fee 0.0472)');
  });

  it('names the venue’s order id on an acknowledgement', () => {
    expect(describeOrderEvent(ev('OrderAccepted', 'open', { venueOrderId: 'paper-o-7' }), ctx).facts).toEqual(['venue order id paper-o-7']);
  });

  it('marks ignored events as late or repeated, and keeps Keel’s reason without its preamble', () => {
    const late = ev(
      'OrderCanceled',
      'filled',
      { reason: 'OrderCanceled for a filled order: the whole quantity traded; canceling the empty remainder changes nothing' },
      { outcome: 'ignored' },
    );
    const text = describeOrderEvent(late, ctx);
    expect(text.headline).toBe('Late cancel confirmation ignored: the order had already filled');
    expect(text.reason).toBe('the whole quantity traded; canceling the empty remainder changes nothing');

    expect(headline(ev('OrderCanceled', 'canceled', { reason: 'OrderCanceled for a canceled order: a repeated cancel confirmation' }, { outcome: 'ignored' }))).toBe(
      'Repeated cancel confirmation ignored',
    );
    expect(headline(ev('OrderAccepted', 'canceled', {}, { outcome: 'ignored' }))).toBe('Late acknowledgement ignored: the order had already been canceled');
    expect(headline(ev('OrderAccepted', 'partially_filled', {}, { outcome: 'ignored' }))).toBe('Acknowledgement ignored');
    expect(headline(ev('OrderCancelRejected', 'open', {}, { outcome: 'ignored' }))).toBe('Cancel refusal ignored: no cancel request was waiting');
    expect(headline(ev('OrderStatusReported', 'filled', { reported: 'canceled' }, { outcome: 'ignored' }))).toBe(
      'Late report of canceled ignored: the order had already filled',
    );
  });

  it('flags anomalies as not applied, with the reason to look', () => {
    const text = describeOrderEvent(
      ev('OrderStatusReported', 'filled', { reported: 'open', reason: 'a report of open for a filled order: Keel has the order filled, the venue reports it still working; look on the venue' }, { outcome: 'anomaly' }),
      ctx,
    );
    expect(text.headline).toBe('Report of open from paper not applied: it contradicts what Keel knows');
    expect(text.reason).toBe('Keel has the order filled, the venue reports it still working; look on the venue');
    expect(headline(ev('OrderCancelRequested', 'filled', {}, { outcome: 'anomaly' }))).toBe('Cancel request not applied: it contradicts what Keel knows');
  });

  it('reads a venue report and says why Keel asked', () => {
    const text = describeOrderEvent(ev('OrderStatusReported', 'rejected', { reported: 'no record', reason: 'submit failed: timeout', edge: 'never_received' }), ctx);
    expect(text.headline).toBe('paper has no record of the order');
    expect(text.reason).toBe('Asked because: submit failed: timeout');
    expect(text.edge?.label).toBe('Never received');
    expect(headline(ev('OrderStatusReported', 'partially_filled', { reported: 'partially_filled', edge: 'cancel_lost' }))).toBe(
      'paper reports the order partially filled',
    );
  });

  it('explains every race in plain words, and an unknown one by its name', () => {
    for (const edge of [
      'fill_during_cancel',
      'late_fill',
      'reopened',
      'cancel_refused',
      'cancel_lost',
      'canceled_unrequested',
      'rejected_after_accept',
      'never_received',
    ]) {
      const text = describeEdge(edge);
      expect(text?.label).not.toContain('_');
      expect(text?.explanation.length).toBeGreaterThan(30);
    }
    expect(describeEdge('venue_glitch')).toEqual({ label: 'venue glitch', explanation: 'The venue and Keel raced (venue glitch).' });
    expect(describeEdge(undefined)).toBeNull();
    const late = describeOrderEvent(ev('OrderFilled', 'canceled', { tradeId: 't', quantity: '1', price: '2', edge: 'late_fill' }), ctx);
    expect(late.edge?.label).toBe('Late fill');
  });

  it('keeps a reason that does not restate the event whole', () => {
    expect(plainReason('something odd happened')).toBe('something odd happened');
    expect(plainReason('OrderAccepted for an open order: a repeated acknowledgement')).toBe('a repeated acknowledgement');
  });
});

describe('timeline', () => {
  it('measures time from the first event and marks the events that changed the status', () => {
    const events = [
      ev('OrderSubmitted', 'pending_new', {}, { timestamp: 5_000 }),
      ev('OrderAccepted', 'open', {}, { timestamp: 5_004 }),
      ev('OrderAccepted', 'open', {}, { timestamp: 5_010, outcome: 'ignored' }),
      ev('OrderCancelRequested', 'pending_cancel', {}, { timestamp: 7_500 }),
    ];
    const rows = buildTimeline(events, ctx);
    expect(rows.map((r) => r.elapsedMs)).toEqual([0, 4, 10, 2_500]);
    expect(rows.map((r) => r.statusChanged)).toEqual([true, true, false, true]);
    expect(buildTimeline([], ctx)).toEqual([]);
  });

  it('writes elapsed time at a useful precision', () => {
    expect(fmtElapsed(0)).toBe('+0 ms');
    expect(fmtElapsed(12)).toBe('+12 ms');
    expect(fmtElapsed(1_250)).toBe('+1.250 s');
    expect(fmtElapsed(125_000)).toBe('+2 min 05 s');
    expect(fmtElapsed(3 * 3_600_000 + 4 * 60_000)).toBe('+3 h 04 min');
    expect(fmtElapsed(26 * 3_600_000)).toBe('+1 d 2 h');
  });
});

describe('order fills', () => {
  const known: Fill = {
    tradeId: 't-2',
    orderId: 'o-1',
    clientOrderId: 'c-1',
    venue: 'paper',
    symbol: 'BTC/USDT:USDT',
    side: 'buy',
    quantity: '0.006',
    price: '59001',
    fee: '0.07',
    feeCurrency: 'USDT',
    liquidity: 'taker',
    realizedPnl: '0',
    timestamp: 2_000,
  };

  it('lists the fills from the history, enriched by the fills the workstation holds, oldest first', () => {
    const events = [
      ev('OrderFilled', 'partially_filled', { tradeId: 't-1', quantity: '0.004', price: '59000', fee: '0.0472', liquidity: 'maker' }, { timestamp: 1_500 }),
      ev('OrderFilled', 'filled', { tradeId: 't-2', quantity: '0.006', price: '59001', fee: '0.07', liquidity: 'taker' }, { timestamp: 2_000 }),
      ev('OrderAccepted', 'filled', {}, { outcome: 'ignored' }),
    ];
    const rows = orderFills('o-1', events, [known, { ...known, tradeId: 'other', orderId: 'o-2' }]);
    expect(rows.map((r) => r.tradeId)).toEqual(['t-1', 't-2']);
    expect(rows[0]).toMatchObject({ feeCurrency: null, realizedPnl: null, liquidity: 'maker' });
    expect(rows[1]).toMatchObject({ feeCurrency: 'USDT', realizedPnl: '0' });
    expect(totalFees(rows)).toBe('0.1172');
    expect(totalQuantity(rows)).toBe('0.01');
    expect(totalFees([])).toBeNull();
  });
});
