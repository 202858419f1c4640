/**
 * Public market data derived from the marks a test sets: book ticker (one
 * tick either side of the mark), last price, 24h ticker, depth, premium index
 * and klines built from the mark history, with traded volume from the fills.
 */
import { dec, type Dec, div, fixed, fmt, max, min, mul, ZERO } from '../common/decimal';
import { errors } from './errors';
import type { ExchangeState } from './exchangeState';

const INTERVALS: Record<string, number> = {
  '1m': 60_000,
  '3m': 180_000,
  '5m': 300_000,
  '15m': 900_000,
  '30m': 1_800_000,
  '1h': 3_600_000,
  '2h': 7_200_000,
  '4h': 14_400_000,
  '6h': 21_600_000,
  '8h': 28_800_000,
  '12h': 43_200_000,
  '1d': 86_400_000,
  '3d': 259_200_000,
  '1w': 604_800_000,
};

const TOP_QTY = '10.000';
const FUNDING_INTERVAL_MS = 8 * 3_600_000;

export interface MarketDataOptions {
  fundingRate: string;
}

export class MarketData {
  constructor(
    private readonly state: ExchangeState,
    private readonly options: MarketDataOptions,
  ) {}

  private symbolsOf(symbol: string | undefined): string[] {
    if (symbol !== undefined) return [this.state.instrument(symbol).symbol];
    return this.state.listInstruments().map((i) => i.symbol);
  }

  private one<T>(symbol: string | undefined, build: (s: string) => T): T | T[] {
    const rows = this.symbolsOf(symbol).map(build);
    return symbol === undefined ? rows : (rows[0] as T);
  }

  bookTicker(symbol?: string) {
    return this.one(symbol, (s) => {
      const instrument = this.state.instrument(s);
      const mark = this.state.mark(s);
      return {
        symbol: s,
        bidPrice: fixed(mark - instrument.tick, instrument.pricePlaces),
        bidQty: TOP_QTY,
        askPrice: fixed(mark + instrument.tick, instrument.pricePlaces),
        askQty: TOP_QTY,
        time: this.state.now(),
        lastUpdateId: this.state.marksHistory(s).length,
      };
    });
  }

  lastPrice(symbol?: string) {
    return this.one(symbol, (s) => ({
      symbol: s,
      price: fixed(this.state.mark(s), this.state.instrument(s).pricePlaces),
      time: this.state.now(),
    }));
  }

  ticker24h(symbol?: string) {
    return this.one(symbol, (s) => {
      const instrument = this.state.instrument(s);
      const now = this.state.now();
      const since = now - INTERVALS['1d']!;
      const history = this.state.marksHistory(s);
      const window = history.filter((p) => p.time >= since);
      const open = [...history].reverse().find((p) => p.time <= since)?.price ?? history[0]?.price ?? ZERO;
      const prices = [open, ...window.map((p) => p.price)];
      const last = this.state.mark(s);
      const trades = this.state.allTrades().filter((t) => t.symbol === s && t.time >= since);
      const volume = trades.reduce((sum, t) => sum + t.qty, ZERO);
      const quoteVolume = trades.reduce((sum, t) => sum + t.quoteQty, ZERO);
      const change = last - open;
      return {
        symbol: s,
        priceChange: fixed(change, instrument.pricePlaces),
        priceChangePercent: open === ZERO ? '0.000' : fixed(div(mul(change, dec('100')), open), 3),
        weightedAvgPrice: fixed(last, instrument.pricePlaces),
        lastPrice: fixed(last, instrument.pricePlaces),
        lastQty: trades.length > 0 ? fixed(trades[trades.length - 1]!.qty, instrument.quantityPlaces) : '0',
        openPrice: fixed(open, instrument.pricePlaces),
        highPrice: fixed(prices.reduce(max), instrument.pricePlaces),
        lowPrice: fixed(prices.reduce(min), instrument.pricePlaces),
        volume: fixed(volume, instrument.quantityPlaces),
        quoteVolume: fmt(quoteVolume, 2),
        openTime: since,
        closeTime: now,
        firstId: trades[0]?.id ?? 0,
        lastId: trades[trades.length - 1]?.id ?? 0,
        count: trades.length,
      };
    });
  }

  depth(symbol: string | undefined, limit = 5) {
    const s = this.state.instrument(symbol).symbol;
    const instrument = this.state.instrument(s);
    const mark = this.state.mark(s);
    const levels = Math.max(1, Math.min(limit, 20));
    const side = (direction: 1n | -1n) =>
      Array.from({ length: levels }, (_, i) => [fixed(mark + direction * BigInt(i + 1) * instrument.tick, instrument.pricePlaces), TOP_QTY]);
    const now = this.state.now();
    return { lastUpdateId: this.state.marksHistory(s).length, E: now, T: now, bids: side(-1n), asks: side(1n) };
  }

  premiumIndex(symbol?: string) {
    return this.one(symbol, (s) => {
      const now = this.state.now();
      const mark = fixed(this.state.mark(s), 8);
      return {
        symbol: s,
        markPrice: mark,
        indexPrice: mark,
        estimatedSettlePrice: mark,
        lastFundingRate: this.options.fundingRate,
        interestRate: '0.00010000',
        nextFundingTime: (Math.floor(now / FUNDING_INTERVAL_MS) + 1) * FUNDING_INTERVAL_MS,
        time: now,
      };
    });
  }

  /** Candles of the mark history: each bucket opens at the last mark before it and carries the fills inside it. */
  klines(symbol: string | undefined, interval: string | undefined, startTime?: number, endTime?: number, limit = 500) {
    const s = this.state.instrument(symbol).symbol;
    if (interval === undefined || interval === '') throw errors.mandatory('interval');
    const width = INTERVALS[interval];
    if (width === undefined) throw errors.invalidInterval();
    const instrument = this.state.instrument(s);
    const history = this.state.marksHistory(s);
    const first = history[0];
    if (first === undefined) return [];
    const count = Math.min(Math.max(limit, 1), 1500);
    const to = endTime ?? this.state.now();
    const from = Math.max(startTime ?? to - (count - 1) * width, first.time);
    const trades = this.state.allTrades().filter((t) => t.symbol === s);
    const rows: unknown[][] = [];
    for (let open = Math.floor(from / width) * width; open <= to && rows.length < count; open += width) {
      const close = open + width - 1;
      const before = [...history].reverse().find((p) => p.time < open)?.price;
      const inside = history.filter((p) => p.time >= open && p.time <= close).map((p) => p.price);
      const prices: Dec[] = before === undefined ? inside : [before, ...inside];
      if (prices.length === 0) continue;
      const bucketTrades = trades.filter((t) => t.time >= open && t.time <= close);
      const volume = bucketTrades.reduce((sum, t) => sum + t.qty, ZERO);
      const quote = bucketTrades.reduce((sum, t) => sum + t.quoteQty, ZERO);
      const takerBuys = bucketTrades.filter((t) => !t.maker && t.side === 'BUY');
      rows.push([
        open,
        fixed(prices[0]!, instrument.pricePlaces),
        fixed(prices.reduce(max), instrument.pricePlaces),
        fixed(prices.reduce(min), instrument.pricePlaces),
        fixed(prices[prices.length - 1]!, instrument.pricePlaces),
        fixed(volume, instrument.quantityPlaces),
        close,
        fmt(quote, 4),
        bucketTrades.length,
        fixed(takerBuys.reduce((sum, t) => sum + t.qty, ZERO), instrument.quantityPlaces),
        fmt(takerBuys.reduce((sum, t) => sum + t.quoteQty, ZERO), 4),
        '0',
      ]);
    }
    return rows;
  }
}
