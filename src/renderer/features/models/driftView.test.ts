import { describe, expect, it } from 'vitest';
import { fmtDateTime } from '../../lib/format';
import { modelRecord } from './fixtures/modelRecord';
import { driftBadge, fmtPsi, psiChart, retrainAction, rollbackAction, scheduleRequest, scheduleText, streamLabel } from './driftView';

const thresholds = { psiWatch: 0.1, psiDrift: 0.25 };

describe('driftBadge', () => {
  const drift = { hasReference: true, thresholds: { psiWatch: 0.1, psiDrift: 0.25, accuracyWindow: 200, minOutcomes: 100, psiWindow: 500, minPsiRows: 200, z: 2 } };

  it('reads "Too early" for an ok before any PSI or accuracy could be judged, saying when they will be', () => {
    expect(driftBadge('ok', [{ psiRows: 199, accuracySamples: 99 }], drift)).toEqual({
      label: 'Too early',
      help: 'Nothing judged yet: PSI is measured once 200 bars are scored, accuracy once 100 outcomes are known',
      className: 'mv-drift-early',
    });
    // Without a training reference PSI is never measured: only accuracy is waited for.
    expect(driftBadge('ok', [{ psiRows: 400, accuracySamples: 10 }], { ...drift, hasReference: false })).toMatchObject({ label: 'Too early', help: 'Nothing judged yet: accuracy once 100 outcomes are known' });
  });

  it('reads the status once a stream has been judged, by its PSI or by its accuracy', () => {
    expect(driftBadge('ok', [{ psiRows: 10, accuracySamples: 0 }, { psiRows: 200, accuracySamples: 0 }], drift)).toMatchObject({ label: 'OK', className: 'mv-drift-ok' });
    expect(driftBadge('ok', [{ psiRows: 0, accuracySamples: 100 }], { ...drift, hasReference: false })).toMatchObject({ label: 'OK' });
    expect(driftBadge('drifting', [{ psiRows: 0, accuracySamples: 0 }], drift)).toMatchObject({ label: 'Drifting', className: 'mv-drift-drifting' });
  });
});

describe('psiChart', () => {
  it('draws the largest PSI first on a 0.5 scale when all are small, with the lines at 20% and 50%', () => {
    const chart = psiChart(
      [
        { feature: 'a', psi: 0.05, status: 'stable' },
        { feature: 'b', psi: null, status: 'unknown' },
        { feature: 'c', psi: 0.2, status: 'watch' },
      ],
      thresholds,
    );
    expect(chart.scale).toBe(0.5);
    expect(chart.watchAt).toBeCloseTo(20, 12);
    expect(chart.driftAt).toBeCloseTo(50, 12);
    expect(chart.bars.map((b) => [b.feature, b.width, b.text])).toEqual([
      ['c', 40, '0.20'],
      ['a', 10, '0.05'],
      ['b', 0, '—'],
    ]);
  });

  it('grows the scale to the largest PSI in tenths, never past 1, and fills a bar beyond it', () => {
    expect(psiChart([{ feature: 'a', psi: 0.62, status: 'drifting' }], thresholds)).toMatchObject({ scale: 0.7, bars: [{ width: (0.62 / 0.7) * 100 }] });
    const wide = psiChart([{ feature: 'a', psi: 3.4, status: 'drifting' }, { feature: 'b', psi: 0.5, status: 'drifting' }], thresholds);
    expect(wide.scale).toBe(1);
    expect(wide.driftAt).toBe(25);
    expect(wide.bars.map((b) => [b.width, b.text])).toEqual([
      [100, '3.40'],
      [50, '0.50'],
    ]);
  });

  it('has nothing to scale without a known PSI', () => {
    expect(psiChart([{ feature: 'a', psi: null, status: 'unknown' }], thresholds)).toMatchObject({ scale: 0.5, bars: [{ width: 0, text: '—' }] });
    expect(fmtPsi(Number.NaN)).toBe('—');
  });
});

