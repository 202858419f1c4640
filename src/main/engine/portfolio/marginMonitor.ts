/**
 * Watches perpetual positions' margin ratios and tells the trader before the
 * venue does: once a position's ratio reaches the warning level (settings:
 * `marginWarningPercent`, 80 % by default) it gets one warning, an activity
 * entry and a `positions.marginAlert` the screen shows as an alert. The
 * warning re-arms once the ratio is back 5 points under the level, or the
 * position is gone. A liquidation the venue made is announced the same way.
 */
import { Dec } from '../../../shared/decimal';
import type { MarginAlert } from '../../../shared/contract';
import type { Fill, MarginMode, Order, Position } from '../../../shared/domain';
import type { ActivityLog } from '../activity';
import type { EventBus } from '../bus';
import type { Clock } from '../ports/clock';

export interface MarginMonitorDeps {
  bus: EventBus;
  activity: ActivityLog;
  clock: Clock;
  /** The warning level in force, in percent. */
  levelPercent: () => number;
}

/** How far under the level a ratio must come back before the position can be warned again, in percentage points. */
const REARM_POINTS = 5;
const HUNDRED = Dec.parse('100');

export class MarginMonitor {
  /** venue|symbol of positions warned and not re-armed yet. */
  private readonly warned = new Set<string>();

  constructor(private readonly deps: MarginMonitorDeps) {}

  /** Looks at a venue's positions as just valued. */
  observe(venue: string, positions: readonly Position[]): void {
    const level = this.deps.levelPercent();
    const open = new Set<string>();
    for (const p of positions) {
      const key = `${venue}|${p.symbol}`;
      open.add(key);
      if (p.marginRatio === null) continue;
      const percent = Dec.parse(p.marginRatio).mul(HUNDRED);
      if (percent.gte(Dec.fromBigInt(BigInt(level)))) {
        if (this.warned.has(key)) continue;
        this.warned.add(key);
        this.warn(p, percent, level);
      } else if (percent.lt(Dec.fromBigInt(BigInt(level - REARM_POINTS)))) {
        this.warned.delete(key);
      }
    }
    for (const key of this.warned) if (key.startsWith(`${venue}|`) && !open.has(key)) this.warned.delete(key);
  }

  /** True while a position of the venue stands warned (its warning re-arms only once it is looked at again). */
  hasWarned(venue: string): boolean {
    for (const key of this.warned) if (key.startsWith(`${venue}|`)) return true;
    return false;
  }

  /** The venue liquidated a position (margined `mode`): its order and fill are recorded. */
  liquidated(order: Order, fill: Fill, mode: MarginMode): void {
    this.warned.delete(`${order.venue}|${order.symbol}`);
    const side = order.side === 'sell' ? 'long' : 'short';
    const message = `${order.venue} liquidated the ${order.symbol} ${side} of ${fill.quantity} at ${fill.price} (liquidation fee ${Dec.parse(fill.fee).toFixed(4)} ${fill.feeCurrency}); its open orders there were cancelled.`;
    this.deps.activity.record('error', 'position', message, { orderId: order.id, tradeId: fill.tradeId });
    this.publish({
      venue: order.venue,
      symbol: order.symbol,
      side,
      kind: 'liquidated',
      marginMode: mode,
      marginRatio: null,
      levelPercent: this.deps.levelPercent(),
      liquidationPrice: null,
      price: fill.price,
      message,
      timestamp: fill.timestamp,
    });
  }

  private warn(p: Position, percent: Dec, level: number): void {
    const where = p.liquidationPrice === null ? '' : ` The liquidation price is ${p.liquidationPrice}.`;
    const message = `Margin ratio of the ${p.symbol} ${p.side} on ${p.venue} is ${percent.toFixed(1)} % (warning at ${level} %): the venue liquidates it at 100 %.${where}`;
    this.deps.activity.record('warning', 'risk', message, { venue: p.venue, symbol: p.symbol, marginRatio: p.marginRatio });
    this.publish({
      venue: p.venue,
      symbol: p.symbol,
      side: p.side,
      kind: 'warning',
      marginMode: p.marginMode,
      marginRatio: p.marginRatio,
      levelPercent: level,
      liquidationPrice: p.liquidationPrice,
      price: null,
      message,
      timestamp: this.deps.clock.now(),
    });
  }

  private publish(alert: MarginAlert): void {
    this.deps.bus.publish('positions.marginAlert', alert);
  }
}
