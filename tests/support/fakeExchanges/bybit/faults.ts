/**
 * Bybit's faults, in its own words, over the fake exchanges' common fault
 * queue. A `reject` is answered in Bybit's envelope ({retCode, retMsg}) on
 * HTTP 200 unless it names a status.
 */
import { type FaultAction, FaultQueue, TransportFaults } from '../common/faults';

export type { FailRateSpec, FaultAction, FaultHandle, FaultSpec, RouteMatcher } from '../common/faults';
export { FaultQueue } from '../common/faults';

export const BybitFaults = {
  /** The per-key limit (retCode 10006 on HTTP 200; ccxt: RateLimitExceeded). */
  rateLimited: (resetInMs = 1_000): FaultAction => ({
    type: 'status',
    status: 200,
    headers: { 'X-Bapi-Limit': '10', 'X-Bapi-Limit-Status': '0', 'X-Bapi-Limit-Reset-Timestamp': String(Date.now() + resetInMs) },
    body: { retCode: 10006, retMsg: 'Too many visits. Exceeded the API Rate Limit.', result: {}, retExtInfo: {}, time: Date.now() },
  }),
  /** The IP limit: a bare 403 from the gateway (ccxt: RateLimitExceeded from its httpExceptions). */
  ipRateLimited: (): FaultAction => ({ type: 'status', status: 403, headers: { 'Content-Type': 'text/plain' }, body: 'access too frequent' }),
  /** retCode 10016 on HTTP 200: the request may or may not have been carried out (ccxt: ExchangeError). */
  systemError: (process = false): FaultAction => ({
    type: 'status',
    status: 200,
    process,
    body: { retCode: 10016, retMsg: 'Server error.', result: {}, retExtInfo: {}, time: Date.now() },
  }),
  ...TransportFaults,
  reject: (retCode: number, retMsg: string, status = 200): FaultAction => ({ type: 'reject', code: retCode, msg: retMsg, status }),
} as const;

/** A random failure as Bybit fails: 10016, an HTML 502, a reset or a lost response. */
export function bybitFaultQueue(): FaultQueue {
  return new FaultQueue([BybitFaults.systemError(), BybitFaults.badGateway(), BybitFaults.reset(), BybitFaults.loseResponse()]);
}
