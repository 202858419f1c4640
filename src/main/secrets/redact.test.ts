import { inspect } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createRedactor, REDACTED } from './redact';

const SECRET = 'Zx9/secret+value=with spaces&"quotes"';
const API_KEY = 'vmPUZE6mv9SD5VNHk4HlWFsOr6aKE2zvsw0MuIgwCIPy6utIco14y7Ju91duEh8A';

function withSecrets(...secrets: string[]) {
  const redactor = createRedactor();
  for (const secret of secrets) redactor.add(secret);
  return redactor;
}

describe('redact (text)', () => {
  it('replaces every occurrence of a registered secret', () => {
    const { redact } = withSecrets(API_KEY);
    expect(redact(`key ${API_KEY} and again ${API_KEY}.`)).toBe(`key ${REDACTED} and again ${REDACTED}.`);
  });

  it('replaces its URL-encoded, form-encoded, base64 (padded, unpadded, url-safe) and JSON-escaped forms too', () => {
    const { redact } = withSecrets(SECRET);
    const base64 = Buffer.from(SECRET).toString('base64');
    const forms = [
      encodeURIComponent(SECRET),
      encodeURIComponent(SECRET).replace(/%20/g, '+'),
      base64,
      base64.replace(/=+$/, ''),
      Buffer.from(SECRET).toString('base64url'),
      JSON.stringify(SECRET).slice(1, -1),
    ];
    for (const form of forms) {
      expect(redact(`before ${form} after`)).toBe(`before ${REDACTED} after`);
    }
    expect(redact(JSON.stringify({ note: `x ${SECRET} y` }))).toBe(`{"note":"x ${REDACTED} y"}`);
  });

  it('treats the secret as text, not as a pattern', () => {
    const { redact } = withSecrets('a.c*(x)');
    expect(redact('abc*(x) a.c*(x)')).toBe(`abc*(x) ${REDACTED}`);
  });

  it('replaces a secret that contains another secret whole', () => {
    const { redact } = withSecrets('abcd1234', 'abcd1234efgh5678');
    expect(redact('abcd1234efgh5678 abcd1234')).toBe(`${REDACTED} ${REDACTED}`);
  });

  it('counts registrations: two venues sharing a passphrase, one removed, still redact it', () => {
    const redactor = withSecrets('shared-pass', 'shared-pass');
    redactor.remove('shared-pass');
    expect(redactor.redact('shared-pass')).toBe(REDACTED);
    redactor.remove('shared-pass');
    expect(redactor.redact('shared-pass')).toBe('shared-pass');
    redactor.remove('never-added');
    redactor.add('');
    expect(redactor.redact('text stays text')).toBe('text stays text');
  });

  it('blanks credential-named fields whatever their value, in query strings, headers, JSON and util.inspect output', () => {
    const { redact } = createRedactor();
    expect(redact('GET https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&timestamp=1700000000000&signature=9c2f0e7ab1#frag')).toBe(
      `GET https://fapi.binance.com/fapi/v1/order?symbol=BTCUSDT&timestamp=1700000000000&signature=${REDACTED}#frag`,
    );
    expect(redact('X-MBX-APIKEY: abc123\nContent-Type: application/json')).toBe(`X-MBX-APIKEY: ${REDACTED}\nContent-Type: application/json`);
    expect(redact('{"apiKey":"AK-1","secret":"S\\"2","passphrase":"P 3","password":"PW4","api_secret":"x","symbol":"BTC/USDT"}')).toBe(
      `{"apiKey":"${REDACTED}","secret":"${REDACTED}","passphrase":"${REDACTED}","password":"${REDACTED}","api_secret":"${REDACTED}","symbol":"BTC/USDT"}`,
    );
    expect(redact(inspect({ 'X-MBX-APIKEY': 'K-1', 'OK-ACCESS-SIGN': 'sig', 'X-BAPI-API-KEY': 'k2', apiKey: 'k3', side: 'buy' }))).toBe(
      `{\n  'X-MBX-APIKEY': '${REDACTED}',\n  'OK-ACCESS-SIGN': '${REDACTED}',\n  'X-BAPI-API-KEY': '${REDACTED}',\n  apiKey: '${REDACTED}',\n  side: 'buy'\n}`,
    );
    expect(redact('"secret": 12345, "apiKey" : null')).toBe(`"secret": ${REDACTED}, "apiKey" : ${REDACTED}`);
  });

  it('is idempotent: text already redacted, by a secret inside a named field too, stays as it is', () => {
    const { redact } = withSecrets(API_KEY);
    const once = redact(`?apiKey=${API_KEY}&signature=abc {"secret":"${API_KEY}"}`);
    expect(once).toBe(`?apiKey=${REDACTED}&signature=${REDACTED} {"secret":"${REDACTED}"}`);
    expect(redact(once)).toBe(once);
  });

  it('leaves ordinary text alone', () => {
    const { redact } = withSecrets(API_KEY);
    const text = 'binanceusdm POST /fapi/v1/order 400 {"code":-2019,"msg":"Margin is insufficient."} symbol=BTCUSDT&side=BUY the secret sauce';
    expect(redact(text)).toBe(text);
  });
});