describe('retrainAction', () => {
  it('retrains a trained version that kept its data, and says on how much', () => {
    const model = modelRecord({ trainingParams: { data: { dataset: 'd1' } }, trainingWindow: { from: 0, to: 90 * 86_400_000 } });
    expect(retrainAction(model)).toEqual({ disabled: false, help: 'Trains v-next of btc with the same recipe on the latest 90 days of the same data; it becomes a candidate.' });
    expect(retrainAction(modelRecord({ trainingParams: { data: { dataset: 'd1' } }, trainingWindow: { from: 0, to: 5 * 3_600_000 } })).help).toMatch(/latest 5 hours/);
  });

  it('is not offered for an imported model, nor a version without its data', () => {
    expect(retrainAction(modelRecord({ algorithm: 'onnx', trainingWindow: null }))).toMatchObject({ disabled: true, help: expect.stringMatching(/imported/) });
    expect(retrainAction(modelRecord({ trainingParams: { rounds: 10 } }))).toMatchObject({ disabled: true, help: expect.stringMatching(/does not record the data/) });
  });
});

describe('rollbackAction', () => {
  const v1 = modelRecord({ id: 'v1', version: 1, status: 'retired' });
  const v2 = modelRecord({ id: 'v2', version: 2, status: 'retired' });
  const v3 = modelRecord({ id: 'v3', version: 3, status: 'active' });
  const other = modelRecord({ id: 'o4', name: 'eth', version: 4 });

  it('offers the version before the active one', () => {
    expect(rollbackAction(v3, [v1, v3, other, v2], 2_000_000)).toEqual({ target: v2, label: 'Roll back to v2', disabled: false, help: 'Makes v2 the active version again and retires v3.' });
  });

  it('is not offered on a version that is not active, nor on the first version', () => {
    expect(rollbackAction(v2, [v1, v2, v3], 2_000_000)).toBeNull();
    expect(rollbackAction(modelRecord({ id: 'v1', status: 'active' }), [v3], 2_000_000)).toBeNull();
  });

  it('cannot roll back to an expired version', () => {
    const old = modelRecord({ id: 'v2', version: 2, status: 'retired', maxAgeMs: 1_000 });
    expect(rollbackAction(v3, [old], 2_000_000)).toMatchObject({ disabled: true, help: expect.stringMatching(/older than its maximum age/) });
  });
});

describe('the retrain schedule', () => {
  it('is off, or a whole number of hours from 1 to a year', () => {
    expect(scheduleRequest(false, 'anything')).toEqual({ ok: true, everyHours: null });
    expect(scheduleRequest(true, ' 24 ')).toEqual({ ok: true, everyHours: 24 });
    expect(scheduleRequest(true, '1.5')).toEqual({ ok: false, error: 'Enter a whole number of hours.' });
    expect(scheduleRequest(true, '')).toMatchObject({ ok: false });
    expect(scheduleRequest(true, '0')).toEqual({ ok: false, error: 'From 1 to 8760 hours.' });
    expect(scheduleRequest(true, '8761')).toMatchObject({ ok: false });
  });

  it('reads when it runs next, when it ran and what went wrong', () => {
    expect(scheduleText(null)).toEqual({ summary: 'Not scheduled.', last: null, error: null });
    const schedule = { name: 'btc', everyHours: 6, nextRunAt: 7_200_000, lastRunAt: 3_600_000, lastJobId: 'j1', lastError: 'Skipped: a training of btc was already running.' };
    expect(scheduleText(schedule)).toEqual({ summary: `Every 6 h; next ${fmtDateTime(7_200_000)}.`, last: `Last run ${fmtDateTime(3_600_000)}.`, error: 'Skipped: a training of btc was already running.' });
  });
});

it('names a stream by symbol, timeframe and venue', () => {
  expect(streamLabel({ venue: 'paper', symbol: 'BTC/USDT:USDT', timeframe: '1h' })).toBe('BTC/USDT:USDT 1h on paper');
});
