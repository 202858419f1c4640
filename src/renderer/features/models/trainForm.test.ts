import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAIN_FORM, buildTrainRequest, checkTrainForm, type TrainFormText } from './trainForm';

const form = (patch: Partial<TrainFormText>): TrainFormText => ({ ...DEFAULT_TRAIN_FORM, name: 'btc', ...patch });

describe('checkTrainForm', () => {
  it('turns a boosted-trees form into the request, the threshold from percent to a fraction', () => {
    const r = checkTrainForm(form({ rounds: '10', gbdtDepth: '3', learningRate: '0.05', thresholdPct: '0.1' }));
    expect(r).toEqual({
      ok: true,
      value: { name: 'btc', algorithm: 'gbdt', target: { kind: 'direction', horizon: 5, threshold: 0.001 }, params: { rounds: 10, maxDepth: 3, learningRate: 0.05 } },
    });
  });

  it('sends a forest its own parameters, a return target no threshold, and the maximum age in ms', () => {
    const r = checkTrainForm(form({ algorithm: 'random-forest', trees: '50', forestDepth: '8', targetKind: 'return', thresholdPct: 'ignored', maxAge: '1.5', maxAgeUnit: 'days' }));
    expect(r).toEqual({ ok: true, value: { name: 'btc', algorithm: 'random-forest', target: { kind: 'return', horizon: 5 }, params: { trees: 50, maxDepth: 8 }, maxAgeMs: 129_600_000 } });
  });

  it('names each refused field', () => {
    const r = checkTrainForm(form({ name: '  ', horizon: '2.5', thresholdPct: '-1', rounds: '0', gbdtDepth: 'x', learningRate: '1.5', maxAge: '0' }));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(Object.keys(r.errors).sort()).toEqual(['gbdtDepth', 'horizon', 'learningRate', 'maxAge', 'name', 'rounds', 'thresholdPct']);
    expect(r.errors.horizon).toBe('Horizon must be a whole number, 1 or more');
  });

  it('checks only the chosen algorithm’s fields', () => {
    expect(checkTrainForm(form({ algorithm: 'random-forest', rounds: 'nonsense' })).ok).toBe(true);
    expect(checkTrainForm(form({ algorithm: 'gbdt', trees: 'nonsense' })).ok).toBe(true);
  });
});

describe('buildTrainRequest', () => {
  it('passes the contract’s schema, and reports what the schema refuses', () => {
    const ok = checkTrainForm(form({}));
    if (!ok.ok) throw new Error('form');
    expect(buildTrainRequest(ok.value, { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m' })).toMatchObject({ ok: true, request: { data: { venue: 'paper' } } });
    const refused = buildTrainRequest(ok.value, { venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1m', from: -5 });
    expect(refused).toMatchObject({ ok: false });
  });

  it('sends the date range as the request\'s own from and to, for a dataset as for a venue', () => {
    const ok = checkTrainForm(form({}));
    if (!ok.ok) throw new Error('form');
    const built = buildTrainRequest(ok.value, { dataset: 'd-1' }, { from: 1_700_000_000_000, to: 1_700_086_400_000 });
    expect(built).toMatchObject({ ok: true, request: { data: { dataset: 'd-1' }, from: 1_700_000_000_000, to: 1_700_086_400_000 } });
    const open = buildTrainRequest(ok.value, { dataset: 'd-1' }, { to: 1_700_086_400_000 });
    expect(open.ok && 'from' in open.request).toBe(false);
    expect(buildTrainRequest(ok.value, { dataset: 'd-1' }, { from: -1 })).toMatchObject({ ok: false, error: expect.stringMatching(/^from:/) });
  });
});