describe('redactValue', () => {
  it('redacts strings at any depth and blanks credential-named fields, without changing the input', () => {
    const { redactValue } = withSecrets(API_KEY);
    const input = {
      url: `https://x/y?apiKey=${API_KEY}&signature=abc`,
      nested: { list: [`k=${API_KEY}`, 42, null, true, undefined], secret: { deep: 'object' }, passphrase: 1234 },
      headers: { 'X-MBX-APIKEY': API_KEY },
      at: new Date(5),
    };
    const snapshot = structuredClone(input);
    const out = redactValue(input) as typeof input;
    expect(out).toEqual({
      url: `https://x/y?apiKey=${REDACTED}&signature=${REDACTED}`,
      nested: { list: [`k=${REDACTED}`, 42, null, true, undefined], secret: REDACTED, passphrase: REDACTED },
      headers: { 'X-MBX-APIKEY': REDACTED },
      at: new Date(5),
    });
    expect(out.at).not.toBe(input.at);
    expect(input).toEqual(snapshot);
    expect(JSON.stringify(out)).not.toContain(API_KEY);
  });

  it('passes primitives through and redacts a bare string', () => {
    const { redactValue } = withSecrets('top-secret');
    expect(redactValue(7)).toBe(7);
    expect(redactValue(null)).toBeNull();
    expect(redactValue(undefined)).toBeUndefined();
    expect(redactValue(10n)).toBe(10n);
    expect(redactValue('the top-secret')).toBe(`the ${REDACTED}`);
  });

  it('survives cycles, getters that throw, revoked proxies and very deep values; keeps shared references shared', () => {
    const { redactValue } = withSecrets('top-secret');
    const cyclic: Record<string, unknown> = { name: 'top-secret' };
    cyclic.self = cyclic;
    cyclic.list = [cyclic];
    const shared = { v: 'top-secret' };
    const hostile = Object.defineProperty({ ok: 1 }, 'boom', {
      enumerable: true,
      get() {
        throw new Error('top-secret from a getter');
      },
    });
    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    let deep: Record<string, unknown> = { leaf: 'top-secret' };
    for (let i = 0; i < 100; i += 1) deep = { next: deep };

    const out = redactValue({ cyclic, a: shared, b: shared, hostile, proxy, deep }) as Record<string, unknown>;
    expect(out.cyclic).toEqual({ name: REDACTED, self: '[Circular]', list: ['[Circular]'] });
    expect(out.a).toEqual({ v: REDACTED });
    expect(out.a).toBe(out.b);
    expect(out.hostile).toEqual({ ok: 1, boom: '[unreadable]' });
    expect(out.proxy).toBe('[unreadable]');
    expect(JSON.stringify(out)).toContain('[too deep]');
    expect(JSON.stringify(out)).not.toContain('top-secret');
  });

  it('keeps Errors as Errors of their own class, with message, stack, cause and fields redacted', () => {
    const { redactValue } = withSecrets(API_KEY);
    // Like ccxt's classes: instanceof must still tell a network error from an exchange error.
    class NetworkError extends Error {
      constructor(message: string, options?: ErrorOptions) {
        super(message, options);
        this.name = 'NetworkError';
      }
    }
    const cause = new Error(`socket hang up for ${API_KEY}`);
    const error = new NetworkError(`binanceusdm GET /fapi/v1/order?signature=deadbeef&apiKey=${API_KEY} 503`, { cause });
    Object.assign(error, { url: `https://fapi.binance.com/x?signature=cafe`, secret: 'plain', code: -1001 });

    const out = redactValue(error) as NetworkError & { cause: Error; url: string; secret: string; code: number };
    expect(out).toBeInstanceOf(NetworkError);
    expect(out).toBeInstanceOf(Error);
    expect(out).not.toBe(error);
    expect(out.name).toBe('NetworkError');
    expect(out.message).toBe(`binanceusdm GET /fapi/v1/order?signature=${REDACTED}&apiKey=${REDACTED} 503`);
    expect(out.stack).toContain(`signature=${REDACTED}`);
    expect(out.stack).not.toContain(API_KEY);
    expect(out.cause).toBeInstanceOf(Error);
    expect(out.cause.message).toBe(`socket hang up for ${REDACTED}`);
    expect(out.url).toBe(`https://fapi.binance.com/x?signature=${REDACTED}`);
    expect(out.secret).toBe(REDACTED);
    expect(out.code).toBe(-1001);
    expect(inspect(out, { depth: 5 })).not.toContain(API_KEY);
    expect(error.message).toContain(API_KEY);
  });

  it('redacts every error of an AggregateError, and an error that is its own cause', () => {
    const { redactValue } = withSecrets('top-secret');
    const aggregate = new AggregateError([new Error('a top-secret'), 'b top-secret'], 'all failed: top-secret');
    const out = redactValue(aggregate) as AggregateError;
    expect(out).toBeInstanceOf(AggregateError);
    expect(out.message).toBe(`all failed: ${REDACTED}`);
    expect((out.errors[0] as Error).message).toBe(`a ${REDACTED}`);
    expect(out.errors[1]).toBe(`b ${REDACTED}`);
    const looped = new Error('top-secret loop');
    Object.defineProperty(looped, 'cause', { value: looped });
    expect((redactValue(looped) as Error).cause).toBe('[Circular]');
  });

  it('redacts inside Maps and Sets, and does not print binary data', () => {
    const { redactValue } = withSecrets('top-secret');
    const out = redactValue({
      map: new Map<unknown, unknown>([
        ['k', 'top-secret'],
        ['apiKey', 'anything'],
      ]),
      set: new Set(['top-secret']),
      bytes: Buffer.from('top-secret'),
    }) as { map: Map<string, string>; set: Set<string>; bytes: string };
    expect([...out.map]).toEqual([
      ['k', REDACTED],
      ['apiKey', REDACTED],
    ]);
    expect([...out.set]).toEqual([REDACTED]);
    expect(out.bytes).toBe('[binary: 10 bytes]');
  });
});
