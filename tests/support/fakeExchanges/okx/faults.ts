/**
 * OKX's faults, in its own words, over the fake exchanges' common fault
 * queue. A `reject` is answered in OKX's envelope ({code, msg, data: []}) on
 * HTTP 200 unless it names a status.
 */
import { type FaultAction, FaultQueue, TransportFaults } from '../common/faults';

export type { FailRateSpec, FaultAction, FaultHandle, FaultSpec, RouteMatcher } from '../common/faults';
export { FaultQueue } from '../common/faults';

export const OkxFaults = {
  /** 50011 on HTTP 429, no Retry-After (ccxt: RateLimitExceeded, read from the body before the status). */
  rateLimited: (): FaultAction => ({ type: 'status', status: 429, body: { msg: 'Too Many Requests', code: '50011' } }),
  /** 50013 on HTTP 200: the request may or may not have been carried out (ccxt: ExchangeNotAvailable). */
  systemBusy: (process = false): FaultAction => ({ type: 'status', status: 200, process, body: { code: '50013', data: [], msg: 'Systems are busy. Please try again later.' } }),
  /** 50004: OKX's own "does not indicate success or failure of order" (ccxt: RequestTimeout). */
  endpointTimeout: (process = false): FaultAction => ({
    type: 'status',
    status: 200,
    process,
    body: { code: '50004', data: [], msg: 'API endpoint request timeout (does not indicate success or failure of order, please check order status).' },
  }),
  ...TransportFaults,
  reject: (code: number, msg: string, status = 200): FaultAction => ({ type: 'reject', code, msg, status }),
} as const;

/** A random failure as OKX fails: 50013, an HTML 502, a reset or a lost response. */
export function okxFaultQueue(): FaultQueue {
  return new FaultQueue([OkxFaults.systemBusy(), OkxFaults.badGateway(), OkxFaults.reset(), OkxFaults.loseResponse()]);
}
