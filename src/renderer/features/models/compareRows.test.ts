import { describe, expect, it } from 'vitest';
import { compareRows } from './compareRows';
import { directionMetrics, modelRecord, returnMetrics } from './fixtures/modelRecord';

describe('compareRows', () => {
  const v1 = modelRecord({ id: 'a', version: 1, status: 'active' });
  const v2 = modelRecord({ id: 'b', version: 2, dataHash: 'other', metrics: { ...directionMetrics(), accuracy: 0.55, logLoss: 1.2, auc: 0.56 } });
  const rows = compareRows([v1, v2], 0);
  const byLabel = (label: string) => rows.find((r) => r.label === label)!;

  it('names the versions and says where they differ', () => {
    expect(byLabel('Version').values).toEqual(['btc v1', 'btc v2']);
    expect(byLabel('Status').values).toEqual(['Active', 'Candidate']);
    expect(byLabel('Data hash').differs).toBe(true);
    expect(byLabel('Features').differs).toBe(false);
  });

  it('marks the better metric in its direction, with the change from the first to the second', () => {
    expect(byLabel('Accuracy')).toMatchObject({ values: ['52.0%', '55.0%'], best: [1], delta: '+3.0 pp', metric: true });
    expect(byLabel('Log loss')).toMatchObject({ best: [0], delta: '+0.190' });
    // Equal values: nothing is better.
    expect(byLabel('AUC')).toMatchObject({ best: [], differs: false });
  });

  it('shows only the metrics the versions have', () => {
    const labels = rows.map((r) => r.label);
    expect(labels).toContain('AUC');
    expect(labels).not.toContain('RMSE');
    const mixed = compareRows([v1, modelRecord({ id: 'r', target: { kind: 'return', horizon: 5 }, metrics: returnMetrics() })], 0);
    expect(mixed.find((r) => r.label === 'RMSE')).toMatchObject({ values: ['—', '0.00166'], best: [], delta: null });
  });
});
