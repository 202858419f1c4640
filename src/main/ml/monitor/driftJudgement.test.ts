import { describe, expect, it } from 'vitest';
import type { ModelComparisonStatus } from '../drift/rollingAccuracy';
import { judgeStream, worstStatus, type StreamJudgementInput } from './driftJudgement';

const calm: ModelComparisonStatus = { samples: 200, online: 0.5, batch: 0.55, difference: -0.05, onlineOnly: 10, batchOnly: 20, batchDrifting: false, onlineAhead: false };

function input(psi: Array<number | null>, overrides: Partial<StreamJudgementInput> = {}): StreamJudgementInput {
  return {
    kind: 'direction',
    psi: psi.map((v, i) => ({ feature: `f${i}`, psi: v, status: v === null ? 'unknown' : 'stable' })),
    hasReference: true,
    psiRows: 500,
    minPsiRows: 200,
    comparison: calm,
    referenceAccuracy: 0.55,
    minOutcomes: 100,
    z: 2,
    missed: 0,
    ...overrides,
  };
}

describe('drift judgement', () => {
  it('flags the largest feature PSI: ok below 0.1, watch from 0.1 to 0.25, drifting above 0.25', () => {
    expect(judgeStream(input([0.0999, 0.05])).status).toBe('ok');
    expect(judgeStream(input([0.1, 0.05])).status).toBe('watch');
    expect(judgeStream(input([0.25, null])).status).toBe('watch');
    expect(judgeStream(input([0.2501, 0.01])).status).toBe('drifting');
  });

  it('names the features, worst first, in words', () => {
    const { reasons } = judgeStream(input([0.3, 0.12, 0.9, 0.01, 0.4, 0.5, 0.6]));
    expect(reasons).toEqual([
      { kind: 'psi', status: 'drifting', text: 'f2 (0.90), f6 (0.60), f5 (0.50), f4 (0.40) and 1 more have moved away from the training distribution (PSI above 0.25)' },
      { kind: 'psi', status: 'watch', text: 'f1 (0.12) is moving from the training distribution (PSI 0.1 to 0.25: worth watching)' },
    ]);
  });

  it('flags accuracy only with a reference to fall short of, and the online model when it is significantly ahead', () => {
    const fallen = { ...calm, batch: 0.4, batchDrifting: true };
    expect(judgeStream(input([0.01], { comparison: fallen })).reasons).toEqual([{ kind: 'accuracy', status: 'drifting', text: 'Accuracy 40.0% over the last 200 outcomes is below the 55.0% it had out of sample (by more than 2 standard errors)' }]);
    expect(judgeStream(input([0.01], { comparison: fallen, kind: 'return' })).reasons[0]!.text).toMatch(/^Direction hit rate 40\.0%/);
    const noReference = judgeStream(input([0.01], { comparison: fallen, referenceAccuracy: null }));
    expect(noReference.status).toBe('ok');
    expect(noReference.notes).toContain('No out-of-sample accuracy is recorded for this model: only the online model is compared with it.');
    const ahead = judgeStream(input([0.01], { comparison: { ...calm, online: 0.6, batch: 0.5, onlineOnly: 30, batchOnly: 10, onlineAhead: true } }));
    expect(ahead).toMatchObject({ status: 'drifting', reasons: [{ kind: 'online', status: 'drifting', text: 'The online model is right more often: 60.0% against 50.0% over the last 200 outcomes (30 only it got right, 10 only the model)' }] });
  });

  it('says what it cannot judge yet', () => {
    const early = judgeStream(input([null], { psiRows: 50, comparison: { ...calm, samples: 12 } }));
    expect(early).toEqual({ status: 'ok', reasons: [], notes: ['PSI is measured once 200 bars are scored (50 so far).', 'Accuracy is judged once 100 outcomes are known (12 so far).'] });
    expect(judgeStream(input([null], { hasReference: false })).notes[0]).toMatch(/^PSI unknown/);
  });

  it('takes the worst status of several streams', () => {
    expect(worstStatus([])).toBe('ok');
    expect(worstStatus(['ok', 'watch'])).toBe('watch');
    expect(worstStatus(['watch', 'drifting', 'ok'])).toBe('drifting');
  });
});
