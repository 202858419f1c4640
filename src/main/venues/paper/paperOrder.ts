/**
 * An order as the paper venue holds it: the request as sent (decimal
 * strings, for reports that echo it exactly), its integer ticks and lots for
 * matching, its state, and the intrusive links that put it on a price
 * ladder. Converts to the port's report and to the persisted record.
 */
import { triggerDirection, type OrderRole, type OrderSide, type OrderType, type TimeInForce, type Trailing } from '../../../shared/domain';
import type { SubmitOrder, VenueOrderReport } from '../../engine/ports/venue';
import { formatSteps, toSteps, type Step } from './fixedPoint';
import type { InstrumentMath } from './instruments';
import type { BookOrder } from './matchingEngine';
import type { LadderLevel } from './priceLadder';
import type { PaperGroup } from './paperGroups';
import type { PaperOrderRecord } from './store';

export type PaperOrderStatus = PaperOrderRecord['status'];

export interface PaperOrderInit {
  seq: number;
  clientOrderId: string;
  venueOrderId: string;
  symbol: string;
  side: OrderSide;
  type: OrderType;
  timeInForce: TimeInForce;
  postOnly: boolean;
  reduceOnly: boolean;
  quantity: string;
  price: string | null;
  stopPrice: string | null;
  lots: number;
  priceTicks: number;
  stopTicks: number;
  status: PaperOrderStatus;
  createdAt: number;
}

export class PaperOrder implements BookOrder<PaperOrder> {
  readonly seq: number;
  readonly clientOrderId: string;
  readonly venueOrderId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly timeInForce: TimeInForce;
  readonly postOnly: boolean;
  readonly reduceOnly: boolean;
  // The terms an amend may change (see `paperAmend`).
  quantity: string;
  price: string | null;
  stopPrice: string | null;
  lots: number;
  priceTicks: number;
  stopTicks: number;
  readonly createdAt: number;
  status: PaperOrderStatus;
  filledLots = 0;
  triggered = false;
  updatedAt: number;
  reason: string | null = null;
  /** Lots and price this order currently holds margin for (both 0 when none). */
  reservedLots = 0;
  reservedTicks = 0;
  /** Its bracket or OCO pair (see `paperGroups`), and its place in it. */
  group: PaperGroup | null = null;
  role: OrderRole | null = null;
  /** False for a bracket's take-profit or stop-loss until its entry fills: accepted, but on no ladder. */
  active = true;
  /** A trailing stop's trail and the best price it has seen (see `paperTrailing`); null until it starts trailing. */
  trailing: Trailing | null = null;
  trailBestTicks: number | null = null;

  prev: PaperOrder | null = null;
  next: PaperOrder | null = null;
  level: LadderLevel<PaperOrder> | null = null;

  constructor(init: PaperOrderInit) {
    this.seq = init.seq;
    this.clientOrderId = init.clientOrderId;
    this.venueOrderId = init.venueOrderId;
    this.symbol = init.symbol;
    this.side = init.side;
    this.type = init.type;
    this.timeInForce = init.timeInForce;
    this.postOnly = init.postOnly;
    this.reduceOnly = init.reduceOnly;
    this.quantity = init.quantity;
    this.price = init.price;
    this.stopPrice = init.stopPrice;
    this.lots = init.lots;
    this.priceTicks = init.priceTicks;
    this.stopTicks = init.stopTicks;
    this.status = init.status;
    this.createdAt = init.createdAt;
    this.updatedAt = init.createdAt;
  }

  /** An order as a submit command asks for it, with what the venue decided about it. */
  static fromCommand(
    cmd: SubmitOrder,
    decided: { seq: number; venueOrderId: string; lots: number; priceTicks: number; stopTicks: number; status: PaperOrder['status']; createdAt: number },
  ): PaperOrder {
    const order = new PaperOrder({
      clientOrderId: cmd.clientOrderId,
      symbol: cmd.symbol,
      side: cmd.side,
      type: cmd.type,
      timeInForce: cmd.timeInForce,
      postOnly: cmd.postOnly,
      reduceOnly: cmd.reduceOnly,
      quantity: cmd.quantity,
      price: cmd.price,
      stopPrice: cmd.stopPrice,
      ...decided,
    });
    order.trailing = cmd.trailing ?? null;
    return order;
  }

