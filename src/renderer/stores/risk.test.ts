import { describe, expect, it } from 'vitest';
import type { Activity } from '../../shared/domain';
import { DEFAULT_SETTINGS, type EmergencyReport, type OrderDenied, type RiskUsage } from '../../shared/risk';
import type { KeelEvent } from '../api/client';
import { appendDenials, foldReport, MAX_DENIALS } from './risk';
import { activityWithDenials, selectActivityView, selectActivityWarnings } from './selectors';
import { createKeelStore, reduceEvents } from './store';

function usage(venue: string, equity: string, updatedAt: number): RiskUsage {
  return { venue, equity, dayStartEquity: '1000', dayStartedAt: 0, highWaterMark: '1100', entries: [], updatedAt };
}

function report(id: string, patch: Partial<EmergencyReport> = {}): EmergencyReport {
  return {
    id,
    trigger: 'hotkey',
    flatten: false,
    startedAt: 100,
    haltedAt: 101,
    cancelsConfirmedAt: 150,
    flatAt: null,
    finishedAt: 160,
    ordersCanceled: 3,
    positionsClosed: 0,
    unconfirmed: [],
    complete: true,
    ...patch,
  };
}

function denial(patch: Partial<OrderDenied> = {}): OrderDenied {
  return {
    venue: 'paper',
    symbol: 'BTC/USDT:USDT',
    side: 'buy',
    type: 'limit',
    quantity: '5',
    price: '100',
    source: 'manual',
    sourceId: null,
    check: 'order-limits',
    code: 'RISK_REJECTED',
    limit: 'maxOrderNotional',
    message: 'Order notional 500 USDT exceeds max order notional 100 USDT',
    timestamp: 10_000,
    ...patch,
  };
}

function activity(id: number, message: string, timestamp: number): Activity {
  return { id, timestamp, level: 'warning', category: 'risk', message };
}

const apply = (events: KeelEvent[]) => {
  const store = createKeelStore();
  store.getState().applyEvents(events, []);
  return store;
};

describe('risk events', () => {
  it('takes the newest trading state and ignores one older than what it holds', () => {
    const store = apply([
      { topic: 'risk.state', data: { state: 'HALTED', reason: 'Daily loss 3.2% > 3%', since: 200 } },
      { topic: 'risk.state', data: { state: 'REDUCING', reason: 'late copy', since: 100 } },
    ]);
    expect(store.getState().riskState).toEqual({ state: 'HALTED', reason: 'Daily loss 3.2% > 3%', since: 200 });
    store.getState().setRiskStatus({ state: 'ACTIVE', reason: null, since: 150, usage: [], history: [] });
    expect(store.getState().riskState?.state).toBe('HALTED');
    store.getState().applyEvents([{ topic: 'risk.state', data: { state: 'ACTIVE', reason: null, since: 300 } }], []);
    expect(store.getState().riskState?.state).toBe('ACTIVE');
  });

  it('keeps the latest usage per venue and drops a stale one', () => {
    const store = apply([
      { topic: 'risk.usage', data: usage('paper', '990', 20) },
      { topic: 'risk.usage', data: usage('paper', '980', 10) },
      { topic: 'risk.usage', data: usage('binance', '50', 5) },
    ]);
    expect(store.getState().riskUsage.paper?.equity).toBe('990');
    expect(store.getState().riskUsage.binance?.equity).toBe('50');
  });

  it('records hotkey status and settings as the host announces them', () => {
    const store = apply([
      { topic: 'hotkey.status', data: { accelerator: 'Alt+F9', registered: false, scope: 'global', reason: 'held by another app' } },
      { topic: 'settings.updated', data: { ...DEFAULT_SETTINGS, emergencyHotkey: 'Alt+F9', emergencyFlattenByDefault: true } },
    ]);
    expect(store.getState().hotkey?.reason).toBe('held by another app');
    expect(store.getState().settings?.emergencyFlattenByDefault).toBe(true);
  });

  it('changes nothing for a frame without risk events', () => {
    const store = createKeelStore();
    const patch = reduceEvents(store.getState(), [{ topic: 'system.health', data: { venues: [], eventLoopLagMs: 1 } }], []);
    expect(Object.keys(patch).sort()).toEqual(['eventLoopLagMs', 'venues']);
  });
});

describe('emergency reports', () => {
  it('pops up a report from the event, once: the same stop does not reappear after dismissal', () => {
    const store = apply([{ topic: 'emergency.report', data: report('r1') }]);
    expect(store.getState().lastReport?.id).toBe('r1');
    expect(store.getState().reportDismissed).toBe(false);
    store.getState().dismissReport();
    store.getState().applyEvents([{ topic: 'emergency.report', data: report('r1') }], []);
    expect(store.getState().reportDismissed).toBe(true);
    store.getState().applyEvents([{ topic: 'emergency.report', data: report('r2', { startedAt: 500, finishedAt: 600 }) }], []);
    expect(store.getState().lastReport?.id).toBe('r2');
    expect(store.getState().reportDismissed).toBe(false);
  });

  it('always shows the answer to our own stop, and never lets an older report replace a newer one', () => {
    let view = foldReport({ lastReport: report('r2', { startedAt: 500 }), reportDismissed: true }, report('r2', { startedAt: 500 }), true);
    expect(view.reportDismissed).toBe(false);
    view = foldReport(view, report('r1', { startedAt: 100 }), false);
    expect(view.lastReport?.id).toBe('r2');
  });

  it('remembers the last report at start-up without popping it up', () => {
    const store = createKeelStore();
    store.getState().rememberReport(report('r0'));
    expect(store.getState().lastReport?.id).toBe('r0');
    expect(store.getState().reportDismissed).toBe(true);
    store.getState().reopenReport();
    expect(store.getState().reportDismissed).toBe(false);
  });
});

describe('order denials', () => {
  it('keeps denials newest first with stable sequence numbers, capped', () => {
    let { denials, denialSeq } = appendDenials([], 0, [denial({ timestamp: 1 }), denial({ timestamp: 2 })]);
    expect(denials.map((d) => d.seq)).toEqual([2, 1]);
    ({ denials, denialSeq } = appendDenials(denials, denialSeq, Array.from({ length: MAX_DENIALS }, () => denial())));
    expect(denials).toHaveLength(MAX_DENIALS);
    expect(denials[0]?.seq).toBe(denialSeq);
  });

  it('shows a denial in the activity log only when the engine did not log it itself', () => {
    const store = apply([{ topic: 'orders.denied', data: denial() }]);
    let view = selectActivityView(store.getState());
    expect(view).toHaveLength(1);
    expect(view[0]?.id).toBeLessThan(0);
    expect(view[0]?.message).toContain('max order notional 100 USDT');
    expect(selectActivityWarnings(store.getState())).toBe(1);
    store
      .getState()
      .applyEvents([{ topic: 'activity.new', data: activity(7, `Order denied: ${denial().message}`, 10_050) }], []);
    view = selectActivityView(store.getState());
    expect(view.map((a) => a.id)).toEqual([7]);
  });

  it('does not match an activity entry far away in time', () => {
    const list = [activity(1, denial().message, 100_000)];
    expect(activityWithDenials(list, appendDenials([], 0, [denial()]).denials)).toHaveLength(2);
    expect(activityWithDenials(list, [])).toBe(list);
  });
});
