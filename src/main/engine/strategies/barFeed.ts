/**
 * Closed bars for strategies. Live, bars come from the venue's candles:
 * the feed asks for the newest few on every poll and hands on each bar once
 * its period has ended, oldest first, never a bar still forming. A backtest
 * hands bars to the runtime itself; both end in the same instance code.
 */
import { TIMEFRAME_MS, type Bar, type Candle, type Timeframe } from '../../../shared/domain';
import { describeThrown } from '../../../shared/errors';
import type { Clock, TimerHandle } from '../ports/clock';
import type { Logger } from '../ports/logger';

export type BarListener = (bar: Bar) => Promise<void> | void;

export interface BarFeed {
  /** Up to `count` closed bars before now, oldest first. */
  history(venue: string, symbol: string, timeframe: Timeframe, count: number): Promise<Bar[]>;
  /** Calls `listener` with each bar that closes from now on, one at a time. */
  subscribe(venue: string, symbol: string, timeframe: Timeframe, listener: BarListener): () => void;
}

export type CandleSource = (venue: string, symbol: string, timeframe: Timeframe, limit: number) => Promise<Candle[]>;

export function barOf(candle: Candle): Bar {
  return {
    time: candle.time,
    open: Number(candle.open),
    high: Number(candle.high),
    low: Number(candle.low),
    close: Number(candle.close),
    volume: Number(candle.volume),
  };
}

interface Stream {
  venue: string;
  symbol: string;
  timeframe: Timeframe;
  listeners: Set<BarListener>;
  /** Open time of the newest bar handed on. */
  last: number;
  timer: TimerHandle;
  busy: boolean;
}

export class CandlePollingBarFeed implements BarFeed {
  private readonly streams = new Map<string, Stream>();

  constructor(
    private readonly candles: CandleSource,
    private readonly clock: Clock,
    private readonly log: Logger,
    private readonly pollMs = 1_000,
  ) {}

  async history(venue: string, symbol: string, timeframe: Timeframe, count: number): Promise<Bar[]> {
    if (count <= 0) return [];
    const now = this.clock.now();
    const tf = TIMEFRAME_MS[timeframe];
    const candles = await this.candles(venue, symbol, timeframe, Math.min(count + 1, 5_000));
    return candles.filter((c) => c.time + tf <= now).slice(-count).map(barOf);
  }

  subscribe(venue: string, symbol: string, timeframe: Timeframe, listener: BarListener): () => void {
    const key = `${venue}|${symbol}|${timeframe}`;
    let stream = this.streams.get(key);
    if (!stream) {
      const tf = TIMEFRAME_MS[timeframe];
      // Bars that closed before the subscription are history, not news.
      const created: Stream = {
        venue,
        symbol,
        timeframe,
        listeners: new Set(),
        last: Math.floor(this.clock.now() / tf) * tf - tf,
        busy: false,
        timer: this.clock.every(this.pollMs, () => void this.poll(created)),
      };
      stream = created;
      this.streams.set(key, stream);
    }
    stream.listeners.add(listener);
    const owner = stream;
    return () => {
      owner.listeners.delete(listener);
      if (owner.listeners.size === 0) {
        owner.timer.cancel();
        this.streams.delete(key);
      }
    };
  }

  stop(): void {
    for (const stream of this.streams.values()) stream.timer.cancel();
    this.streams.clear();
  }

  private async poll(stream: Stream): Promise<void> {
    if (stream.busy) return;
    const tf = TIMEFRAME_MS[stream.timeframe];
    const now = this.clock.now();
    if (now < stream.last + 2 * tf) return; // the next bar has not closed yet
    stream.busy = true;
    try {
      const candles = await this.candles(stream.venue, stream.symbol, stream.timeframe, 5);
      for (const candle of candles) {
        if (candle.time <= stream.last || candle.time + tf > now) continue;
        stream.last = candle.time;
        const bar = barOf(candle);
        for (const listener of [...stream.listeners]) await listener(bar);
      }
    } catch (error) {
      // A venue that cannot answer now is asked again on the next poll; the bar is not lost.
      this.log.warn(`[strategies] bars for ${stream.symbol} on ${stream.venue}: ${describeThrown(error)}`);
    } finally {
      stream.busy = false;
    }
  }
}