  /** A request refused before acceptance: no venue order id, nothing to match. */
  static rejected(cmd: SubmitOrder, now: number): PaperOrder {
    return PaperOrder.fromCommand(cmd, { seq: 0, venueOrderId: '', lots: 0, priceTicks: 0, stopTicks: 0, status: 'rejected', createdAt: now });
  }

  /** Rebuilds an order from its persisted record (`math` is undefined for an instrument no longer listed). */
  static fromRecord(r: PaperOrderRecord, math: InstrumentMath | undefined): PaperOrder {
    const steps = (text: string | null, step: Step | undefined): number => (text === null || !step ? 0 : Math.max(0, toSteps(text, step)));
    const order = new PaperOrder({
      seq: r.seq,
      clientOrderId: r.clientOrderId,
      venueOrderId: r.venueOrderId,
      symbol: r.symbol,
      side: r.side,
      type: r.type,
      timeInForce: r.timeInForce,
      postOnly: r.postOnly,
      reduceOnly: r.reduceOnly,
      quantity: r.quantity,
      price: r.price,
      stopPrice: r.stopPrice,
      lots: r.status === 'rejected' ? 0 : steps(r.quantity, math?.lot),
      priceTicks: steps(r.price, math?.tick),
      stopTicks: steps(r.stopPrice, math?.tick),
      status: r.status,
      createdAt: r.createdAt,
    });
    order.filledLots = steps(r.filledQuantity, math?.lot);
    order.triggered = r.triggered;
    order.updatedAt = r.updatedAt;
    order.reason = r.reason;
    order.role = r.role ?? null;
    order.active = r.inactive !== true;
    order.trailing = r.trailing ?? null;
    order.trailBestTicks = r.trailBestTicks ?? null;
    return order;
  }

  get remainingLots(): number {
    return this.lots - this.filledLots;
  }

  get isOpen(): boolean {
    return this.status === 'open' || this.status === 'partially_filled';
  }

  /** A conditional order triggers when the price rises to its stop (buy stops, sell take-profits), else when it falls to it. */
  get rises(): boolean {
    return triggerDirection(this.type, this.side) === 'rise';
  }

  /** +1 for buys, −1 for sells. */
  get direction(): 1 | -1 {
    return this.side === 'buy' ? 1 : -1;
  }

  toReport(lot: Step | undefined): VenueOrderReport {
    return {
      clientOrderId: this.clientOrderId,
      venueOrderId: this.venueOrderId,
      symbol: this.symbol,
      side: this.side,
      type: this.type,
      quantity: this.quantity,
      filledQuantity: lot ? formatSteps(this.filledLots, lot) : '0',
      price: this.price,
      stopPrice: this.stopPrice,
      status: this.status,
      triggered: this.triggered,
      updatedAt: this.updatedAt,
    };
  }

  toRecord(lot: Step | undefined): PaperOrderRecord {
    return {
      seq: this.seq,
      clientOrderId: this.clientOrderId,
      venueOrderId: this.venueOrderId,
      symbol: this.symbol,
      side: this.side,
      type: this.type,
      quantity: this.quantity,
      price: this.price,
      stopPrice: this.stopPrice,
      timeInForce: this.timeInForce,
      postOnly: this.postOnly,
      reduceOnly: this.reduceOnly,
      status: this.status,
      filledQuantity: lot ? formatSteps(this.filledLots, lot) : '0',
      triggered: this.triggered,
      createdAt: this.createdAt,
      updatedAt: this.updatedAt,
      reason: this.reason,
      ...(this.role !== null ? { role: this.role } : {}),
      ...(this.group !== null ? { group: this.group.root.clientOrderId } : {}),
      ...(this.active ? {} : { inactive: true }),
      ...(this.trailing !== null ? { trailing: this.trailing } : {}),
      ...(this.trailBestTicks !== null ? { trailBestTicks: this.trailBestTicks } : {}),
    };
  }
}
