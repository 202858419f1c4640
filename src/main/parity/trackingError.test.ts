import { describe, expect, it } from 'vitest';
import { Dec } from '../../shared/decimal';
import type { Fill } from '../../shared/domain';
import { compareTrips, roundTrips, tripReturnBps } from './trackingError';

let trade = 0;
function fill(orderId: string, side: 'buy' | 'sell', quantity: string, price: string, fee: string, timestamp: number): Fill {
  trade += 1;
  return { tradeId: `t${trade}`, orderId, clientOrderId: `c-${orderId}`, venue: 'paper', symbol: 'BTC/USDT:USDT', side, quantity, price, fee, feeCurrency: 'USDT', liquidity: 'taker', realizedPnl: '0', timestamp };
}

describe('round trips and the tracking error', () => {
  // Live: long 1 at 100, out at 110, fees 0.1 + 0.11: net 9.79 on 100 in = 979 bps.
  const live = [fill('L1', 'buy', '1', '100', '0.1', 1_000), fill('L2', 'sell', '1', '110', '0.11', 2_000)];
  // Replay: the same trade out at 111, fees 0.1 + 0.111: net 10.789 = 1078.9 bps.
  const replay = [fill('R1', 'buy', '1', '100', '0.1', 1_000), fill('R2', 'sell', '1', '111', '0.111', 2_000)];

  it('takes a trip\'s return net of fees over its entry value', () => {
    const [trip] = roundTrips(live);
    expect(tripReturnBps(trip!)).toBeCloseTo(979, 9);
  });

  it('is the difference of paired trips\' returns, and the PnL of each side by value', () => {
    const result = compareTrips(live, replay, new Map([['L1', 'R1'], ['L2', 'R2']]));
    expect(result.liveTrades).toBe(1);
    expect(result.replayTrades).toBe(1);
    expect(result.livePnl.eq(Dec.parse('9.79'))).toBe(true);
    expect(result.replayPnl.eq(Dec.parse('10.789'))).toBe(true);
    expect(result.trackingErrorBps).toBeCloseTo(99.9, 6);
  });

  it('counts a trade only one side made in full, as a root mean square', () => {
    // A second replay trade the instance never made: short 2 at 50, covered at 49 (+2 − fees 0.2 = 1.8 on 100 = 180 bps).
    const more = [...replay, fill('R3', 'sell', '2', '50', '0.1', 3_000), fill('R4', 'buy', '2', '49', '0.1', 4_000)];
    const result = compareTrips(live, more, new Map([['L1', 'R1']]));
    expect(result.replayTrades).toBe(2);
    expect(result.trackingErrorBps).toBeCloseTo(Math.sqrt((99.9 ** 2 + 180 ** 2) / 2), 2);
    // A live trade with no counterpart counts with its own return.
    expect(compareTrips(live, [], new Map()).trackingErrorBps).toBeCloseTo(979, 6);
  });

  it('leaves out a pair whose other side is still open, and has no figure without a closed trip', () => {
    const openReplay = replay.slice(0, 1);
    const result = compareTrips(live, openReplay, new Map([['L1', 'R1']]));
    expect(result.trackingErrorBps).toBeNull();
    expect(result.replayTrades).toBe(0);
    expect(compareTrips([], [], new Map()).trackingErrorBps).toBeNull();
  });

  it('is zero when both sides traded alike', () => {
    const same = [fill('R1', 'buy', '1', '100', '0.1', 1_000), fill('R2', 'sell', '1', '110', '0.11', 2_000)];
    expect(compareTrips(live, same, new Map([['L1', 'R1']])).trackingErrorBps).toBe(0);
  });
});
