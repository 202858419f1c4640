/**
 * Bybit's faults, in its own words, over the fake exchanges' common fault
 * queue. A `reject` is answered in Bybit's envelope ({retCode, retMsg}) on
 * HTTP 200 unless it names a status.
 */
import { type FaultAction, FaultQueue } from '../common/faults';

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
  reject: (retCode: number, retMsg: string, status = 200): FaultAction => ({ type: 'reject', code: retCode, msg: retMsg, status }),
} as const;

/** A random failure as Bybit fails: 10016, an HTML 502, a reset or a lost response. */
export function bybitFaultQueue(): FaultQueue {
  return new FaultQueue([BybitFaults.systemError(), BybitFaults.badGateway(), BybitFaults.reset(), BybitFaults.loseResponse()]);
}
