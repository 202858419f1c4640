/**
 * What every fake exchange offers a test, whatever it speaks: the options it
 * starts with (its clock and skew, a random failure rate, the starting
 * account, where it listens) and the handle it answers (its address, journal
 * and fault queue, and the levers a test pulls). Each exchange extends them
 * with its own parts; the skewed clock is what its state, keys and server
 * share.
 */
import type { RunningServer } from './fakeServer';
import type { FailRateSpec, FaultHandle, FaultQueue, FaultSpec } from './faults';
import { RequestJournal } from './journal';

export interface FakeExchangeOptions {
  /** Starting USDT wallet balance (default "10000"). */
  walletBalance?: string;
  makerRate?: string;
  takerRate?: string;
  defaultLeverage?: number;
  /** The server's clock before skew (default Date.now). */
  now?: () => number;
  /** Server clock minus client clock, in ms (default 0). */
  clockSkewMs?: number;
  /** A random failure rate from the start (emergency-stop style tests). */
  failRate?: FailRateSpec;
  host?: string;
  port?: number;
}

export interface FakeExchangeHandle {
  /** http://127.0.0.1:PORT: what every ccxt REST URL's origin becomes (and the WebSocket URLs' where the streams share the port). */
  readonly base: string;
  readonly port: number;
  readonly journal: RequestJournal;
  readonly faults: FaultQueue;
  serverTime(): number;
  setMark(symbol: string, price: string): void;
  inject(spec: FaultSpec): FaultHandle;
  setFailRate(spec: FailRateSpec | null): void;
  setClockSkew(ms: number): void;
  adjustWallet(amount: string): void;
  /** Settles one funding interval at `rate` on `symbol`'s position at its mark (the exchange's own symbol); answers the amount credited ("0" when flat). */
  settleFunding(symbol: string, rate: string): string;
  revokeKey(apiKey: string): void;
  close(): Promise<void>;
}

/** A server clock that runs ahead of (or behind) the given one by a skew a test may change. */
export function skewedClock(base: () => number = Date.now, skewMs = 0): { now: () => number; setSkew: (ms: number) => void } {
  let skew = skewMs;
  return {
    now: () => base() + skew,
    setSkew: (ms) => {
      skew = ms;
    },
  };
}

/** The parts every fake starts with: its skewed clock, its fault queue (failing at random from the start if asked) and its request journal. */
export function fakeExchangeBasics(options: FakeExchangeOptions, faults: FaultQueue): { now: () => number; setSkew: (ms: number) => void; faults: FaultQueue; journal: RequestJournal } {
  const { now, setSkew } = skewedClock(options.now, options.clockSkewMs);
  if (options.failRate !== undefined) faults.setFailRate(options.failRate);
  return { now, setSkew, faults, journal: new RequestJournal() };
}

export type CommonLevers = Pick<FakeExchangeHandle, 'serverTime' | 'setMark' | 'inject' | 'setFailRate' | 'setClockSkew' | 'adjustWallet' | 'settleFunding' | 'revokeKey'>;

/** The levers every fake's handle has, pulled on its clock, fault queue, account and keys. */
export function commonLevers(parts: {
  now: () => number;
  setSkew: (ms: number) => void;
  faults: FaultQueue;
  state: { setMark(symbol: string, price: string): void; adjustWallet(amount: string): void; settleFunding(symbol: string, rate: string): string };
  keys: { revoke(apiKey: string): void };
}): CommonLevers {
  const { state, faults, keys } = parts;
  return {
    serverTime: parts.now,
    setMark: (symbol, price) => state.setMark(symbol, price),
    inject: (spec) => faults.inject(spec),
    setFailRate: (spec) => faults.setFailRate(spec),
    setClockSkew: parts.setSkew,
    adjustWallet: (amount) => state.adjustWallet(amount),
    settleFunding: (symbol, rate) => state.settleFunding(symbol, rate),
    revokeKey: (apiKey) => keys.revoke(apiKey),
  };
}

/** Where a started fake listens, and how it stops. */
export function served(host: string, server: RunningServer): { base: string; port: number; close: () => Promise<void> } {
  return { base: `http://${host}:${server.port}`, port: server.port, close: () => server.close() };
}
