import { describe, expect, it } from 'vitest';
import { DEFAULT_GATE_SETTINGS, type CardEvidence, type RunEvidence } from '../../shared/contract/pipeline';
import { degradation, evaluateGate, nextColumn, previousColumn } from './gates';

const figures = (trades: number, maxDrawdownPct: number) => ({ from: 0, to: 1, trades, returnPct: 5, sharpeRatio: 1.2, maxDrawdownPct, profitFactor: 1.4 });

function evidence(overrides: { oosTrades?: number; dsr?: number | null; foldDd?: number[]; checks?: 'passed' | 'failed' | 'not_run'; run?: Partial<RunEvidence> | null } = {}): CardEvidence {
  const folds = (overrides.foldDd ?? [8, 12, 15]).map((dd) => figures(10, dd));
  const worstFold = folds.length ? Math.max(...folds.map((f) => f.maxDrawdownPct)) : null;
  const checks = overrides.checks ?? 'passed';
  const run = overrides.run === undefined || overrides.run === null
    ? null
    : { instanceId: 's-1', venue: 'paper', status: 'running' as const, startedAt: 0, days: 20, trades: 40, drawdownPct: 5, trackingError: 0.01, previousTrackingError: null, openDifferences: 0, riskRefusals: 0, ...overrides.run };
  return {
    backtest: {
      searchId: 'bt-1',
      backtestId: 'bt-2',
      inSample: figures(200, 10),
      outOfSample: overrides.oosTrades === undefined ? figures(150, 15) : figures(overrides.oosTrades, 15),
      folds,
      trials: 50,
      deflatedSharpe: overrides.dsr === undefined ? 0.97 : overrides.dsr,
      worstFoldDrawdownPct: worstFold,
      worstDrawdownPct: 18,
    },
    checks: { lookahead: { status: checks, detail: '' }, warmup: { status: 'passed', detail: '' } },
    run,
    updatedAt: 0,
  };
}

const criterion = (result: ReturnType<typeof evaluateGate>, key: string) => result.criteria.find((c) => c.key === key)!;

describe('the paper gate', () => {
  it('passes with enough out-of-sample trades, a deflated Sharpe above 0.95, shallow folds and the checks passed', () => {
    const result = evaluateGate('paper', evidence(), DEFAULT_GATE_SETTINGS);
    expect(result.passed).toBe(true);
    expect(result.criteria.map((c) => [c.key, c.value, c.passed])).toEqual([
      ['oosTrades', 150, true],
      ['deflatedSharpe', 0.97, true],
      ['worstFoldDrawdownPct', 15, true],
      ['lookahead', true, true],
      ['warmup', true, true],
    ]);
  });

  it('fails on 99 out-of-sample trades and passes on 100', () => {
    expect(criterion(evaluateGate('paper', evidence({ oosTrades: 99 }), DEFAULT_GATE_SETTINGS), 'oosTrades')).toMatchObject({ value: 99, passed: false, requirement: '≥ 100' });
    expect(evaluateGate('paper', evidence({ oosTrades: 100 }), DEFAULT_GATE_SETTINGS).passed).toBe(true);
  });

  it('needs the deflated Sharpe strictly above the bound, and fails when it is unknown', () => {
    expect(evaluateGate('paper', evidence({ dsr: 0.95 }), DEFAULT_GATE_SETTINGS).passed).toBe(false);
    expect(criterion(evaluateGate('paper', evidence({ dsr: null }), DEFAULT_GATE_SETTINGS), 'deflatedSharpe')).toMatchObject({ value: null, passed: false });
  });

  it('fails when the worst fold reaches 20 %, or when there are no folds', () => {
    const deep = evaluateGate('paper', evidence({ foldDd: [5, 20, 3] }), DEFAULT_GATE_SETTINGS);
    expect(criterion(deep, 'worstFoldDrawdownPct')).toMatchObject({ value: 20, passed: false });
    expect(evaluateGate('paper', evidence({ foldDd: [] }), DEFAULT_GATE_SETTINGS).passed).toBe(false);
  });

  it('fails on a failed or unrun check, unless the checks are not required', () => {
    expect(criterion(evaluateGate('paper', evidence({ checks: 'failed' }), DEFAULT_GATE_SETTINGS), 'lookahead')).toMatchObject({ value: false, passed: false });
    expect(criterion(evaluateGate('paper', evidence({ checks: 'not_run' }), DEFAULT_GATE_SETTINGS), 'lookahead')).toMatchObject({ value: null, passed: false });
    const relaxed = { ...DEFAULT_GATE_SETTINGS, paper: { ...DEFAULT_GATE_SETTINGS.paper, requireChecks: false } };
    const result = evaluateGate('paper', evidence({ checks: 'failed' }), relaxed);
    expect(result.passed).toBe(true);
    expect(result.criteria.map((c) => c.key)).not.toContain('lookahead');
  });

  it('Discovery keeps candidates on its own, laxer settings', () => {
    const result = evaluateGate('discovery', evidence({ oosTrades: 30, dsr: 0.6, foldDd: [30] }), DEFAULT_GATE_SETTINGS);
    expect(result.passed).toBe(true);
    expect(evaluateGate('paper', evidence({ oosTrades: 30, dsr: 0.6, foldDd: [30] }), DEFAULT_GATE_SETTINGS).passed).toBe(false);
  });
});

