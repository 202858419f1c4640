/**
 * Making a ccxt client for each supported exchange, demo and live, with the
 * real ccxt: demo mode switched on the way each exchange needs it, the
 * options Keel always sets, and (pointed at a loopback server) not one URL
 * left that leads to the real exchange.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkLoopbackUrl, createExchange, loadCcxt, SUPPORTED_EXCHANGES } from './exchanges';

function urls(value: unknown, found: string[] = []): string[] {
  if (typeof value === 'string') found.push(value);
  else if (value && typeof value === 'object') for (const inner of Object.values(value)) urls(inner, found);
  return found;
}

const credentials = { apiKey: 'k-0001', secret: 's-0001', passphrase: 'p-0001' };

beforeAll(async () => {
  await loadCcxt();
});

describe('createExchange', () => {
  it.each(SUPPORTED_EXCHANGES.flatMap((id) => (['demo', 'live'] as const).map((mode) => [id, mode] as const)))(
    '%s %s: every REST and WebSocket URL leads to the loopback server, with Keel\'s options set',
    async (id, mode) => {
      const exchange = await createExchange({ exchange: id, mode, credentials, timeoutMs: 1_000, baseUrl: 'http://127.0.0.1:9999', log: () => undefined });
      try {
        const all = urls(exchange.urls.api).filter((u) => /^(https?|wss?):\/\//.test(u));
        expect(all.length).toBeGreaterThan(0);
        for (const url of all) expect(url, url).toMatch(/^(http|ws):\/\/127\.0\.0\.1:9999(\/|$)/);
        expect(exchange.options.fetchCurrencies).toBe(false);
        expect(exchange.options.defaultType).toBe('swap');
        expect((exchange as unknown as { verbose: boolean }).verbose).toBe(false);
        expect(exchange.password).toBe(credentials.passphrase);
      } finally {
        await exchange.close();
      }
    },
  );

  it('switches demo on the way each exchange needs it, and leaves live alone', async () => {
    const make = (exchange: (typeof SUPPORTED_EXCHANGES)[number], mode: 'demo' | 'live') => createExchange({ exchange, mode, credentials, timeoutMs: 1_000, log: () => undefined });
    const binanceDemo = await make('binanceusdm', 'demo');
    expect(urls(binanceDemo.urls.api).filter((u) => u.includes('/fapi/')).every((u) => u.includes('demo-fapi.binance.com'))).toBe(true);
    const binanceLive = await make('binanceusdm', 'live');
    expect(urls(binanceLive.urls.api).filter((u) => u.includes('/fapi/')).every((u) => u.includes('fapi.binance.com') && !u.includes('demo'))).toBe(true);
    const bybitDemo = await make('bybit', 'demo');
    expect(urls(bybitDemo.urls.api).some((u) => u.includes('api-demo'))).toBe(true);
    const okxDemo = await make('okx', 'demo');
    // OKX simulates trading with a header on every request.
    expect(okxDemo.options.sandboxMode).toBe(true);
    expect((okxDemo as unknown as { headers?: Record<string, string> }).headers?.['x-simulated-trading']).toBe('1');
    const okxLive = await make('okx', 'live');
    expect((okxLive as unknown as { headers?: Record<string, string> }).headers?.['x-simulated-trading']).toBeUndefined();
    for (const e of [binanceDemo, binanceLive, bybitDemo, okxDemo, okxLive]) await e.close();
  });
});

describe('checkLoopbackUrl', () => {
  it('accepts loopback addresses only', () => {
    expect(checkLoopbackUrl('http://127.0.0.1:8080').port).toBe('8080');
    expect(checkLoopbackUrl('http://localhost:1').hostname).toBe('localhost');
    expect(checkLoopbackUrl('http://[::1]:2').hostname).toBe('[::1]');
    expect(() => checkLoopbackUrl('https://fapi.binance.com')).toThrow(/loopback/);
    expect(() => checkLoopbackUrl('http://127.0.0.2.evil.com')).toThrow(/loopback/);
    expect(() => checkLoopbackUrl('not a url')).toThrow(/not a URL/);
  });
});
