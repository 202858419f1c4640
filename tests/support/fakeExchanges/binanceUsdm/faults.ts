/**
 * Binance's faults: ready-made actions for the failures Binance is known for,
 * in its own words, over the fake exchanges' common fault queue.
 */
import { type FaultAction, FaultQueue, TransportFaults } from '../common/faults';

export type { FailRateSpec, FaultAction, FaultHandle, FaultSpec, RouteMatcher } from '../common/faults';
export { FaultQueue } from '../common/faults';

/** Ready-made actions for the faults Binance is known for. */
export const Faults = {
  rateLimited: (retryAfterSeconds = 2): FaultAction => ({
    type: 'status',
    status: 429,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: {
      code: -1003,
      msg: 'Too many requests; current limit of IP(127.0.0.1) is 2400 requests per minute. Please use the websocket for live updates to avoid using polling API.',
    },
  }),
  ipBanned: (retryAfterSeconds = 120): FaultAction => ({
    type: 'status',
    status: 418,
    headers: { 'Retry-After': String(retryAfterSeconds) },
    body: { code: -1003, msg: 'Way too many requests; IP banned until 1900000000000. Please use the websocket for live updates to avoid bans.' },
  }),
  internalError: (process = false): FaultAction => ({
    type: 'status',
    status: 503,
    process,
    body: { code: -1001, msg: 'Internal error; unable to process your request. Please try again.' },
  }),
  serverBusy: (process = false): FaultAction => ({
    type: 'status',
    status: 503,
    process,
    body: { code: -1008, msg: 'Request throttled by system-level protection. Reduce-only/close-position orders are exempt. Please try again.' },
  }),
  htmlBadGateway: TransportFaults.badGateway,
  delay: TransportFaults.delay,
  hang: TransportFaults.hang,
  reset: TransportFaults.reset,
  loseResponse: TransportFaults.loseResponse,
  reject: (code: number, msg: string, status = 400): FaultAction => ({ type: 'reject', code, msg, status }),
} as const;

/** A queue whose random failures are Binance's: 503 -1001, an HTML 502, a reset or a lost response. */
export function binanceFaultQueue(): FaultQueue {
  return new FaultQueue([Faults.internalError(), Faults.htmlBadGateway(), Faults.reset(), Faults.loseResponse()]);
}
