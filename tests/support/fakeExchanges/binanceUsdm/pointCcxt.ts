/**
 * Points a ccxt binanceusdm instance (REST and ccxt.pro) at the fake: every
 * REST base URL and the futures WebSocket URL are rewritten to the loopback
 * origin, and ccxt keeps using its USD-M error table although the URLs no
 * longer start with https://fapi.binance.com.
 */

/** The few members of a ccxt Exchange this needs (kept structural so ccxt stays lazily loaded). */
export interface CcxtExchangeLike {
  urls: { api: Record<string, unknown> };
  options: Record<string, unknown>;
  exceptions: Record<string, unknown>;
  getExceptionsByUrl: (url: string | undefined, exactOrBroad: string) => Record<string, unknown>;
  loadHttpProxyAgent: () => Promise<unknown>;
}

/**
 * Rewrites ccxt's `urls.api`: each string entry (fapiPublic, fapiPrivate,
 * fapiPrivateV2/V3, fapiData, sapi, …) keeps its path under the new origin,
 * and `ws.future` becomes ws://<origin>/ws (ccxt.pro then dials /private/ws,
 * /public/ws and /market/ws next to it).
 */
export function rewriteCcxtUrls(api: Record<string, unknown>, base: string): void {
  const origin = base.replace(/\/+$/, '');
  for (const [name, value] of Object.entries(api)) {
    if (typeof value === 'string') api[name] = value.replace(/^https?:\/\/[^/]+/, origin);
  }
  const ws = api.ws;
  if (typeof ws === 'object' && ws !== null) (ws as Record<string, unknown>).future = `${origin.replace(/^http/, 'ws')}/ws`;
}

/**
 * Test set-up for a ccxt binanceusdm (or ccxt.pro binanceusdm) instance:
 * the URL rewrite above; no spot currency call on loadMarkets; no warning error
 * for fetchOpenOrders without a symbol; the USD-M ("linear") error table for
 * every URL (ccxt picks it by URL prefix in binance.js getExceptionsByUrl, so on
 * loopback -4164/-2022/-4116 would surface as plain ExchangeError and -5022 as
 * InvalidOrder); and the http agent ccxt.pro requires before it dials ws://.
 */
export async function pointCcxtAtFake(exchange: CcxtExchangeLike, base: string): Promise<void> {
  rewriteCcxtUrls(exchange.urls.api, base);
  exchange.options.fetchCurrencies = false;
  exchange.options.warnOnFetchOpenOrdersWithoutSymbol = false;
  exchange.getExceptionsByUrl = (_url, exactOrBroad) => {
    const linear = exchange.exceptions.linear as Record<string, Record<string, unknown>> | undefined;
    return linear?.[exactOrBroad] ?? {};
  };
  await exchange.loadHttpProxyAgent();
}
