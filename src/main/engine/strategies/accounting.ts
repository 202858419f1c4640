/**
 * One strategy instance's own book, from its own fills only: its signed
 * position and average entry, realized PnL net of fees, fees, round trips
 * and wins, and the day's PnL for its daily-loss limit. Exact decimals: this
 * is money, and it must agree with the account's ledger to the unit.
 *
 * A round trip starts when the position leaves flat and ends when it is
 * flat again; a fill that flips the position ends one round trip and starts
 * the next, its fee split by quantity. A round trip is filed under the
 * market regime its first fill came in (for a strategy that reads the
 * regime), so its results can be split by regime.
 */
import { Dec } from '../../../shared/decimal';
import type { RegimeLabelName } from '../../../shared/contract/ml';
import type { OrderSide } from '../../../shared/domain';

export interface BookFill {
  side: OrderSide;
  quantity: Dec;
  price: Dec;
  fee: Dec;
  timestamp: number;
  /** The market regime when it filled, for a strategy that reads it. */
  regime?: RegimeLabelName | null;
}

/** Round trips that began in one regime. */
export interface RegimeTally {
  trades: number;
  wins: number;
  /** Their realized PnL net of fees. */
  pnl: Dec;
}

const DAY_MS = 86_400_000;

export class StrategyBook {
  /** Signed: + long, − short. */
  position = Dec.ZERO;
  /** Average entry of the open position; zero when flat. */
  entryPrice = Dec.ZERO;
  /** Realized PnL net of every fee paid. */
  realized = Dec.ZERO;
  fees = Dec.ZERO;
  trades = 0;
  wins = 0;
  /** Closed round trips by the regime they began in; those begun with no regime known are not in it. */
  readonly byRegime = new Map<RegimeLabelName, RegimeTally>();
  /** Net PnL of the round trip under way (fees included). */
  private tripPnl = Dec.ZERO;
  private tripRegime: RegimeLabelName | null = null;
  private day = -1;
  private realizedAtDayStart = Dec.ZERO;

  apply(fill: BookFill): void {
    this.rollDay(fill.timestamp);
    const signed = fill.side === 'buy' ? fill.quantity : fill.quantity.neg();
    const before = this.position;
    this.fees = this.fees.add(fill.fee);
    if (before.isZero() || before.sign() === signed.sign()) {
      if (before.isZero()) this.tripRegime = fill.regime ?? null;
      // Opening or adding: the average entry moves, the fee is the trip's cost.
      const total = before.abs().add(fill.quantity);
      this.entryPrice = this.entryPrice.mul(before.abs()).add(fill.price.mul(fill.quantity)).div(total);
      this.position = before.add(signed);
      this.book(fill.fee.neg());
      return;
    }
    const closing = Dec.min(before.abs(), fill.quantity);
    const direction = before.isNegative() ? Dec.ONE.neg() : Dec.ONE;
    const gross = fill.price.sub(this.entryPrice).mul(closing).mul(direction);
    const closingFee = fill.quantity.isZero() ? Dec.ZERO : fill.fee.mul(closing).div(fill.quantity);
    this.book(gross.sub(closingFee));
    this.position = before.add(signed);
    if (this.position.isZero()) {
      this.endTrip();
      this.entryPrice = Dec.ZERO;
    } else if (this.position.sign() !== before.sign()) {
      // Flipped: the old trip ends at the fill, the rest opens a new one at the fill price.
      this.endTrip();
      this.tripRegime = fill.regime ?? null;
      this.entryPrice = fill.price;
      this.book(fill.fee.sub(closingFee).neg());
    }
  }

  unrealized(mark: Dec): Dec {
    if (this.position.isZero()) return Dec.ZERO;
    return mark.sub(this.entryPrice).mul(this.position);
  }

  /** Realized since the UTC day of `now` began, plus the open position's unrealized PnL. */
  dayPnl(now: number, mark: Dec): Dec {
    this.rollDay(now);
    return this.realized.sub(this.realizedAtDayStart).add(this.unrealized(mark));
  }

  private book(amount: Dec): void {
    this.realized = this.realized.add(amount);
    this.tripPnl = this.tripPnl.add(amount);
  }

  private endTrip(): void {
    this.trades += 1;
    const won = this.tripPnl.isPositive();
    if (won) this.wins += 1;
    if (this.tripRegime !== null) {
      const tally = this.byRegime.get(this.tripRegime) ?? { trades: 0, wins: 0, pnl: Dec.ZERO };
      this.byRegime.set(this.tripRegime, { trades: tally.trades + 1, wins: tally.wins + (won ? 1 : 0), pnl: tally.pnl.add(this.tripPnl) });
    }
    this.tripPnl = Dec.ZERO;
    this.tripRegime = null;
  }

  private rollDay(now: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day > this.day) {
      this.day = day;
      this.realizedAtDayStart = this.realized;
    }
  }
}
