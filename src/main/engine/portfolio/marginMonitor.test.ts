import { describe, expect, it } from 'vitest';
import type { MarginAlert } from '../../../shared/contract';
import type { Position } from '../../../shared/domain';
import type { ActivityLog } from '../activity';
import { EventBus } from '../bus';
import { SimulatedClock } from '../ports/clock';
import { silentLogger } from '../ports/logger';
import { MarginMonitor } from './marginMonitor';

function position(marginRatio: string | null, symbol = 'BTC/USDT:USDT'): Position {
  return {
    venue: 'paper',
    symbol,
    side: 'long',
    quantity: '0.1',
    entryPrice: '60000',
    markPrice: '58000',
    notional: '5800',
    unrealizedPnl: '-200',
    realizedPnl: '0',
    realizedPnlGross: '0',
    feesPaid: '0',
    funding: '0',
    leverage: 20,
    marginMode: 'isolated',
    margin: '290',
    roePercent: '-66.6667',
    liquidationPrice: '57229',
    marginRatio,
    updatedAt: 1,
  };
}

function monitor(level = 80) {
  const bus = new EventBus(silentLogger);
  const alerts: MarginAlert[] = [];
  bus.subscribe((_topic, payload) => alerts.push(payload as MarginAlert), ['positions.marginAlert']);
  const entries: Array<{ level: string; message: string }> = [];
  const activity = { record: (lvl: string, _category: string, message: string) => entries.push({ level: lvl, message }) } as unknown as ActivityLog;
  const margins = new MarginMonitor({ bus, activity, clock: new SimulatedClock(1_000), levelPercent: () => level });
  return { margins, alerts, entries };
}

describe('the margin monitor', () => {
  it('warns once at the level, and again only after the ratio came back 5 points under it', () => {
    const { margins, alerts, entries } = monitor(80);
    margins.observe('paper', [position('0.5')]);
    expect(alerts).toEqual([]);
    margins.observe('paper', [position('0.8')]);
    margins.observe('paper', [position('0.95')]);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ kind: 'warning', symbol: 'BTC/USDT:USDT', marginRatio: '0.8', levelPercent: 80, liquidationPrice: '57229', timestamp: 1_000 });
    expect(entries).toEqual([{ level: 'warning', message: expect.stringContaining('is 80.0 % (warning at 80 %)') }]);
    // Back to 76 %: still within 5 points, no new warning when it rises again.
    margins.observe('paper', [position('0.76')]);
    margins.observe('paper', [position('0.85')]);
    expect(alerts).toHaveLength(1);
    // Under 75 %: re-armed.
    margins.observe('paper', [position('0.74')]);
    expect(margins.hasWarned('paper')).toBe(false);
    margins.observe('paper', [position('0.9')]);
    expect(alerts).toHaveLength(2);
  });

  it('re-arms once the position is gone, and ignores positions without a margin table', () => {
    const { margins, alerts } = monitor(80);
    margins.observe('paper', [position('0.9'), position(null, 'ETH/USDT:USDT')]);
    expect(margins.hasWarned('paper')).toBe(true);
    margins.observe('paper', []);
    expect(margins.hasWarned('paper')).toBe(false);
    margins.observe('paper', [position('0.9')]);
    expect(alerts.map((a) => a.symbol)).toEqual(['BTC/USDT:USDT', 'BTC/USDT:USDT']);
  });
});
