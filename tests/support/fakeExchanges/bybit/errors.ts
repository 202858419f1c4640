/**
 * Bybit v5's refusals: a retCode and retMsg in the usual envelope, most of
 * them on HTTP 200 (ccxt maps the retCode, and a few messages, to its error
 * classes in bybit.js `exceptions`), a few on their own HTTP status.
 */
import { fixed } from '../common/decimal';

export class BybitError extends Error {
  constructor(
    readonly retCode: number,
    readonly retMsg: string,
    readonly httpStatus = 200,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${retCode} ${retMsg}`);
  }

  body(time: number): Record<string, unknown> {
    return { retCode: this.retCode, retMsg: this.retMsg, result: {}, retExtInfo: {}, time };
  }
}

export const errors = {
  params: (msg: string) => new BybitError(10001, msg),
  emptyAuth: (timestamp: string, apiKey: string, sign: string) =>
    new BybitError(10001, `empty value: apiTimestamp[${timestamp}] apiKey[${apiKey}] apiSignature[${sign}]: openapi sign params error!`),
  timestamp: (requestTime: number, serverTime: number, recvWindow: number) =>
    new BybitError(
      10002,
      `invalid request, please check your server timestamp or recv_window param. req_timestamp[${requestTime}],server_timestamp[${serverTime}],recv_window[${recvWindow}]`,
    ),
  invalidKey: () => new BybitError(10003, 'API key is invalid.', 401),
  badSign: (origin: string) => new BybitError(10004, `error sign! origin_string[${origin}]`),
  permissionDenied: () => new BybitError(10005, 'Permission denied, please check your API key permissions.'),
  rateLimited: (limit: number, resetAt: number) =>
    new BybitError(10006, 'Too many visits. Exceeded the API Rate Limit.', 200, {
      'X-Bapi-Limit': String(limit),
      'X-Bapi-Limit-Status': '0',
      'X-Bapi-Limit-Reset-Timestamp': String(resetAt),
    }),
  ipMismatch: () => new BybitError(10010, "Unmatched IP, please check your API key's bound IP addresses."),
  systemError: () => new BybitError(10016, 'Server error.'),
  routeNotFound: () => new BybitError(10017, 'Route not found.', 404),
  unsupportedSymbol: () => new BybitError(10001, 'Not supported symbols'),
  orderNotFound: () => new BybitError(110001, 'order not exists or too late to cancel'),
  insufficientBalance: () => new BybitError(110007, 'ab not enough for new order'),
  reduceOnlyZero: () => new BybitError(110017, 'current position is zero, cannot fix reduce-only order qty'),
  reduceOnlySide: () => new BybitError(110017, 'reduce-only order has same side with current position'),
  leverageNotModified: () => new BybitError(110043, 'leverage not modified'),
  duplicateOrderLinkId: () => new BybitError(110072, 'OrderLinkedID is duplicate'),
  minNotional: (min: string) => new BybitError(110094, `Order does not meet minimum order value ${min}USDT`),
  amendNothing: () => new BybitError(10001, 'params error: nothing to amend'),
  triggerSide: (direction: number, trigger: string, mark: bigint, places: number) =>
    new BybitError(
      direction === 1 ? 110092 : 110093,
      `expect ${direction === 1 ? 'Rising' : 'Falling'}, but trigger_price[${trigger}] ${direction === 1 ? '<=' : '>='} current[${fixed(mark, places)}]??LastPrice`,
    ),
} as const;
