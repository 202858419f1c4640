/**
 * What makes the paper exchange's perpetuals behave like an exchange's: the
 * venue's side of funding, liquidation, margin modes and leverage changes on
 * open positions. It works on the exchange's margin account and uses the
 * margin arithmetic Keel's own books use (`core/perpetualMargin`), so the
 * venue liquidates at the very price a position view shows.
 *
 * - Funding: when the market says an interval ended, each open position is
 *   charged (or paid) |notional at the mark| × rate, longs paying shorts
 *   when the rate is positive; the payment is booked in the ledger, stored
 *   and reported as `FundingSettled`.
 * - Liquidation: after every mark move (and every funding payment) the
 *   account is assessed; an isolated position whose margin ratio reached
 *   100 %, or the cross position needing the most maintenance when the
 *   cross ratio did, has its symbol's open orders cancelled and is closed
 *   at its bankruptcy price with the liquidation fee, by an order of the
 *   venue's own, reported as a liquidation fill. Cross positions are closed
 *   one at a time until the account is back under 100 %.
 * - Margin mode changes only while a symbol is flat and has no open orders;
 *   leverage changes on an open position follow `leverageChangeProblem`.
 *
 * Instruments that declare no margin brackets are never liquidated.
 */
import { Dec } from '../../../shared/decimal';
import type { Instrument, MarginMode } from '../../../shared/domain';
import {
  assessAccount,
  checkTerms,
  dueForLiquidation,
  leverageChangeProblem,
  leverageProblemText,
  liquidationFillPrice,
  perpetualTerms,
  type PerpetualTerms,
  type PositionRisk,
} from '../../core/perpetualMargin';
import type { ExecutionEvent, VenueFundingReport } from '../../engine/ports/venue';
import type { MarginAccount } from './marginAccount';
import type { FundingDue } from './marketSource';
import type { PendingChanges } from './paperUnitOfWork';

export interface PerpetualDeskParts {
  account: MarginAccount;
  instruments: readonly Instrument[];
  /** The exact mark the account is valued at. */
  markOf: (symbol: string) => Dec;
  changes: PendingChanges;
  emit: (event: ExecutionEvent) => void;
  /** Cancels the symbol's open orders (a liquidation starts with them). */
  cancelOrders: (symbol: string, reason: string) => void;
  /** Closes the whole position in `symbol` at `price` (on the tick) with `fee`, by the venue's own liquidation order. */
  closePosition: (symbol: string, price: Dec, fee: Dec, now: number) => void;
}

/** A liquidation loop never runs longer than this (each pass closes a position, so it ends far sooner). */
const MAX_LIQUIDATIONS_PER_MOVE = 64;

export class PerpetualDesk {
  private readonly terms = new Map<string, PerpetualTerms>();
  private readonly termsOf = (symbol: string): PerpetualTerms | undefined => this.terms.get(symbol);

  constructor(private readonly parts: PerpetualDeskParts) {
    for (const instrument of parts.instruments) {
      const terms = perpetualTerms(instrument);
      if (!terms) continue;
      checkTerms(instrument.symbol, terms);
      this.terms.set(instrument.symbol, terms);
    }
  }

  /** Settles one funding interval on the position open in its symbol, if any. */
  settleFunding(due: FundingDue, now: number): void {
    const { account, changes, emit, markOf } = this.parts;
    const quantity = account.ledger.netQuantity(due.symbol);
    if (quantity.isZero()) return;
    const mark = markOf(due.symbol);
    const rate = Dec.parse(due.rate);
    // Longs pay shorts when the rate is positive.
    const amount = quantity.mul(mark).mul(rate).neg();
    account.applyFunding(due.symbol, amount, now);
    const report: VenueFundingReport = {
      fundingId: `paper-f-${due.fundingTime}-${due.symbol}`,
      symbol: due.symbol,
      rate: rate.toString(),
      markPrice: mark.toString(),
      quantity: quantity.toString(),
      amount: amount.toString(),
      currency: account.currency,
      fundingTime: due.fundingTime,
      timestamp: now,
    };
    changes.account = true;
    changes.funding.push(report);
    emit({ type: 'FundingSettled', ...report });
    // A payment can take the last of a position's margin.
    this.liquidateDue(now);
  }

  /** The marks moved: positions whose margin ran out are liquidated now. */
  marksMoved(now: number): void {
    if (this.terms.size === 0 || this.parts.account.ledger.positions().length === 0) return;
    this.liquidateDue(now);
  }

  /** Cross or isolated margin for `symbol`; refused while it has a position or open orders, as exchanges refuse it. */
  setMarginMode(symbol: string, mode: MarginMode, hasOpenOrders: boolean): void {
    const { account, changes } = this.parts;
    if (account.marginMode(symbol) === mode) return;
    if (!account.ledger.netQuantity(symbol).isZero()) {
      throw new RangeError(`${symbol} has an open position: its margin mode can change only while it is flat.`);
    }
    if (hasOpenOrders) throw new RangeError(`${symbol} has open orders: cancel them before changing its margin mode.`);
    account.setMarginMode(symbol, mode);
    changes.account = true;
  }

  /**
   * Leverage for `symbol`, with a position open or not: the change is made,
   * judged on the books as they are then, and undone with a RangeError
   * saying why when it is refused.
   */
  setLeverage(symbol: string, leverage: number, hasOpenOrders: boolean): void {
    const { account, changes, markOf } = this.parts;
    const from = account.leverage(symbol);
    account.setLeverage(symbol, leverage);
    const problem = leverageChangeProblem(symbol, from, leverage, {
      risk: assessAccount(account.ledger, markOf, this.termsOf),
      available: account.available(),
      hasOpenOrders,
    });
    if (problem) {
      account.setLeverage(symbol, from);
      throw new RangeError(leverageProblemText(symbol, leverage, problem, account.currency));
    }
    changes.account = true;
  }

  private liquidateDue(now: number): void {
    const { account, markOf } = this.parts;
    for (let pass = 0; pass < MAX_LIQUIDATIONS_PER_MOVE; pass++) {
      const [next] = dueForLiquidation(assessAccount(account.ledger, markOf, this.termsOf));
      if (!next) return;
      this.liquidate(next, now);
    }
  }

  private liquidate(position: PositionRisk, now: number): void {
    const { cancelOrders, closePosition } = this.parts;
    const price = liquidationFillPrice(position);
    const fee = position.quantity.abs().mul(price).mul(position.terms!.liquidationFeeRate);
    cancelOrders(position.symbol, `canceled: ${position.symbol} is being liquidated`);
    closePosition(position.symbol, price, fee, now);
  }
}
