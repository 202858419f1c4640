import { describe, expect, it } from 'vitest';
import type { CcxtFunding } from './ccxtTypes';
import { FUNDING_PAGE, FUNDING_WINDOW_MS, fundingReportOf, walkFundingHistory, type FundingPageRequest } from './fundingHistory';

const HOUR = 3_600_000;
const T0 = Date.UTC(2026, 0, 1);

/** `n` payments 8 hours apart from `from`, ids f1..fn. */
function payments(n: number, from = T0, stepMs = 8 * HOUR): CcxtFunding[] {
  return Array.from({ length: n }, (_, i) => ({ id: `f${i + 1}`, symbol: 'BTC/USDT:USDT', code: 'USDT', timestamp: from + i * stepMs, amount: -1 }));
}

describe('walking a funding history', () => {
  it('Binance: windows of a week, each paged forward from after the last payment', async () => {
    // Dense history: 250 payments an hour apart fill a week's first window more than twice over.
    const all = payments(250, T0, HOUR);
    const requests: FundingPageRequest[] = [];
    const { entries, truncated } = await walkFundingHistory('binanceusdm', T0, T0 + 300 * HOUR, async (request) => {
      requests.push(request);
      const until = request.params.until as number;
      return all.filter((f) => f.timestamp! >= request.since! && f.timestamp! <= until).slice(0, FUNDING_PAGE);
    });
    expect(truncated).toBe(false);
    expect(new Set(entries.map((e) => e.id)).size).toBe(250);
    // The first week holds 168 of them: a full page (hours 0 to 99), then from just after hour 99; the second window starts a week on.
    expect(requests.map((r) => r.since)).toEqual([T0, T0 + 99 * HOUR + 1, T0 + FUNDING_WINDOW_MS]);
    expect(requests[0]!.params).toEqual({ until: T0 + FUNDING_WINDOW_MS - 1 });
  });

  it('Bybit: each window paged backward, ending before the oldest payment read', async () => {
    const all = payments(150, T0, HOUR);
    const untils: number[] = [];
    const { entries } = await walkFundingHistory('bybit', T0, T0 + 8 * 24 * HOUR, async ({ since, params }) => {
      untils.push(params.until as number);
      const until = params.until as number;
      return all
        .filter((f) => f.timestamp! >= since! && f.timestamp! <= until)
        .sort((a, b) => b.timestamp! - a.timestamp!)
        .slice(0, FUNDING_PAGE);
    });
    expect(new Set(entries.map((e) => e.id)).size).toBe(150);
    // The first week's newest 100 (hours 50 to 149), then up to hour 49; then the second week.
    expect(untils).toEqual([T0 + FUNDING_WINDOW_MS - 1, T0 + 50 * HOUR - 1, T0 + 8 * 24 * HOUR]);
  });

  it('OKX: `begin` for the start, then the bills after the oldest one read', async () => {
    const all = payments(230);
    const requests: FundingPageRequest[] = [];
    const { entries } = await walkFundingHistory('okx', T0, T0 + 1_000 * 8 * HOUR, async (request) => {
      requests.push(request);
      const after = request.params.after as string | undefined;
      const newestFirst = [...all].reverse().filter((f) => after === undefined || Number(f.id!.slice(1)) < Number(after.slice(1)));
      return newestFirst.slice(0, FUNDING_PAGE);
    });
    expect(new Set(entries.map((e) => e.id)).size).toBe(230);
    expect(requests.map((r) => r.params)).toEqual([{ begin: String(T0) }, { begin: String(T0), after: 'f131' }, { begin: String(T0), after: 'f31' }]);
  });

  it('stops at the page bound and says the history was cut', async () => {
    const { entries, truncated } = await walkFundingHistory('okx', T0, T0, async () => payments(FUNDING_PAGE), 2);
    expect(truncated).toBe(true);
    expect(entries).toHaveLength(2 * FUNDING_PAGE);
  });
});

describe('a funding payment in Keel terms', () => {
  it("Binance: the exact income text, keyed by tranId; the rate, mark and size are not stated", () => {
    const report = fundingReportOf(
      'binanceusdm',
      { id: '4480321991774044580', symbol: 'ETH/USDT:USDT', code: 'USDT', timestamp: 1621584000000, amount: 0.00134317, info: { income: '0.00134317', tranId: '4480321991774044580' } },
      'USDT',
    );
    expect(report).toEqual({ fundingId: '4480321991774044580', symbol: 'ETH/USDT:USDT', rate: null, markPrice: null, quantity: null, amount: '0.00134317', currency: 'USDT', fundingTime: 1621584000000, timestamp: 1621584000000 });
  });

  it('Bybit: execFee is what was paid, so the amount is its negation; the rate, mark and size are stated, the side follows from them', () => {
    const paid = fundingReportOf(
      'bybit',
      { id: 'e1', symbol: 'BTC/USDT:USDT', code: 'USDT', timestamp: T0, amount: 0.6, info: { execFee: '0.60000000', feeRate: '0.0001', execPrice: '60000.00', execQty: '0.100' } },
      'USDT',
    );
    expect(paid).toMatchObject({ fundingId: 'e1', amount: '-0.6', rate: '0.0001', markPrice: '60000', quantity: '0.1' });
    const shortReceives = fundingReportOf(
      'bybit',
      { id: 'e2', symbol: 'BTC/USDT:USDT', code: 'USDT', timestamp: T0, info: { execFee: '-0.6', feeRate: '0.0001', execPrice: '60000', execQty: '0.1' } },
      'USDT',
    );
    expect(shortReceives).toMatchObject({ amount: '0.6', quantity: '-0.1' });
  });

  it('OKX: the balance change, or the isolated position balance change when the balance did not move', () => {
    expect(fundingReportOf('okx', { id: 'b1', symbol: 'BTC/USDT:USDT', code: 'USDT', timestamp: T0, info: { balChg: '-0.0123', posBalChg: '0' } }, 'USDT')).toMatchObject({ fundingId: 'b1', amount: '-0.0123', rate: null });
    expect(fundingReportOf('okx', { id: 'b2', symbol: 'BTC/USDT:USDT', code: 'USDT', timestamp: T0, info: { balChg: '0', posBalChg: '+0.5000' } }, 'USDT')).toMatchObject({ amount: '0.5' });
  });

  it('leaves out what cannot be booked: no id, no amount, another currency', () => {
    expect(fundingReportOf('binanceusdm', { symbol: 'BTC/USDT:USDT', code: 'USDT', timestamp: T0, info: { income: '1' } }, 'USDT')).toBeNull();
    expect(fundingReportOf('binanceusdm', { id: 'x', symbol: 'BTC/USDT:USDT', code: 'USDT', timestamp: T0, info: { income: 'abc' } }, 'USDT')).toBeNull();
    expect(fundingReportOf('binanceusdm', { id: 'x', symbol: 'BTC/USDC:USDC', code: 'USDC', timestamp: T0, info: { income: '1' } }, 'USDT')).toBeNull();
  });
});
