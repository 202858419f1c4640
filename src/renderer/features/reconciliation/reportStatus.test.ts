import { describe, expect, it } from 'vitest';
import { reconciliationItem as item, reconciliationReport as report } from '../../../../tests/support/fixtures';
import { balanceCurrency, partitionItems, reportStatus, triggerLabel } from './reportStatus';

const matched = item('m', { kind: 'matched', subject: 'balance', symbol: null, blocking: false, actions: [] });

describe('reportStatus', () => {
  it('says when a venue was never reconciled', () => {
    expect(reportStatus(null)).toEqual({ tone: 'none', headline: 'Not reconciled yet', detail: null });
  });

  it('calls a report with nothing but matches clean', () => {
    expect(reportStatus(report('r', [matched])).headline).toBe('Clean');
    expect(reportStatus(report('r', [matched])).tone).toBe('clean');
  });

  it('counts the differences left to resolve, one and many', () => {
    const resolved = item('c', { blocking: false, resolution: { action: 'adopt', note: null, at: 1 } });
    expect(reportStatus(report('r', [item('a'), resolved, matched], { ok: false })).headline).toBe('1 difference to resolve');
    expect(reportStatus(report('r', [item('a'), item('b')], { ok: false }))).toMatchObject({ tone: 'blocked', headline: '2 differences to resolve' });
  });

  it('gives the reason of a venue that could not be reconciled, without repeating the headline', () => {
    const failed = report('r', [], { ok: false, reason: 'could not reconcile: binance did not answer in 10 s' });
    expect(reportStatus(failed)).toEqual({ tone: 'failed', headline: 'Could not reconcile', detail: 'binance did not answer in 10 s' });
  });

  it('keeps a venue open with a difference to review when nothing blocks', () => {
    const drift = item('d', { kind: 'balance_drift', subject: 'balance', blocking: false, actions: ['accept'] });
    expect(reportStatus(report('r', [drift, matched]))).toMatchObject({ tone: 'review', headline: 'Open for trading · 1 difference to review' });
  });
});

describe('partitionItems', () => {
  it('puts the differences first, most urgent first, and the matches apart', () => {
    const drift = item('d', { kind: 'balance_drift', blocking: false });
    const { differences, matched: same } = partitionItems([matched, drift, item('a')]);
    expect(differences.map((i) => i.id)).toEqual(['a', 'd']);
    expect(same.map((i) => i.id)).toEqual(['m']);
  });
});

describe('balanceCurrency', () => {
  it('names the one compared balance, and nothing when none was compared', () => {
    expect(balanceCurrency(report('r'))).toBe('USDT');
    expect(balanceCurrency(report('r', [], { balances: [] }))).toBeNull();
  });
});

describe('triggerLabel', () => {
  it('words what started a report, and shows a trigger it does not know as it is', () => {
    expect(triggerLabel('startup')).toBe('Start-up');
    expect(triggerLabel('manual')).toBe('On demand');
    expect(triggerLabel('reconnect')).toBe('Reconnect');
    expect(triggerLabel('audit' as never)).toBe('audit');
  });
});
