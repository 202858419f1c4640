/**
 * Trades as the statistics count them, from a strategy's fills: every fill
 * that opens or adds to a position opens a trade of its own; fills that
 * reduce close the oldest trades first (FIFO), splitting a trade when only
 * part of it is closed, with its entry commission shared by quantity. This is
 * how the reference backtester books trades.
 */
import type { RegimeLabelName } from '../../shared/contract/ml';
import type { OrderSide } from '../../shared/domain';
import type { ClosedTrade } from './statistics';

export interface BacktestFill {
  /** Index of the bar the fill happened in. */
  bar: number;
  time: number;
  side: OrderSide;
  quantity: number;
  price: number;
  fee: number;
  /** The market regime when it filled, for a strategy that reads it. */
  regime?: RegimeLabelName | null;
}

export interface TimedTrade extends ClosedTrade {
  entryTime: number;
  exitTime: number;
  /** The regime its entry filled in. */
  regime?: RegimeLabelName | null;
}

export interface OpenTrade {
  /** Signed. */
  size: number;
  entryBar: number;
  entryTime: number;
  entryPrice: number;
  /** Entry commission still attributed to this (possibly partly closed) trade. */
  entryFee: number;
  regime?: RegimeLabelName | null;
}

export class TradeBook {
  readonly closed: TimedTrade[] = [];
  readonly open: OpenTrade[] = [];

  apply(fill: BacktestFill): void {
    const signed = fill.side === 'buy' ? fill.quantity : -fill.quantity;
    let remaining = fill.quantity;
    while (remaining > 0 && this.open.length > 0 && Math.sign(this.open[0]!.size) !== Math.sign(signed)) {
      const trade = this.open[0]!;
      const lot = Math.abs(trade.size);
      const closing = Math.min(lot, remaining);
      const entryFee = trade.entryFee * (closing / lot);
      const exitFee = fill.fee * (closing / fill.quantity);
      const sign = Math.sign(trade.size);
      const commission = entryFee + exitFee;
      this.closed.push({
        size: sign * closing,
        entryBar: trade.entryBar,
        exitBar: fill.bar,
        entryTime: trade.entryTime,
        exitTime: fill.time,
        entryPrice: trade.entryPrice,
        exitPrice: fill.price,
        pnl: sign * closing * (fill.price - trade.entryPrice) - commission,
        commission,
        returnFraction: sign * (fill.price / trade.entryPrice - 1) - commission / (closing * trade.entryPrice),
        ...(trade.regime === undefined ? {} : { regime: trade.regime }),
      });
      if (closing === lot) this.open.shift();
      else {
        trade.size = sign * (lot - closing);
        trade.entryFee -= entryFee;
      }
      remaining -= closing;
    }
    if (remaining > 0) {
      this.open.push({
        size: Math.sign(signed) * remaining,
        entryBar: fill.bar,
        entryTime: fill.time,
        entryPrice: fill.price,
        entryFee: fill.fee * (remaining / fill.quantity),
        ...(fill.regime === undefined ? {} : { regime: fill.regime }),
      });
    }
  }
}
