import { describe, expect, it } from 'vitest';
import { classifyFailure, errorClassNames } from './venueErrors';

/** Classes shaped like ccxt's (named by class and by `name`), without loading ccxt. */
class BaseError extends Error {}
class ExchangeError extends BaseError {}
class InvalidOrder extends ExchangeError {}
class OrderNotFound extends InvalidOrder {}
class InsufficientFunds extends ExchangeError {}
class OperationRejected extends ExchangeError {}
class AuthenticationError extends ExchangeError {}
class OperationFailed extends BaseError {}
class NetworkError extends OperationFailed {}
class RequestTimeout extends NetworkError {}
class DDoSProtection extends NetworkError {}
class RateLimitExceeded extends NetworkError {}
class InvalidNonce extends NetworkError {}

describe('classifyFailure', () => {
  it('reads ccxt classes along the prototype chain', () => {
    expect(errorClassNames(new RequestTimeout('x'))).toEqual(expect.arrayContaining(['RequestTimeout', 'NetworkError', 'OperationFailed']));
  });

  it('a transport failure, a 5xx or a plain exchange error on a write is an unknown outcome, never a rejection', () => {
    expect(classifyFailure(new RequestTimeout('binanceusdm POST https://… timed out')).kind).toBe('unknown');
    expect(classifyFailure(new OperationFailed('{"code":-1008,"msg":"Server is currently overloaded"}')).kind).toBe('unknown');
    expect(classifyFailure(new ExchangeError('something odd')).kind).toBe('unknown');
    expect(classifyFailure(new Error('socket hang up')).kind).toBe('unknown');
    // A duplicate client id means an earlier send of this very order arrived: asked about, not rejected.
    expect(classifyFailure(new InvalidOrder('binanceusdm {"code":-4116,"msg":"ClientOrderId is duplicated."}')).kind).toBe('unknown');
  });

  it('a refusal carries the venue code and its own words', () => {
    expect(classifyFailure(new InvalidOrder('binanceusdm POST http://x {"code":-4164,"msg":"Order\'s notional must be no smaller than 100"}'))).toEqual({
      kind: 'refused',
      code: 'MIN_NOTIONAL',
      reason: "Order's notional must be no smaller than 100",
    });
    expect(classifyFailure(new InvalidOrder('{"code":-2022,"msg":"ReduceOnly Order is rejected."}'))).toMatchObject({ kind: 'refused', code: 'REDUCE_ONLY_REJECTED' });
    expect(classifyFailure(new InsufficientFunds('{"code":-2019,"msg":"Margin is insufficient."}'))).toMatchObject({ kind: 'refused', code: 'INSUFFICIENT_MARGIN' });
    expect(classifyFailure(new OperationRejected('{"code":-2027,"msg":"Exceeded the maximum allowable position at current leverage."}'))).toMatchObject({ kind: 'refused', code: 'LEVERAGE_BRACKET_EXCEEDED' });
    expect(classifyFailure(new InvalidOrder('{"code":"1","data":[{"sCode":"51004","sMsg":"Order amount exceeds current tier limit."}]}'))).toMatchObject({ kind: 'refused', code: 'LEVERAGE_BRACKET_EXCEEDED' });
    expect(classifyFailure(new InvalidOrder('{"code":-5022,"msg":"Due to the order could not be executed as maker, the Post Only order will be rejected."}'))).toMatchObject({ code: 'POST_ONLY_REJECTED' });
  });

  it('rate limits, bans, clock skew, refused keys and missing orders each have their own outcome', () => {
    expect(classifyFailure(new DDoSProtection('binanceusdm 429 Too Many Requests'))).toMatchObject({ kind: 'rate-limited', banned: false });
    expect(classifyFailure(new DDoSProtection('binanceusdm 418 I am a teapot'))).toMatchObject({ kind: 'rate-limited', banned: true });
    expect(classifyFailure(new InvalidNonce('{"code":-1021,"msg":"Timestamp for this request is outside of the recvWindow."}')).kind).toBe('clock-skew');
    expect(classifyFailure(new AuthenticationError('{"code":-2015,"msg":"Invalid API-key, IP, or permissions for action."}')).kind).toBe('auth');
    expect(classifyFailure(new OrderNotFound('{"code":-2013,"msg":"Order does not exist."}')).kind).toBe('not-found');
  });

  it("reads Bybit's retCode: a minimum order value and the reduce-only rule are refusals with their code, a duplicate orderLinkId an unknown outcome", () => {
    const bybit = (retCode: number, retMsg: string) => `bybit {"retCode":${retCode},"retMsg":"${retMsg}","result":{},"retExtInfo":{},"time":1767225600000}`;
    expect(classifyFailure(new InvalidOrder(bybit(110094, 'Order does not meet minimum order value 5USDT')))).toEqual({
      kind: 'refused',
      code: 'MIN_NOTIONAL',
      reason: 'Order does not meet minimum order value 5USDT',
    });
    expect(classifyFailure(new InvalidOrder(bybit(110017, 'current position is zero, cannot fix reduce-only order qty')))).toMatchObject({ kind: 'refused', code: 'REDUCE_ONLY_REJECTED' });
    expect(classifyFailure(new InsufficientFunds(bybit(110007, 'ab not enough for new order')))).toMatchObject({ kind: 'refused', code: 'INSUFFICIENT_MARGIN' });
    expect(classifyFailure(new InvalidOrder(bybit(110072, 'OrderLinkedID is duplicate'))).kind).toBe('unknown');
    expect(classifyFailure(new RateLimitExceeded(bybit(10006, 'Too many visits. Exceeded the API Rate Limit.')))).toMatchObject({ kind: 'rate-limited', banned: false });
    expect(classifyFailure(new InvalidNonce(bybit(10002, 'invalid request, please check your server timestamp or recv_window param'))).kind).toBe('clock-skew');
    expect(classifyFailure(new AuthenticationError(bybit(10004, 'error sign!'))).kind).toBe('auth');
    expect(classifyFailure(new OrderNotFound(bybit(110001, 'order not exists or too late to cancel'))).kind).toBe('not-found');
    // A system error on a write (10016, a plain ExchangeError) may have been carried out.
    expect(classifyFailure(new ExchangeError(bybit(10016, 'Server error.'))).kind).toBe('unknown');
  });

  it("reads OKX's refused order by its sCode and words: margin, size and the reduce-only rule are refusals with their code, a duplicate clOrdId an unknown outcome", () => {
    // How ccxt words an OKX refusal: the answer's code "1" says only that every order failed; the order's entry says why.
    const okx = (sCode: number, sMsg: string) =>
      `okx {"code":"1","data":[{"clOrdId":"kb1","ordId":"","sCode":"${sCode}","sMsg":"${sMsg}","tag":"","ts":"1767225600000"}],"inTime":"1767225600000000","msg":"All operations failed","outTime":"1767225600000000"}`;
    expect(classifyFailure(new InsufficientFunds(okx(51008, 'Order failed. Insufficient USDT margin in account')))).toEqual({
      kind: 'refused',
      code: 'INSUFFICIENT_MARGIN',
      reason: 'Order failed. Insufficient USDT margin in account',
    });
    expect(classifyFailure(new InvalidOrder(okx(51020, 'Your order should meet or exceed the minimum order amount.')))).toMatchObject({ kind: 'refused', code: 'INVALID_PRECISION' });
    expect(classifyFailure(new InvalidOrder(okx(51121, 'Order quantity must be a multiple of the lot size.')))).toMatchObject({ kind: 'refused', code: 'INVALID_PRECISION' });
    // ccxt has no class for 51169 and raises a plain ExchangeError, which alone would read as an unknown outcome.
    expect(classifyFailure(new ExchangeError(okx(51169, "Order failed because you don't have any positions in this direction for this contract to reduce or close.")))).toMatchObject({
      kind: 'refused',
      code: 'REDUCE_ONLY_REJECTED',
    });
    expect(classifyFailure(new InvalidOrder(okx(51016, 'Duplicated clOrdId'))).kind).toBe('unknown');
    expect(classifyFailure(new RateLimitExceeded('okx {"msg":"Too Many Requests","code":"50011"}'))).toMatchObject({ kind: 'rate-limited', banned: false, reason: 'Too Many Requests' });
    expect(classifyFailure(new InvalidNonce('okx {"msg":"Timestamp request expired.","code":"50102"}')).kind).toBe('clock-skew');
    expect(classifyFailure(new AuthenticationError('okx {"msg":"Invalid Sign.","code":"50113"}'))).toMatchObject({ kind: 'auth', reason: 'Invalid Sign.' });
    expect(classifyFailure(new OrderNotFound('okx {"code":"51603","data":[],"msg":"Order does not exist"}')).kind).toBe('not-found');
    // "Systems are busy" (50013, ccxt: ExchangeNotAvailable) on a write may have been carried out.
    expect(classifyFailure(new NetworkError('okx {"code":"50013","data":[],"msg":"Systems are busy. Please try again later."}')).kind).toBe('unknown');
  });

  it('cleans the reason with the redactor it is given', () => {
    const failure = classifyFailure(new OperationFailed('upstream said s3cr3t'), (text) => text.replaceAll('s3cr3t', '[redacted]'));
    expect(failure.reason).toBe('upstream said [redacted]');
  });
});
