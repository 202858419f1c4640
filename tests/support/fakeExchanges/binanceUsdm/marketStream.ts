/**
 * Public WebSocket streams on /ws, /public/ws and /market/ws: SUBSCRIBE,
 * UNSUBSCRIBE and LIST_SUBSCRIPTIONS as Binance answers them, and on every
 * mark change the subscribed <symbol>@markPrice, @bookTicker, @ticker and
 * @miniTicker events (ccxt.pro's watchTicker subscribes to @miniTicker).
 */
import type { WebSocket } from 'ws';
import type { ExchangeState } from './exchangeState';
import type { MarketData } from './marketData';
import { bookTickerEvent, markPriceUpdate, miniTickerEvent, tickerEvent } from './wsEvents';

interface Request {
  method?: string;
  params?: unknown;
  id?: unknown;
}

export class MarketStream {
  private readonly subscriptions = new Map<WebSocket, Set<string>>();

  constructor(
    private readonly state: ExchangeState,
    private readonly market: MarketData,
  ) {
    state.onEvent((event) => {
      if (event.type === 'mark') this.publish(event.symbol);
    });
  }

  /** `initial` are streams named in the URL (/ws/btcusdt@markPrice), subscribed from the start. */
  attach(socket: WebSocket, initial: string[] = []): void {
    this.subscriptions.set(socket, new Set(initial));
    socket.on('close', () => this.subscriptions.delete(socket));
    socket.on('error', () => this.subscriptions.delete(socket));
    socket.on('message', (raw) => this.onMessage(socket, raw.toString()));
  }

  /** Every stream some client is subscribed to, e.g. "btcusdt@ticker". */
  subscribed(): string[] {
    return [...new Set([...this.subscriptions.values()].flatMap((streams) => [...streams]))];
  }

  close(): void {
    for (const socket of this.subscriptions.keys()) socket.terminate();
    this.subscriptions.clear();
  }

  private onMessage(socket: WebSocket, text: string): void {
    let request: Request;
    try {
      request = JSON.parse(text) as Request;
    } catch {
      socket.send(JSON.stringify({ error: { code: 3, msg: 'Invalid JSON: expected value at line 1 column 1' } }));
      return;
    }
    const streams = this.subscriptions.get(socket);
    if (streams === undefined) return;
    const params = Array.isArray(request.params) ? request.params.filter((p): p is string => typeof p === 'string') : [];
    if (request.method === 'SUBSCRIBE') params.forEach((p) => streams.add(p));
    else if (request.method === 'UNSUBSCRIBE') params.forEach((p) => streams.delete(p));
    else if (request.method === 'LIST_SUBSCRIPTIONS') {
      socket.send(JSON.stringify({ result: [...streams], id: request.id }));
      return;
    } else {
      socket.send(JSON.stringify({ error: { code: 2, msg: `Invalid request: unknown variant '${String(request.method)}'` }, id: request.id }));
      return;
    }
    socket.send(JSON.stringify({ result: null, id: request.id }));
  }

  private publish(symbol: string): void {
    const lower = symbol.toLowerCase();
    for (const [socket, streams] of this.subscriptions) {
      if (socket.readyState !== socket.OPEN) continue;
      for (const stream of streams) {
        if (stream === `${lower}@markPrice` || stream === `${lower}@markPrice@1s`) {
          socket.send(JSON.stringify(markPriceUpdate(this.state, this.market, symbol)));
        } else if (stream === `${lower}@bookTicker`) {
          socket.send(JSON.stringify(bookTickerEvent(this.state, this.market, symbol)));
        } else if (stream === `${lower}@ticker`) {
          socket.send(JSON.stringify(tickerEvent(this.state, this.market, symbol)));
        } else if (stream === `${lower}@miniTicker`) {
          socket.send(JSON.stringify(miniTickerEvent(this.state, this.market, symbol)));
        }
      }
    }
  }
}
