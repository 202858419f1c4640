/**
 * What the ccxt venue adapter's integration tests share, whichever fake
 * exchange they run against: ccxt loaded once, a CcxtVenue started against a
 * fresh fake with short test timings and its execution and connectivity
 * events collected, every venue stopped and the fake closed after each test;
 * and the helpers those tests read events and prices with.
 */
import { afterAll, afterEach, beforeAll } from 'vitest';
import { Dec } from '../../src/shared/decimal';
import { LiveClock } from '../../src/main/engine/ports/clock';
import { silentLogger } from '../../src/main/engine/ports/logger';
import type { ExecutionEvent, SubmitOrder, VenueConnectivity } from '../../src/main/engine/ports/venue';
import { CcxtVenue, type CcxtVenueOptions } from '../../src/main/venues/ccxt/ccxtVenue';
import { loadCcxt } from '../../src/main/venues/ccxt/exchanges';

/** Short enough that a lost answer, a poll or a stream retry happens within a test. */
export const TEST_TIMINGS: CcxtVenueOptions['timings'] = {
  requestMs: 1_500,
  unknownOutcomeDeadlineMs: 3_000,
  fallbackPollMs: 300,
  safetyPollMs: 1_000,
  tickerPollMs: 500,
  streamRetryMs: 300,
  readRetries: 2,
};

export interface RunningFake {
  readonly base: string;
  close(): Promise<void>;
}

export interface VenueOnFake {
  /** The venue's id (e.g. "bybit-demo"); it trades in demo mode. */
  id: string;
  exchange: CcxtVenueOptions['exchange'];
  symbols: string[];
  credentials: NonNullable<CcxtVenueOptions['credentials']>;
}

export interface StartedVenue<F> {
  venue: CcxtVenue;
  events: ExecutionEvent[];
  connectivity: Array<[VenueConnectivity, string | null]>;
  fake: F;
}

export interface VenueHarness<F extends RunningFake, O> {
  /** The fake exchange of the running test; throws when none is running. */
  fake: () => F;
  /** Starts a fake exchange (closed after the test) without a venue. */
  startFake: (options?: O) => Promise<F>;
  /** Starts a fresh fake exchange and a venue on it, collecting its execution and connectivity events. */
  startVenue: (options?: Partial<CcxtVenueOptions>, fakeOptions?: O) => Promise<StartedVenue<F>>;
  /** A venue the test made itself, to be stopped after it. */
  track: (venue: CcxtVenue) => CcxtVenue;
  /** Stops every venue and closes the fake (done after each test). */
  cleanUp: () => Promise<void>;
}

/**
 * Registers the suite's hooks (ccxt loaded before all, clean-up after each)
 * and answers the harness that starts venues against `startFake`'s exchange.
 */
export function useVenueHarness<F extends RunningFake, O>(startFake: (options: O) => Promise<F>, venueSpec: VenueOnFake): VenueHarness<F, O> {
  const clock = new LiveClock();
  const venues: CcxtVenue[] = [];
  let fake: F | undefined;
  // Every secret of the key (secret, passphrase) is redacted from what the venue logs or raises.
  const secrets = [venueSpec.credentials.secret, venueSpec.credentials.passphrase].filter((s): s is string => s !== undefined);

  const harness: VenueHarness<F, O> = {
    fake: () => {
      if (fake === undefined) throw new Error('no fake exchange is running');
      return fake;
    },
    startFake: async (options = {} as O) => {
      fake = await startFake(options);
      return fake;
    },
    startVenue: async (options = {}, fakeOptions = {} as O) => {
      const running = await harness.startFake(fakeOptions);
      const events: ExecutionEvent[] = [];
      const connectivity: Array<[VenueConnectivity, string | null]> = [];
      const venue = new CcxtVenue({
        id: venueSpec.id,
        exchange: venueSpec.exchange,
        mode: 'demo',
        symbols: venueSpec.symbols,
        credentials: venueSpec.credentials,
        baseUrl: running.base,
        clock,
        logger: silentLogger,
        redact: (text) => secrets.reduce((redacted, secret) => redacted.split(secret).join('[redacted]'), text),
        timings: TEST_TIMINGS,
        ...options,
      });
      venues.push(venue);
      venue.onExecution((event) => events.push(event));
      venue.onConnectivity((state, reason) => connectivity.push([state, reason]));
      await venue.start();
      return { venue, events, connectivity, fake: running };
    },
    track: (venue) => {
      venues.push(venue);
      return venue;
    },
    cleanUp: async () => {
      for (const venue of venues.splice(0)) await venue.stop();
      await fake?.close();
      fake = undefined;
    },
  };

  beforeAll(async () => {
    await loadCcxt(); // ~1-2 s once; every test after it is quick
  });
  afterEach(() => harness.cleanUp());
  afterAll(async () => {
    await fake?.close();
  });
  return harness;
}

/** Orders of a test: a resting-size limit buy of `symbol` with a fresh client order id (letters and digits, as every venue takes). */
export function orderMaker(prefix: string, symbol: string): (overrides?: Partial<SubmitOrder>) => SubmitOrder {
  let sequence = 0;
  return (overrides = {}) => {
    sequence += 1;
    return { clientOrderId: `${prefix}${Date.now().toString(36)}${sequence}`, symbol, side: 'buy', type: 'limit', quantity: '0.002', price: null, stopPrice: null, timeInForce: 'GTC', postOnly: false, reduceOnly: false, ...overrides };
  };
}

/** A limit buy price well away from the market, on the tick. */
export function restingBuyPrice(venue: CcxtVenue, symbol = 'BTC/USDT:USDT'): string {
  const tick = Dec.parse(venue.instruments().find((i) => i.symbol === symbol)!.tickSize);
  return Dec.parse(venue.ticker(symbol).bid).mul(Dec.parse('0.9')).floorTo(tick).toString();
}

/** Polls `check` every 25 ms until it holds; fails after `ms`. */
export async function until(what: string, check: () => boolean, ms = 5_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

export const ofOrder = (events: ExecutionEvent[], clientOrderId: string) => events.filter((e) => e.clientOrderId === clientOrderId);

export const rejection = (events: ExecutionEvent[], clientOrderId: string) =>
  ofOrder(events, clientOrderId).find((e) => e.type === 'OrderRejected') as Extract<ExecutionEvent, { type: 'OrderRejected' }> | undefined;
