/**
 * Live market data from the venues into the engine: tickers set the marks the
 * books are valued at and go out as `market.tick`; trades build the current
 * 1-minute candle that goes out as `market.candle` (the whole bar each time,
 * so a consumer that only keeps the latest value never loses volume) and are
 * kept on a short tape per instrument for `market.trades`.
 */
import { Dec } from '../../../shared/decimal';
import type { Instrument, Ticker } from '../../../shared/domain';
import type { EventBus } from '../bus';
import type { Portfolio } from '../portfolio/portfolio';
import type { MarketEvent, MarketTrade } from '../ports/venue';
import { type Bar, foldTrade, toContractCandle } from '../../core/candles';
import { InstrumentMap } from '../../core/instrumentMap';
import type { MarketTradeView } from '../../../shared/contract';
import { RecentTrades } from './recentTrades';

export class MarketData {
  private readonly tickers = new InstrumentMap<Ticker>();
  private readonly currentCandles = new InstrumentMap<Bar>();
  private readonly tape = new RecentTrades();

  constructor(
    private readonly bus: EventBus,
    private readonly portfolio: Portfolio,
    /** Told when a venue's marks moved, so position values can be republished. */
    private readonly onMarksChanged: (venue: string) => void,
    /** The instrument a bar belongs to: its tick and lot give the candle's exact decimals. */
    private readonly instrument: (venue: string, symbol: string) => Instrument | undefined,
  ) {}

  /** Seeds the current bar from history so the first live update continues it. */
  seedCandle(venue: string, symbol: string, candle: Bar | undefined): void {
    if (candle) this.currentCandles.set(venue, symbol, candle);
  }

  onMarketEvent(venue: string, event: MarketEvent): void {
    if (event.type === 'ticker') this.onTicker(venue, event.ticker);
    else this.onTrade(venue, event.trade);
  }

  ticker(venue: string, symbol: string): Ticker | undefined {
    return this.tickers.get(venue, symbol);
  }

  /** The instrument's latest trades, newest first. */
  trades(venue: string, symbol: string, limit: number): MarketTradeView[] {
    return this.tape.list(venue, symbol, limit);
  }

  private onTicker(venue: string, ticker: Ticker): void {
    this.tickers.set(venue, ticker.symbol, ticker);
    this.portfolio.setMark(venue, ticker.symbol, Dec.parse(ticker.mark));
    this.bus.publish('market.tick', ticker);
    this.onMarksChanged(venue);
  }

  private onTrade(venue: string, trade: MarketTrade): void {
    this.tape.record(venue, trade);
    const candle = foldTrade(this.currentCandles.get(venue, trade.symbol), {
      price: Number(trade.price),
      quantity: Number(trade.quantity),
      timestamp: trade.timestamp,
    });
    this.currentCandles.set(venue, trade.symbol, candle);
    const instrument = this.instrument(venue, trade.symbol);
    if (!instrument) return;
    this.bus.publish('market.candle', { venue, symbol: trade.symbol, timeframe: '1m', candle: toContractCandle(candle, instrument) });
  }
}
