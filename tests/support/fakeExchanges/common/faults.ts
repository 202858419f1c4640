/**
 * The fault queue of the fake exchanges: what the next matching request(s)
 * suffer instead of (or as well as) a normal answer, and an optional seeded
 * random failure rate for chosen routes. Each action names where it strikes
 * relative to processing: status/reject answer without processing (unless
 * `process` is set), delay processes late, hang never answers nor processes,
 * reset drops the socket before processing, loseResponse processes and then
 * drops the socket. A `reject` is written in each exchange's own error shape
 * by its server.
 */
import { Rng } from '../../rng';

/** "POST /fapi/v1/order" (method and path), "/fapi/v1/order" (any method), or a RegExp tested on "METHOD /path". */
export type RouteMatcher = string | RegExp;

export type FaultAction =
  | { type: 'status'; status: number; body?: string | Record<string, unknown>; headers?: Record<string, string>; process?: boolean }
  | { type: 'reject'; code: number; msg: string; status?: number; process?: boolean }
  | { type: 'delay'; ms: number }
  | { type: 'hang' }
  | { type: 'reset' }
  | { type: 'loseResponse' };

/** The failures that are no exchange's own words: a gateway's HTML 502 or plain 503, and an answer late, missing or cut. */
export const TransportFaults = {
  /** A 5xx from the gateway with an HTML page (ccxt: ExchangeNotAvailable). */
  badGateway: (): FaultAction => ({
    type: 'status',
    status: 502,
    headers: { 'Content-Type': 'text/html' },
    body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n</body>\r\n</html>\r\n',
  }),
  serviceUnavailable: (): FaultAction => ({ type: 'status', status: 503, headers: { 'Content-Type': 'text/plain' }, body: 'Service Unavailable' }),
  delay: (ms: number): FaultAction => ({ type: 'delay', ms }),
  hang: (): FaultAction => ({ type: 'hang' }),
  reset: (): FaultAction => ({ type: 'reset' }),
  loseResponse: (): FaultAction => ({ type: 'loseResponse' }),
} as const;

export interface FaultSpec {
  match: RouteMatcher;
  /** How many matching requests it strikes (default 1; Infinity for all). */
  times?: number;
  action: FaultAction;
}

export interface FailRateSpec {
  /** Probability in [0, 1] that a matching request fails. */
  rate: number;
  /** Which routes may fail (default: every route). */
  match?: RouteMatcher | RouteMatcher[];
  seed?: number;
  /** Failures to draw from (default: the exchange's own, given to the queue). */
  actions?: FaultAction[];
}

export interface FaultHandle {
  readonly id: number;
  remaining(): number;
  cancel(): void;
}

export function matches(matcher: RouteMatcher, method: string, path: string): boolean {
  if (matcher instanceof RegExp) return matcher.test(`${method} ${path}`);
  const space = matcher.indexOf(' ');
  if (space < 0) return matcher === path;
  return matcher.slice(0, space).toUpperCase() === method && matcher.slice(space + 1) === path;
}

interface Armed {
  id: number;
  match: RouteMatcher;
  remaining: number;
  action: FaultAction;
}

export class FaultQueue {
  private armed: Armed[] = [];
  private nextId = 1;
  private failRate: { spec: FailRateSpec; rng: Rng } | null = null;

  /** `randomFailures`: what a random failure is when a fail-rate spec names none (each exchange fails in its own words). */
  constructor(private readonly randomFailures: FaultAction[]) {}

  inject(spec: FaultSpec): FaultHandle {
    const entry: Armed = { id: this.nextId++, match: spec.match, remaining: spec.times ?? 1, action: spec.action };
    this.armed.push(entry);
    return {
      id: entry.id,
      remaining: () => entry.remaining,
      cancel: () => {
        this.armed = this.armed.filter((a) => a !== entry);
      },
    };
  }

  setFailRate(spec: FailRateSpec | null): void {
    if (spec !== null && (spec.rate < 0 || spec.rate > 1)) throw new Error(`failRate must be within [0, 1], got ${spec.rate}`);
    this.failRate = spec === null ? null : { spec, rng: new Rng(spec.seed ?? 1) };
  }

  clear(): void {
    this.armed = [];
    this.failRate = null;
  }

  /** Armed faults not yet spent, for a test's post-mortem. */
  pending(): { id: number; match: string; remaining: number; action: FaultAction['type'] }[] {
    return this.armed.map((a) => ({ id: a.id, match: String(a.match), remaining: a.remaining, action: a.action.type }));
  }

  /** The fault a request meets, if any: armed faults first (in order), then the random failure rate. */
  take(method: string, path: string): FaultAction | undefined {
    const hit = this.armed.find((a) => a.remaining > 0 && matches(a.match, method, path));
    if (hit !== undefined) {
      hit.remaining -= 1;
      if (hit.remaining <= 0) this.armed = this.armed.filter((a) => a !== hit);
      return hit.action;
    }
    if (this.failRate === null) return undefined;
    const { spec, rng } = this.failRate;
    const matchers = spec.match === undefined ? undefined : Array.isArray(spec.match) ? spec.match : [spec.match];
    if (matchers !== undefined && !matchers.some((m) => matches(m, method, path))) return undefined;
    if (!rng.chance(spec.rate)) return undefined;
    const actions = spec.actions ?? this.randomFailures;
    return actions[rng.int(actions.length)];
  }
}
