import { describe, expect, it } from 'vitest';
import type { AnalyticsScope, AnalyticsSummary, RoundTripView } from '../../shared/contract/analytics';
import type { RiskStatus } from '../../shared/risk';
import { reconciliationItem, reconciliationReport } from '../../../tests/support/fixtures';
import { buildDailyReport, type DailyReportSources } from './dailyReport';

const FROM = Date.parse('2026-03-09T17:00:00Z');
const TO = Date.parse('2026-03-10T17:00:00Z');

function summary(scope: AnalyticsScope, netPnl: string, trades: number, wins: number): AnalyticsSummary {
  return {
    scope,
    from: FROM,
    to: TO,
    currency: 'USDT',
    figures: {
      trades, openTrades: 0, wins, losses: trades - wins, netPnl, grossProfit: '0', grossLoss: '0', profitFactor: null,
      winRatePct: trades ? (100 * wins) / trades : null, averageWin: null, averageLoss: null, payoffRatio: null, expectancy: null,
      expectancyPct: null, expectancyR: null, rTrades: 0, bestTradePct: null, worstTradePct: null, averageDurationMs: null,
      sharpeRatio: null, sortinoRatio: null, maxDrawdown: '12.5', maxDrawdownPct: 0.125, maxDrawdownDurationMs: null, exposurePct: 10,
      feesPaid: '3.21', fundingPaid: '-0.5', startEquity: '10000', endEquity: '10042.3', returnPct: 0.423, unrealizedPnl: '0',
    },
    byDayOfWeek: [],
    byHour: [],
    returnDistribution: [],
  };
}

const trip = (id: string, source: RoundTripView['source'], sourceId: string | null, netPnl: string): RoundTripView =>
  ({ id, venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'long', quantity: '0.01', entryPrice: '70000', exitPrice: '71000', netPnl, source, sourceId, openedAt: FROM + 1, closedAt: TO - 1 }) as RoundTripView;

function sources(overrides: Partial<DailyReportSources> = {}): { sources: DailyReportSources; asked: AnalyticsScope[] } {
  const asked: AnalyticsScope[] = [];
  const bySource: Record<string, AnalyticsSummary> = {
    account: summary({ kind: 'account' }, '42.3', 3, 2),
    s1: summary({ kind: 'strategy', strategyId: 's1' }, '50', 2, 2),
    manual: summary({ kind: 'manual' }, '-7.7', 1, 0),
  };
  return {
    asked,
    sources: {
      analytics: {
        summary: async ({ scope, from, to }) => {
          expect([from, to]).toEqual([FROM, TO]);
          asked.push(scope);
          return bySource[scope.kind === 'strategy' ? scope.strategyId : scope.kind]!;
        },
        trades: async (filters) => {
          expect(filters).toMatchObject({ from: FROM, to: TO, status: 'closed' });
          return { trades: [trip('a', 'strategy', 's1', '20'), trip('b', 'manual', null, '-7.7'), trip('c', 'strategy', 's1', '30')], nextCursor: null };
        },
        exportCsv: async (params) => {
          expect(params).toEqual({ kind: 'trades', from: FROM, to: TO });
          return { filename: 'keel-trades-20260310.csv', mimeType: 'text/csv', content: 'id,netPnl\r\na,20\r\n', rows: 3 };
        },
      },
      strategyNames: () => new Map([['s1', 'Trend <BTC>']]),
      riskStatus: () =>
        ({
          state: 'REDUCING',
          reason: 'Daily loss 4.1% past 4%',
          since: TO - 10,
          history: [],
          usage: [
            {
              venue: 'paper', equity: '10042.3', dayStartEquity: '10000', dayStartedAt: FROM, highWaterMark: '10100', updatedAt: TO,
              entries: [
                { limit: 'maxOpenOrders', label: 'Open orders', symbol: null, used: '2', max: '10', ratio: 0.2, unit: 'orders' },
                { limit: 'dailyLoss', label: 'Daily loss', symbol: null, used: '410', max: '400', ratio: 1.025, unit: 'USDT' },
              ],
            },
          ],
        }) as RiskStatus,
      venues: () => [
        { venue: 'paper', state: 'ready', reason: null, paper: true },
        { venue: 'binance', state: 'blocked', reason: 'differences', paper: false },
        { venue: 'okx', state: 'connecting', reason: null, paper: false },
      ],
      latestReconciliation: (venue) =>
        venue === 'paper'
          ? reconciliationReport('r1', [reconciliationItem('m', { kind: 'matched', blocking: false })], { finishedAt: TO - 3_600_000 })
          : venue === 'binance'
            ? reconciliationReport('r2', [reconciliationItem('x'), reconciliationItem('y', { resolution: { action: 'adopt', note: null, at: 1 } })], { venue: 'binance', ok: false, reason: 'an external order', finishedAt: TO - 60_000 })
            : null,
      ...overrides,
    },
  };
}

