/**
 * Binance's error answers, code and message as the USD-M futures API writes
 * them: ccxt maps some errors by code and some by message text, so both must match.
 */
export class BinanceError extends Error {
  constructor(
    readonly code: number,
    readonly msg: string,
    readonly status = 400,
    readonly headers: Record<string, string> = {},
  ) {
    super(`${code} ${msg}`);
  }

  body(): { code: number; msg: string } {
    return { code: this.code, msg: this.msg };
  }
}

const DECIMAL_RANGE = '^([0-9]{1,20})(\\.[0-9]{1,20})?$';

export const errors = {
  unknown: () => new BinanceError(-1000, 'An unknown error occured while processing the request.', 500),
  internal: () => new BinanceError(-1001, 'Internal error; unable to process your request. Please try again.', 503),
  tooManyRequests: (limit: number, ip: string, retryAfterSeconds: number) =>
    new BinanceError(
      -1003,
      `Too many requests; current limit of IP(${ip}) is ${limit} requests per minute. Please use the websocket for live updates to avoid using polling API.`,
      429,
      { 'Retry-After': String(retryAfterSeconds) },
    ),
  ipBanned: (untilMs: number) =>
    new BinanceError(-1003, `Way too many requests; IP banned until ${untilMs}. Please use the websocket for live updates to avoid bans.`, 418, {
      'Retry-After': '120',
    }),
  throttled: () =>
    new BinanceError(-1008, 'Request throttled by system-level protection. Reduce-only/close-position orders are exempt. Please try again.', 503),
  tooManyOrders: (limit: number, interval: string, retryAfterSeconds: number) =>
    new BinanceError(-1015, `Too many new orders; current limit is ${limit} orders per ${interval}.`, 429, {
      'Retry-After': String(retryAfterSeconds),
    }),
  timestampAhead: () => new BinanceError(-1021, "Timestamp for this request was 1000ms ahead of the server's time."),
  outsideRecvWindow: () => new BinanceError(-1021, 'Timestamp for this request is outside of the recvWindow.'),
  badSignature: () => new BinanceError(-1022, 'Signature for this request is not valid.'),
  illegalCharacters: (param: string) => new BinanceError(-1100, `Illegal characters found in parameter '${param}'; legal range is '${DECIMAL_RANGE}'.`),
  mandatory: (param: string) => new BinanceError(-1102, `Mandatory parameter '${param}' was not sent, was empty/null, or malformed.`),
  eitherParam: (a: string, b: string) => new BinanceError(-1102, `Param '${a}' or '${b}' must be sent, but both were empty/null!`),
  notRequired: (param: string) => new BinanceError(-1106, `Parameter '${param}' sent when not required.`),
  precision: () => new BinanceError(-1111, 'Precision is over the maximum defined for this asset.'),
  invalidTimeInForce: () => new BinanceError(-1115, 'Invalid timeInForce.'),
  invalidOrderType: () => new BinanceError(-1116, 'Invalid orderType.'),
  invalidSide: () => new BinanceError(-1117, 'Invalid side.'),
  invalidInterval: () => new BinanceError(-1120, 'Invalid interval.'),
  invalidSymbol: () => new BinanceError(-1121, 'Invalid symbol.'),
  invalidListenKey: () => new BinanceError(-1125, 'This listenKey does not exist.'),
  invalidRecvWindow: () => new BinanceError(-1131, 'recvWindow must be less than 60000'),
  unknownOrderSent: () => new BinanceError(-2011, 'Unknown order sent.'),
  orderDoesNotExist: () => new BinanceError(-2013, 'Order does not exist.'),
  apiKeyFormat: () => new BinanceError(-2014, 'API-key format invalid.', 401),
  invalidApiKey: (ip: string) => new BinanceError(-2015, `Invalid API-key, IP, or permissions for action, request ip: ${ip}`, 401),
  marginInsufficient: () => new BinanceError(-2019, 'Margin is insufficient.'),
  wouldTrigger: () => new BinanceError(-2021, 'Order would immediately trigger.'),
  reduceOnlyRejected: () => new BinanceError(-2022, 'ReduceOnly Order is rejected.'),
  maxOpenOrders: () => new BinanceError(-2025, 'Reach max open order limit.'),
  priceAboveMax: () => new BinanceError(-4002, 'Price greater than max price.'),
  quantityNotPositive: () => new BinanceError(-4003, 'Quantity less than or equal to zero.'),
  quantityBelowMin: () => new BinanceError(-4004, 'Quantity less than min quantity.'),
  quantityAboveMax: () => new BinanceError(-4005, 'Quantity greater than max quantity.'),
  priceBelowMin: () => new BinanceError(-4013, 'Price less than min price.'),
  priceNotTick: () => new BinanceError(-4014, 'Price not increased by tick size.'),
  invalidClientOrderId: () => new BinanceError(-4015, 'Client order id is not valid.'),
  limitPriceTooHigh: (cap: string) => new BinanceError(-4016, `Limit price can't be higher than ${cap}.`),
  quantityNotStep: () => new BinanceError(-4023, 'Quantity not increased by step size.'),
  limitPriceTooLow: (floor: string) => new BinanceError(-4024, `Limit price can't be lower than ${floor}.`),
  invalidLeverage: (leverage: string) => new BinanceError(-4028, `Leverage ${leverage} is not valid`),
  maxStopOrders: () => new BinanceError(-4045, 'Reach max stop order limit.'),
  invalidCallbackRate: () => new BinanceError(-2007, 'Invalid callBack rate.'),
  modifyLimitOnly: () => new BinanceError(-4030, 'Only limit order is supported.'),
  useAlgoApi: () => new BinanceError(-4120, 'Order type not supported for this endpoint. Please use the Algo Order API endpoints instead.'),
  duplicateClientOrderId: () => new BinanceError(-4116, 'ClientOrderId is duplicated.'),
  minNotional: (notional: string) => new BinanceError(-4164, `Order's notional must be no smaller than ${notional} (unless you choose reduce only).`),
  invalidPath: (method: string, path: string) => new BinanceError(-5000, `Path ${path}, Method ${method} is invalid`, 404),
  fokRejected: () =>
    new BinanceError(-5021, 'Due to the order could not be filled immediately, the FOK order has been rejected. The order will not be recorded in the order history'),
  postOnlyRejected: () =>
    new BinanceError(-5022, 'Due to the order could not be executed as maker, the Post Only order will be rejected. The order will not be recorded in the order history'),
  duplicateClientAlgoId: () => new BinanceError(-20132, 'The client algo id is duplicated'),
} as const;
