/** Cards and evidence for the pipeline's tests: a plausible strategy version with overridable parts. */
import { DEFAULT_GATE_SETTINGS, type CardEvidence, type PipelineMove } from '../../shared/contract/pipeline';
import type { CardRecord } from './pipelineStore';

export function testEvidence(overrides: Partial<CardEvidence> = {}): CardEvidence {
  const figures = { from: 0, to: 1, trades: 120, returnPct: 12, sharpeRatio: 1.5, maxDrawdownPct: 9, profitFactor: 1.6 };
  return {
    backtest: {
      searchId: 'bt-search',
      backtestId: 'bt-full',
      inSample: figures,
      outOfSample: figures,
      folds: [figures],
      trials: 20,
      deflatedSharpe: 0.97,
      worstFoldDrawdownPct: 9,
      worstDrawdownPct: 11,
    },
    checks: { lookahead: { status: 'passed', detail: 'same decisions' }, warmup: { status: 'passed', detail: 'none inside the warm-up' } },
    run: null,
    updatedAt: 1_000,
    ...overrides,
  };
}

export function testCard(id: string, overrides: Partial<CardRecord> = {}): CardRecord {
  return {
    id,
    name: `SMA cross ${id}`,
    column: 'discovery',
    type: 'sma-cross',
    params: { fast: 10, slow: 30, allowShort: true },
    model: null,
    symbol: 'BTC/USDT',
    timeframe: '1h',
    dataLabel: 'paper BTC/USDT 1h',
    instanceId: null,
    venue: null,
    sizeFactor: null,
    evidence: testEvidence(),
    discoveryId: null,
    createdAt: 1_000,
    updatedAt: 1_000,
    ...overrides,
  };
}

export function testMove(id: string, cardId: string, at: number, overrides: Partial<PipelineMove> = {}): PipelineMove {
  return { id, cardId, kind: 'promote', from: 'discovery', to: 'paper', reason: 'gate passed', automatic: false, evidence: testEvidence(), gate: null, at, ...overrides };
}

export const RELAXED_GATES = {
  ...DEFAULT_GATE_SETTINGS,
  paper: { minOosTrades: 1, minDeflatedSharpe: 0, maxWorstFoldDrawdownPct: 100, requireChecks: false },
};