describe('the daily report', () => {
  it("lays out analytics' own figures for the account and each strategy, risk usage and reconciliation, with the CSV attached", async () => {
    const { sources: s, asked } = sources();
    const report = await buildDailyReport(s, { from: FROM, to: TO, timeZone: 'Europe/Berlin' });
    expect(asked).toEqual([{ kind: 'account' }, { kind: 'strategy', strategyId: 's1' }, { kind: 'manual' }]);
    const { subject, text, html, attachments } = report.email;
    expect(subject).toBe('[Keel] Daily report 2026-03-10: 42.30 USDT, 3 trades');
    expect(text).toContain('2026-03-09 18:00 – 2026-03-10 18:00 (Europe/Berlin)');
    expect(text).toContain('  Net PnL: 42.30 USDT');
    expect(text).toContain('  Fees paid: 3.21 USDT');
    expect(text).toContain('  Trend <BTC>: 2 trades, win rate 100.0%, net 50.00');
    expect(text).toContain('  Manual trading: 1 trades, win rate 0.0%, net -7.70');
    expect(text).toContain('  Trading state: REDUCING (Daily loss 4.1% past 4%)');
    // The most used limit first.
    expect(text.indexOf('Daily loss: 410 of 400 USDT (102.5%)')).toBeLessThan(text.indexOf('Open orders: 2 of 10 orders (20.0%)'));
    expect(text).toContain('  paper (ready): last reconciled 2026-03-10 17:00, in agreement; 0 unresolved differences');
    expect(text).toContain('  binance (blocked): last reconciled 2026-03-10 17:59, blocked: an external order; 1 unresolved difference');
    expect(text).toContain('  okx (connecting): never reconciled');
    // Names are escaped in the HTML.
    expect(html).toContain('Trend &lt;BTC&gt;');
    expect(html).not.toContain('Trend <BTC>');
    expect(attachments).toEqual([{ filename: 'keel-trades-20260310.csv', contentType: 'text/csv', content: 'id,netPnl\r\na,20\r\n' }]);
  });

  it("still goes out when the account's figures cannot be computed, and says why", async () => {
    const { sources: base } = sources();
    const s: DailyReportSources = {
      ...base,
      analytics: {
        ...base.analytics,
        summary: async ({ scope }) => {
          if (scope.kind === 'account') throw new Error('venues settle in different currencies (USDT, USDC)');
          return base.analytics.summary({ scope, from: FROM, to: TO });
        },
      },
    };
    const report = await buildDailyReport(s, { from: FROM, to: TO, timeZone: 'UTC' });
    expect(report.email.subject).toBe('[Keel] Daily report 2026-03-10: figures unavailable');
    expect(report.email.text).toContain("Account: could not be computed: venues settle in different currencies (USDT, USDC)");
    expect(report.strategies.map((r) => r.label)).toEqual(['Trend <BTC>', 'Manual trading']);
  });
});
