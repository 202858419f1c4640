/**
 * OKX v5's refusals. A request-level refusal is {code, msg, data: []} with
 * its own HTTP status (401 for keys, signatures and timestamps, 429 for the
 * rate limit, 200 for the rest); an order-level one sits in the order's entry
 * of `data` as sCode/sMsg under code "1" ("All operations failed"). ccxt maps
 * both, sCode first, through okx.js `exceptions.exact`.
 */
export class OkxError extends Error {
  constructor(
    readonly code: string,
    readonly msg: string,
    readonly httpStatus = 200,
  ) {
    super(`${code} ${msg}`);
  }

  body(): Record<string, unknown> {
    return { code: this.code, data: [], msg: this.msg };
  }
}

export const errors = {
  // ---- request level ----------------------------------------------------------------------
  params: (name: string) => new OkxError('51000', `Parameter ${name} error`),
  emptyParam: (name: string) => new OkxError('50014', `Parameter ${name} can not be empty.`),
  bodyNotJson: () => new OkxError('50002', 'Json data format error.'),
  routeNotFound: () => new OkxError('404', 'Not Found', 404),
  systemBusy: () => new OkxError('50013', 'Systems are busy. Please try again later.'),
  rateLimited: () => new OkxError('50011', 'Too Many Requests', 429),
  environment: () => new OkxError('50101', 'APIKey does not match current environment.', 401),
  timestampExpired: () => new OkxError('50102', 'Timestamp request expired.', 401),
  emptyKey: () => new OkxError('50103', 'Request header OK-ACCESS-KEY cannot be empty.', 401),
  emptyPassphrase: () => new OkxError('50104', 'Request header OK-ACCESS-PASSPHRASE cannot be empty.', 401),
  badPassphrase: () => new OkxError('50105', 'Request header OK-ACCESS-PASSPHRASE incorrect.', 401),
  emptySign: () => new OkxError('50106', 'Request header OK-ACCESS-SIGN cannot be empty.', 401),
  emptyTimestamp: () => new OkxError('50107', 'Request header OK-ACCESS-TIMESTAMP cannot be empty.', 401),
  ipNotAllowed: (ip: string) => new OkxError('50110', `Your IP ${ip} is not included in your API key's IP whitelist.`, 401),
  invalidKey: () => new OkxError('50111', 'Invalid OK-ACCESS-KEY.', 401),
  invalidTimestamp: () => new OkxError('50112', 'Invalid OK-ACCESS-TIMESTAMP.', 401),
  badSign: () => new OkxError('50113', 'Invalid Sign.', 401),
  /** A read-only key asking to trade. */
  notAuthorized: () => new OkxError('50114', 'Invalid authorization.', 401),
  instrumentNotFound: () => new OkxError('51001', "Instrument ID or Spread ID doesn't exist."),
  orderNotFound: () => new OkxError('51603', 'Order does not exist'),
  // ---- order level (sCode) ------------------------------------------------------------------
  insufficientMargin: () => new OkxError('51008', 'Order failed. Insufficient USDT margin in account'),
  duplicateClOrdId: () => new OkxError('51016', 'Duplicated clOrdId'),
  belowMinSize: (min: string) => new OkxError('51020', `Your order should meet or exceed the minimum order amount (${min} contracts).`),
  notLotMultiple: () => new OkxError('51121', 'Order quantity must be a multiple of the lot size.'),
  reduceOnlyNoPosition: () => new OkxError('51169', "Order failed because you don't have any positions in this direction for this contract to reduce or close."),
  reduceOnlySameSide: () => new OkxError('51170', "Failed to place order. A reduce-only order can't be the same direction as your existing position."),
  aboveMaxSize: (max: string) => new OkxError('51202', `Market order amount exceeds the maximum amount (${max} contracts).`),
  aboveMaxLimitSize: (max: string) => new OkxError('51203', `Order amount exceeds the limit ${max}.`),
  tooManyInBatch: () => new OkxError('51111', 'Maximum 20 orders can be placed in bulk.'),
  cancelNotFound: () => new OkxError('51400', 'Order cancellation failed as the order has been filled, canceled or does not exist.'),
  amendNotFound: () => new OkxError('51503', 'Order modification failed as the order has been filled, canceled or does not exist.'),
  amendBelowFilled: () => new OkxError('51512', 'Failed to amend order. The new order size must be greater than the filled quantity.'),
  algoNotFound: () => new OkxError('51603', 'Order does not exist'),
  algoCancelFailed: () => new OkxError('51400', 'Cancellation failed as the order has been filled, canceled or does not exist.'),
  duplicateAlgoClOrdId: () => new OkxError('51065', 'algoClOrdId already exists.'),
  wouldTrigger: (what: string) => new OkxError('51280', `${what} trigger price would trigger at once.`),
} as const;
