import { describe, expect, it } from 'vitest';
import type { BacktestTrade, EquityPoint } from '../../shared/contract/backtests';
import { lookaheadVerdict, warmupVerdict } from './strategyChecks';

const DAY = 86_400_000;
const curve = (values: number[]): EquityPoint[] => values.map((equity, i) => ({ time: i * DAY, equity, drawdownPct: 0 }));
const trade = (entryBar: number, exitBar: number, pnl = 1): BacktestTrade => ({
  size: 1, entryBar, exitBar, entryTime: entryBar * DAY, exitTime: exitBar * DAY, entryPrice: 100, exitPrice: 100 + pnl, pnl, commission: 0, returnPct: pnl,
});

describe('the lookahead check', () => {
  const full = { trades: [trade(2, 4), trade(5, 7), trade(8, 11)], equity: curve([100, 100, 100, 101, 101, 101, 102, 102, 102, 103, 104, 105]) };

  it('passes when the run cut short trades and values equity as the full one did before the cut', () => {
    // Cut after bar 8: the truncated run closes its open position on its last bar, which is not compared.
    const truncated = { trades: [trade(2, 4), trade(5, 7), trade(8, 8, 0)], equity: curve([100, 100, 100, 101, 101, 101, 102, 102, 99]) };
    expect(lookaheadVerdict(full, truncated, 9 * DAY)).toMatchObject({ status: 'passed', detail: expect.stringMatching(/the same 2 trades/) });
  });

  it('fails when a trade before the cut differs, as it does for a strategy that read a later bar', () => {
    const truncated = { trades: [trade(2, 4), trade(5, 6)], equity: curve([100, 100, 100, 101, 101, 101, 102, 102, 102]) };
    expect(lookaheadVerdict(full, truncated, 9 * DAY)).toMatchObject({ status: 'failed', detail: expect.stringMatching(/trade 2 .* differs .*read the future/) });
  });

  it('fails when the trade counts differ, or only the equity does', () => {
    expect(lookaheadVerdict(full, { trades: [trade(2, 4)], equity: curve([100, 100, 100, 101, 101, 101, 102, 102, 102]) }, 9 * DAY).status).toBe('failed');
    const equityOnly = { trades: [trade(2, 4), trade(5, 7)], equity: curve([100, 100, 100, 101, 101.5, 101, 102, 102, 102]) };
    expect(lookaheadVerdict(full, equityOnly, 9 * DAY)).toMatchObject({ status: 'failed', detail: expect.stringMatching(/equity at .* differs/) });
  });

  it('is not run on too few bars', () => {
    expect(lookaheadVerdict(full, { trades: [], equity: curve([100, 100]) }, 2 * DAY).status).toBe('not_run');
  });
});

describe('the warm-up check', () => {
  it('passes when every trade fills after the warm-up, in every run', () => {
    expect(warmupVerdict([{ label: 'full', trades: [trade(20, 25)] }, { label: 'later', trades: [trade(21, 22)] }], 20).status).toBe('passed');
  });

  it('fails naming the run and the bar of a trade inside the warm-up', () => {
    expect(warmupVerdict([{ label: 'full', trades: [trade(20, 25)] }, { label: 'later', trades: [trade(7, 9)] }], 20)).toEqual({
      status: 'failed',
      detail: 'later: a trade filled on bar 7, inside the declared warm-up of 20 bars',
    });
  });

  it('cannot judge runs without trades', () => {
    expect(warmupVerdict([{ label: 'full', trades: [] }], 20).status).toBe('not_run');
  });
});
