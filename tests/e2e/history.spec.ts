/**
 * The simulated market's history is part of the record: the real headless
 * host, stopped and started again on the same data folder, serves the same
 * candles it served before, and the market goes on from where it was.
 */
import { expect, test } from './journey';
import { Dec } from '../../src/shared/decimal';
import type { Candle, Timeframe } from '../../src/shared/domain';
import { freshDataDir, removeDataDirs, startHost, type RunningHost } from './headlessHost';
import { rpc } from './rpc';

const MINUTE = 60_000;
const SYMBOLS = ['BTC/USDT:USDT', 'SOL/USDT:USDT'] as const;
const TIMEFRAMES: readonly Timeframe[] = ['1m', '1d'];

let host: RunningHost | undefined;
test.afterEach(async () => {
  await host?.stop();
  host = undefined;
});
test.afterAll(() => removeDataDirs());

type Series = Record<string, Record<string, Candle[]>>;

async function series(running: RunningHost): Promise<Series> {
  const out: Series = {};
  for (const symbol of SYMBOLS) {
    out[symbol] = {};
    for (const timeframe of TIMEFRAMES) {
      out[symbol]![timeframe] = await rpc<Candle[]>(running.port, running.token, 'market.candles', { venue: 'paper', symbol, timeframe, limit: 5000 });
    }
  }
  return out;
}

const FIELDS = ['open', 'high', 'low', 'close', 'volume'] as const;
const D = (text: string): Dec => Dec.parse(text);

/**
 * Candles of `before` in the period `after` covers (a request returns the
 * newest candles, so the oldest may have left the window) that `after` does
 * not hold with the same time and the same values, described for the
 * failure message.
 */
function differences(before: readonly Candle[], after: readonly Candle[]): string[] {
  const byTime = new Map(after.map((c) => [c.time, c]));
  const overlap = before.filter((c) => c.time >= after[0]!.time);
  if (overlap.length < before.length / 2) return [`only ${overlap.length} of ${before.length} candles overlap`];
  return overlap.flatMap((was) => {
    const now = byTime.get(was.time);
    if (!now) return [`${new Date(was.time).toISOString()} is gone`];
    const changed = FIELDS.filter((f) => !D(was[f]).eq(D(now[f])));
    return changed.length === 0 ? [] : [`${new Date(was.time).toISOString()} ${changed.map((f) => `${f} ${was[f]} -> ${now[f]}`).join(', ')}`];
  });
}

/** The candle still forming when it was read may only have grown since: same open, wider range, more volume. */
function grewFrom(was: Candle, now: Candle | undefined): void {
  expect(now?.time).toBe(was.time);
  expect(D(now!.open).eq(D(was.open))).toBe(true);
  expect(D(now!.high).gte(D(was.high))).toBe(true);
  expect(D(now!.low).lte(D(was.low))).toBe(true);
  expect(D(now!.volume).gte(D(was.volume))).toBe(true);
}

test('after a restart on the same data folder, every candle served before is the same, and the market goes on from it', async () => {
  // Waits for the wall clock to pass a minute boundary while the host is down.
  test.setTimeout(150_000);
  const dataDir = freshDataDir();
  host = await startHost({ dataDir });
  // Trade, so there are fills on these candles as in a trader's session.
  await rpc(host.port, host.token, 'orders.place', { venue: 'paper', symbol: 'BTC/USDT:USDT', side: 'buy', type: 'market', quantity: '0.01' });
  await rpc(host.port, host.token, 'orders.place', { venue: 'paper', symbol: 'SOL/USDT:USDT', side: 'sell', type: 'market', quantity: '2' });
  const before = await series(host);
  await host.stop();
  const stoppedIn = Math.floor(Date.now() / MINUTE) * MINUTE;
  // Come back in a later minute: the bar live at the stop is then closed from what the store kept.
  const wait = stoppedIn + MINUTE + 500 - Date.now();
  if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));

  host = await startHost({ dataDir });
  const after = await series(host);
  for (const symbol of SYMBOLS) {
    const oneMinuteBefore = before[symbol]!['1m']!;
    const oneMinute = after[symbol]!['1m']!;
    // At least 7 days of 1m history, as many as one request can carry.
    expect(oneMinuteBefore).toHaveLength(5000);
    // Every closed bar is exactly the same, by value.
    expect(differences(oneMinuteBefore.slice(0, -1), oneMinute), symbol).toEqual([]);
    // The bar live when it was read went on forming until the stop, and no further.
    const live = oneMinuteBefore.at(-1)!;
    grewFrom(live, oneMinute.find((c) => c.time === live.time));
    expect(oneMinute.at(-1)!.time).toBeGreaterThan(live.time);
    // One bar a minute up to now, each opening at the close before it.
    const breaks = oneMinute.slice(1).flatMap((c, i) => {
      const previous = oneMinute[i]!;
      if (c.time - previous.time !== MINUTE) return [`hole after ${new Date(previous.time).toISOString()}`];
      return D(c.open).eq(D(previous.close)) ? [] : [`${new Date(c.time).toISOString()} opens at ${c.open} after a close at ${previous.close}`];
    });
    expect(breaks, symbol).toEqual([]);

    // Days are built from the same minutes: every day before today is the same; today only grew.
    const daysBefore = before[symbol]!['1d']!;
    const days = after[symbol]!['1d']!;
    expect(daysBefore.length).toBeGreaterThanOrEqual(8);
    expect(days[0]!.time).toBe(daysBefore[0]!.time);
    expect(differences(daysBefore.slice(0, -1), days), symbol).toEqual([]);
    const today = daysBefore.at(-1)!;
    grewFrom(today, days.find((c) => c.time === today.time));
  }
});
