import { describe, expect, it } from 'vitest';
import { RequestGate, type GateState } from './requestGate';

function gate(weightPerMinute?: number) {
  let now = 1_700_000_000_000;
  const slept: number[] = [];
  const changes: GateState[] = [];
  const g = new RequestGate({
    now: () => now,
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
    onChange: (state) => changes.push(state),
    ...(weightPerMinute === undefined ? {} : { weightPerMinute }),
  });
  return { g, slept, changes, advance: (ms: number) => (now += ms) };
}

describe('RequestGate', () => {
  it('holds every request for a 429 Retry-After, says why, and opens again after', async () => {
    const { g, slept, changes } = gate();
    g.observe(429, { 'Retry-After': '3' });
    expect(g.current).toMatchObject({ banned: false, reason: expect.stringMatching(/rate limited: waiting 3 s/) });
    await g.pass();
    expect(slept).toEqual([3_000]);
    expect(g.current.reason).toBeNull();
    expect(changes.map((c) => c.reason === null)).toEqual([false, true]);
  });

  it('treats 418 as a ban, longer than a plain back-off when no Retry-After is given', async () => {
    const { g, slept } = gate();
    g.observe(418, {});
    expect(g.current).toMatchObject({ banned: true, reason: expect.stringMatching(/banned/) });
    await g.pass();
    expect(slept[0]).toBe(120_000);
  });

  it('never shortens a longer hold', async () => {
    const { g, slept } = gate();
    g.observe(429, { 'retry-after': '10' });
    g.observe(429, { 'retry-after': '1' });
    await g.pass();
    expect(slept).toEqual([10_000]);
  });

  it('keeps the used weight and waits for the next minute when a request brings it near the budget', async () => {
    const { g, slept, advance } = gate(2_400);
    advance(-(1_700_000_000_000 % 60_000) + 45_000); // 45 s into a minute
    g.observe(200, { 'X-Mbx-Used-Weight-1m': '1000' });
    expect(g.current).toMatchObject({ usedWeight: 1000, reason: null });
    g.observe(200, { 'X-Mbx-Used-Weight-1m': '2300' });
    expect(g.current.reason).toMatch(/request-weight limit \(2300 of 2400/);
    await g.pass();
    expect(slept).toEqual([15_250]);
  });

  it("reads the share of the exchange's request budget in use from Binance's weight and Bybit's remaining requests", () => {
    const binance = gate(2_400).g;
    expect(binance.current.usage).toBeNull();
    binance.observe(200, { 'X-Mbx-Used-Weight-1m': '600' });
    expect(binance.current.usage).toBe(0.25);
    // Without a known budget the weight alone says nothing about the share.
    const unknownBudget = gate().g;
    unknownBudget.observe(200, { 'X-Mbx-Used-Weight-1m': '600' });
    expect(unknownBudget.current).toMatchObject({ usedWeight: 600, usage: null });
    const bybit = gate().g;
    bybit.observe(200, { 'X-Bapi-Limit': '20', 'X-Bapi-Limit-Status': '15', 'X-Bapi-Limit-Reset-Timestamp': String(1_700_000_000_000 + 800) });
    expect(bybit.current.usage).toBe(0.25);
  });

  it("waits for Bybit's window to reset when its headers say no request is left", async () => {
    const { g, slept } = gate();
    g.observe(200, { 'X-Bapi-Limit': '10', 'X-Bapi-Limit-Status': '3', 'X-Bapi-Limit-Reset-Timestamp': String(1_700_000_000_000 + 800) });
    expect(g.current.reason).toBeNull();
    g.observe(200, { 'X-Bapi-Limit': '10', 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(1_700_000_000_000 + 800) });
    expect(g.current.reason).toMatch(/window to reset/);
    await g.pass();
    expect(slept).toEqual([800]);
  });

  it('lets requests through at once when nothing holds them', async () => {
    const { g, slept } = gate();
    g.observe(200, {});
    await g.pass();
    expect(slept).toEqual([]);
  });
});
