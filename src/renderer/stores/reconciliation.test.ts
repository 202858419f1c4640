import { describe, expect, it } from 'vitest';
import { reconciliationItem as item, reconciliationReport as report } from '../../../tests/support/fixtures';
import type { ReconciliationItem } from '../../shared/contract';
import { mergeReports, newerReport, reconciliationAttention, selectBlockingDifferences, unresolvedBlocking } from './reconciliation';
import { createKeelStore, reduceEvents } from './store';

const resolved = (id: string): ReconciliationItem => item(id, { blocking: false, resolution: { action: 'adopt', note: null, at: 5 } });
const matched = (id: string): ReconciliationItem => item(id, { kind: 'matched', subject: 'balance', blocking: false, actions: [] });

describe('newerReport', () => {
  it('keeps the copy of the same report with more resolutions, whichever arrives last', () => {
    const before = report('r1', [item('a'), item('b')], { ok: false });
    const after = report('r1', [resolved('a'), item('b')], { ok: false });
    expect(newerReport(before, after)).toBe(after);
    // The resolve answer landing after the event of a later resolution is stale.
    expect(newerReport(after, before)).toBe(after);
  });

  it('takes a later-started report over an earlier one, and the incoming copy on a tie', () => {
    const early = report('r1', [], { startedAt: 100 });
    const late = report('r2', [], { startedAt: 200 });
    expect(newerReport(early, late)).toBe(late);
    expect(newerReport(late, early)).toBe(late);
    const twin = report('r3', [], { startedAt: 200 });
    expect(newerReport(late, twin)).toBe(twin);
    expect(newerReport(undefined, early)).toBe(early);
  });
});

describe('mergeReports', () => {
  it('files each report under its venue and answers the same record when nothing changed', () => {
    const paper = report('r1');
    const current = { paper };
    expect(mergeReports(current, [report('r0', [], { startedAt: 1 })])).toBe(current);
    const next = mergeReports(current, [report('b1', [item('a')], { venue: 'binance', ok: false })]);
    expect(Object.keys(next).sort()).toEqual(['binance', 'paper']);
    expect(next.paper).toBe(paper);
  });
});

describe('reconciliationAttention', () => {
  it('counts unresolved blocking differences of the venues that run, and names venues that could not be reconciled', () => {
    const reports = {
      paper: report('p', [matched('m')]),
      binance: report('b', [item('a'), item('b'), resolved('c'), item('d', { kind: 'balance_drift', blocking: false })], { venue: 'binance', ok: false }),
      bybit: report('y', [], { venue: 'bybit', ok: false, reason: 'could not reconcile: timeout' }),
      gone: report('g', [item('z')], { venue: 'gone', ok: false }),
      okx: null,
    };
    const venues = ['paper', 'binance', 'bybit', 'okx'].map((venue) => ({ venue }));
    expect(reconciliationAttention(venues, reports)).toEqual({ blocking: 2, failed: ['bybit'] });
    expect(unresolvedBlocking(reports.binance)).toBe(2);
    expect(unresolvedBlocking(null)).toBe(0);
  });
});

describe('the reconciliation slice in the store', () => {
  it('takes reconciliation.updated events, and a late "never reconciled" answer does not erase a report', () => {
    const store = createKeelStore();
    const s = store.getState;
    s().setReconciliationError('binance', 'venue unavailable');
    const blocked = report('b1', [item('a')], { venue: 'binance', ok: false });
    s().applyEvents([{ topic: 'reconciliation.updated', data: blocked }], []);
    expect(s().reconciliations.binance).toBe(blocked);
    s().setReconciliation('binance', null);
    expect(s().reconciliations.binance).toBe(blocked);
    expect(s().reconciliationErrors).toEqual({});
    s().setReconciliation('paper', null);
    expect(s().reconciliations.paper).toBeNull();
  });

  it('counts the badge from the venues the engine runs', () => {
    const store = createKeelStore();
    const s = store.getState;
    s().applyReconciliations([report('b1', [item('a'), item('b')], { venue: 'binance', ok: false })]);
    expect(selectBlockingDifferences(s())).toBe(0);
    store.setState({ venues: [{ venue: 'binance', state: 'blocked', reason: null, paper: false }] });
    expect(selectBlockingDifferences(s())).toBe(2);
  });

  it('leaves the state alone when an event brings nothing newer', () => {
    const store = createKeelStore();
    const current = report('r2', [], { startedAt: 200 });
    store.getState().applyReconciliations([current]);
    expect(reduceEvents(store.getState(), [{ topic: 'reconciliation.updated', data: report('r1', [], { startedAt: 100 }) }], [])).toEqual({});
  });
});