describe('the live gate', () => {
  it('passes after 14 paper days and 30 trades, a small tracking error and no open differences', () => {
    const result = evaluateGate('live', evidence({ run: { days: 14, trades: 30, trackingError: 0.01, openDifferences: 0 } }), DEFAULT_GATE_SETTINGS);
    expect(result.passed).toBe(true);
    expect(result.criteria.map((c) => [c.key, c.value])).toEqual([
      ['paperDays', 14],
      ['paperTrades', 30],
      ['trackingError', 0.01],
      ['openDifferences', 0],
    ]);
  });

  it('fails each criterion on its own', () => {
    const cases: Array<[Partial<RunEvidence>, string]> = [
      [{ days: 13.9 }, 'paperDays'],
      [{ trades: 29 }, 'paperTrades'],
      [{ trackingError: 0.05 }, 'trackingError'],
      [{ trackingError: null }, 'trackingError'],
      [{ openDifferences: 1 }, 'openDifferences'],
    ];
    for (const [run, key] of cases) {
      const result = evaluateGate('live', evidence({ run }), DEFAULT_GATE_SETTINGS);
      expect(result.passed, key).toBe(false);
      expect(result.criteria.filter((c) => !c.passed).map((c) => c.key)).toEqual([key]);
    }
  });

  it('fails every criterion without a paper run', () => {
    const result = evaluateGate('live', evidence({ run: null }), DEFAULT_GATE_SETTINGS);
    expect(result.criteria.every((c) => !c.passed && c.value === null)).toBe(true);
  });
});

describe('degradation', () => {
  it('is nothing in Discovery or while the run holds up', () => {
    expect(degradation('discovery', evidence({ run: { drawdownPct: 50 } }), DEFAULT_GATE_SETTINGS)).toBeNull();
    expect(degradation('paper', evidence({ run: { drawdownPct: 18 } }), DEFAULT_GATE_SETTINGS)).toBeNull();
  });

  it('is a drawdown beyond the backtest worst (times the multiple)', () => {
    expect(degradation('live', evidence({ run: { drawdownPct: 18.5 } }), DEFAULT_GATE_SETTINGS)).toMatch(/drawdown 18.50 % is beyond its backtest's worst \(18.00 %\)/);
    expect(degradation('live', evidence({ run: { drawdownPct: 18.5 } }), { ...DEFAULT_GATE_SETTINGS, drawdownMultiple: 1.5 })).toBeNull();
  });

  it('is a tracking error over the bound that is still rising', () => {
    expect(degradation('live', evidence({ run: { trackingError: 0.08, previousTrackingError: 0.06 } }), DEFAULT_GATE_SETTINGS)).toMatch(/tracking error 0.0800 is over its bound 0.05 and rising/);
    expect(degradation('live', evidence({ run: { trackingError: 0.08, previousTrackingError: 0.09 } }), DEFAULT_GATE_SETTINGS)).toBeNull();
    expect(degradation('live', evidence({ run: { trackingError: 0.04, previousTrackingError: 0.01 } }), DEFAULT_GATE_SETTINGS)).toBeNull();
  });
});

describe('columns', () => {
  it('run Discovery → Paper → Live and back', () => {
    expect([nextColumn('discovery'), nextColumn('paper'), nextColumn('live')]).toEqual(['paper', 'live', null]);
    expect([previousColumn('discovery'), previousColumn('paper'), previousColumn('live')]).toEqual([null, 'discovery', 'paper']);
  });
});
