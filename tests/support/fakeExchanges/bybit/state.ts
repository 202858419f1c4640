/**
 * The fake Bybit account and its matching rules: one unified (UTA) USDT
 * wallet, one-way positions, orders by orderId and orderLinkId, executions.
 * A Market order fills at the mark; a Limit that crosses the mark takes at
 * the mark (a PostOnly one is cancelled instead, as Bybit does); a resting
 * Limit fills as maker at its own price when the mark reaches it. Every
 * change is published for the private stream.
 */
import { randomUUID } from 'node:crypto';
import { abs, dec, type Dec, div, fmt, fromInt, isDecimal, isMultipleOf, min, mul, sign, ZERO } from '../common/decimal';
import { Listeners, MarkBook, text } from '../common/account';
import { crossLiquidationPrice, fundingAmount } from '../common/margin';
import { errors } from './errors';
import { type BybitSymbolSpec, type Instrument, instrumentOf } from './instruments';

export type Side = 'Buy' | 'Sell';
export type OrderType = 'Limit' | 'Market';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'PostOnly';
export type OrderStatus = 'New' | 'PartiallyFilled' | 'Filled' | 'Cancelled' | 'PartiallyFilledCanceled' | 'Untriggered' | 'Deactivated';
/** Who placed an order: a signed API call, or another client of the same account (the website, the app). */
export type OrderSource = 'api' | 'external';

export interface OrderRecord {
  orderId: string;
  orderLinkId: string;
  symbol: string;
  side: Side;
  orderType: OrderType;
  timeInForce: TimeInForce;
  price: Dec;
  qty: Dec;
  cumExecQty: Dec;
  cumExecValue: Dec;
  cumExecFee: Dec;
  reduceOnly: boolean;
  status: OrderStatus;
  rejectReason: string;
  cancelType: string;
  createdTime: number;
  updatedTime: number;
  source: OrderSource;
  /** A conditional order: its trigger price (zero for none) and the way the mark must go to reach it (1 rising, 2 falling). */
  triggerPrice: Dec;
  triggerDirection: 0 | 1 | 2;
}

export interface ExecutionRecord {
  /** What was executed: an order's trade, or a funding settlement on the position (side: the position's). */
  execType: 'Trade' | 'Funding';
  execId: string;
  orderId: string;
  orderLinkId: string;
  symbol: string;
  side: Side;
  orderType: OrderType;
  orderPrice: Dec;
  orderQty: Dec;
  leavesQty: Dec;
  execPrice: Dec;
  execQty: Dec;
  execValue: Dec;
  execFee: Dec;
  feeRate: Dec;
  isMaker: boolean;
  closedSize: Dec;
  markPrice: Dec;
  execTime: number;
  seq: number;
}

export interface PositionRecord {
  symbol: string;
  /** Signed: positive long, negative short (one-way mode, positionIdx 0). */
  qty: Dec;
  entryPrice: Dec;
  cumRealisedPnl: Dec;
  createdTime: number;
  updatedTime: number;
  seq: number;
}

export type StateEvent =
  | { type: 'order'; order: OrderRecord }
  | { type: 'execution'; execution: ExecutionRecord }
  | { type: 'position'; symbol: string }
  | { type: 'wallet' }
  | { type: 'mark'; symbol: string };

/** An order as the create endpoint receives it (JSON values as sent). */
export interface CreateOrderRequest {
  symbol?: unknown;
  side?: unknown;
  orderType?: unknown;
  qty?: unknown;
  price?: unknown;
  timeInForce?: unknown;
  reduceOnly?: unknown;
  orderLinkId?: unknown;
  triggerPrice?: unknown;
  triggerDirection?: unknown;
}

export interface OrderQuery {
  symbol?: string;
  orderId?: string;
  orderLinkId?: string;
}

export interface BybitStateOptions {
  symbols: BybitSymbolSpec[];
  walletBalance: string;
  makerRate: string;
  takerRate: string;
  defaultLeverage: number;
  now: () => number;
}

const ORDER_LINK_ID = /^[A-Za-z0-9_-]{1,36}$/;
const TIME_IN_FORCE: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK', 'PostOnly'];
const OPEN: readonly OrderStatus[] = ['New', 'PartiallyFilled', 'Untriggered'];

export function isOpen(order: OrderRecord): boolean {
  return OPEN.includes(order.status);
}

/** A conditional order's trigger reached by the mark (1: rising to it, 2: falling to it). */
export function reachedTrigger(order: Pick<OrderRecord, 'triggerPrice' | 'triggerDirection'>, mark: Dec): boolean {
  if (order.triggerPrice === ZERO) return false;
  return order.triggerDirection === 1 ? mark >= order.triggerPrice : mark <= order.triggerPrice;
}

export class BybitState {
  private readonly instruments = new Map<string, Instrument>();
  private readonly book: MarkBook;
  private readonly orders: OrderRecord[] = [];
  private readonly executions: ExecutionRecord[] = [];
  private readonly positions = new Map<string, PositionRecord>();
  private readonly listeners = new Listeners<StateEvent>();
  private wallet: Dec;
  private readonly makerRate: Dec;
  private readonly takerRate: Dec;
  private seq = 1;
  /** Maintenance margin rate of the first risk tier, for positionMM. */
  readonly maintenanceRate = dec('0.005');

  constructor(private readonly options: BybitStateOptions) {
    this.book = new MarkBook(options.now);
    for (const spec of options.symbols) {
      const instrument = instrumentOf(spec);
      this.instruments.set(spec.symbol, instrument);
      this.book.list(spec.symbol, dec(spec.mark), Math.min(options.defaultLeverage, instrument.maxLeverage));
    }
    this.wallet = dec(options.walletBalance);
    this.makerRate = dec(options.makerRate);
    this.takerRate = dec(options.takerRate);
  }

  now(): number {
    return this.options.now();
  }

  onEvent(listener: (event: StateEvent) => void): () => void {
    return this.listeners.add(listener);
  }

  private publish(event: StateEvent): void {
    this.listeners.publish(event);
  }

  // ---- instruments, marks, leverage --------------------------------------------------------

  listInstruments(): Instrument[] {
    return [...this.instruments.values()];
  }

  instrument(symbol: string | undefined): Instrument {
    if (symbol === undefined) throw errors.params('params error: symbol is required');
    const instrument = this.instruments.get(symbol);
    if (instrument === undefined) throw errors.unsupportedSymbol();
    return instrument;
  }

  mark(symbol: string): Dec {
    return this.book.mark(this.instrument(symbol).symbol) as Dec;
  }

  marks24h(symbol: string): Array<{ time: number; price: Dec }> {
    return this.book.marks24h(symbol);
  }

  leverageOf(symbol: string): number {
    return this.book.leverageOf(symbol);
  }

  /** Moves the mark; conditional orders it reaches trigger, resting Limit orders it reaches fill as maker at their own price. */
  setMark(symbol: string, price: string): void {
    const instrument = this.instrument(symbol);
    const mark = dec(price);
    this.book.move(instrument.symbol, mark);
    this.publish({ type: 'mark', symbol: instrument.symbol });
    for (const order of this.orders.filter((o) => o.symbol === instrument.symbol && o.status === 'Untriggered')) {
      if (reachedTrigger(order, mark)) this.trigger(order, mark);
    }
    for (const order of this.orders.filter((o) => o.symbol === instrument.symbol && (o.status === 'New' || o.status === 'PartiallyFilled') && o.orderType === 'Limit')) {
      const reached = order.side === 'Buy' ? mark <= order.price : mark >= order.price;
      if (reached) this.fill(order, order.qty - order.cumExecQty, order.price, true);
    }
  }

  /** A conditional order reached: it works as the order it is (a Market fills at the mark, a Limit takes or rests). */
  private trigger(order: OrderRecord, mark: Dec): void {
    order.status = 'New';
    order.updatedTime = this.now();
    if (order.reduceOnly) {
      const position = this.positions.get(order.symbol)?.qty ?? ZERO;
      const reducible = (position > ZERO) === (order.side === 'Sell') ? abs(position) : ZERO;
      if (reducible === ZERO) return this.finish(order, 'Deactivated', 'EC_ReduceOnlySetButNoPosition');
      order.qty = min(order.qty, reducible);
    }
    const crosses = order.orderType === 'Market' || (order.side === 'Buy' ? order.price >= mark : order.price <= mark);
    if (crosses) this.fill(order, order.qty - order.cumExecQty, mark, false);
    else this.publish({ type: 'order', order });
  }

  /**
   * POST /v5/order/amend: a working order's qty (the whole quantity), price
   * (a Limit) and triggerPrice (a conditional not triggered yet). A qty at
   * or below what has filled is refused.
   */
  amendOrder(query: OrderQuery, qtyText: string | undefined, priceText: string | undefined, triggerText: string | undefined): OrderRecord {
    const instrument = this.instrument(query.symbol);
    if (query.orderId === undefined && query.orderLinkId === undefined) throw errors.params('params error: orderId or orderLinkId is required');
    const order = this.findOrder(query, true);
    if (order === undefined) throw errors.orderNotFound();
    if (qtyText === undefined && priceText === undefined && triggerText === undefined) throw errors.amendNothing();
    if (qtyText !== undefined) {
      if (!isDecimal(qtyText) || dec(qtyText) <= ZERO || !isMultipleOf(dec(qtyText), instrument.step)) throw errors.params('Qty invalid');
      if (dec(qtyText) <= order.cumExecQty) throw errors.params('params error: qty must be greater than the filled qty');
    }
    if (priceText !== undefined) {
      if (order.orderType !== 'Limit' || !isDecimal(priceText) || dec(priceText) <= ZERO || !isMultipleOf(dec(priceText), instrument.tick)) throw errors.params('Price invalid');
    }
    if (triggerText !== undefined) {
      if (order.status !== 'Untriggered' || !isDecimal(triggerText) || dec(triggerText) <= ZERO || !isMultipleOf(dec(triggerText), instrument.tick)) throw errors.params('params error: triggerPrice invalid');
      const mark = this.mark(order.symbol);
      if (reachedTrigger({ ...order, triggerPrice: dec(triggerText) }, mark)) throw errors.triggerSide(order.triggerDirection, triggerText, mark, instrument.pricePlaces);
    }
    if (qtyText !== undefined) order.qty = dec(qtyText);
    if (priceText !== undefined) order.price = dec(priceText);
    if (triggerText !== undefined) order.triggerPrice = dec(triggerText);
    order.updatedTime = this.now();
    this.publish({ type: 'order', order });
    const mark = this.mark(order.symbol);
    if (order.status !== 'Untriggered' && order.orderType === 'Limit' && (order.side === 'Buy' ? order.price >= mark : order.price <= mark)) {
      this.fill(order, order.qty - order.cumExecQty, mark, false);
    }
    return order;
  }

  /** POST /v5/position/set-leverage: one-way mode takes one leverage for both sides; the same leverage again is refused. */
  setLeverage(symbol: string | undefined, buyLeverage: string | undefined, sellLeverage: string | undefined): void {
    const instrument = this.instrument(symbol);
    if (buyLeverage === undefined || sellLeverage === undefined || !isDecimal(buyLeverage) || buyLeverage !== sellLeverage) {
      throw errors.params('params error: buyLeverage must be equal to sellLeverage in one-way mode');
    }
    const leverage = Number(buyLeverage);
    if (!(leverage >= 1 && leverage <= instrument.maxLeverage)) throw errors.params(`params error: leverage ${buyLeverage} is out of range [1, ${instrument.maxLeverage}]`);
    if (leverage === this.leverageOf(instrument.symbol)) throw errors.leverageNotModified();
    this.book.setLeverage(instrument.symbol, leverage);
    this.touchPosition(instrument.symbol);
  }

  // ---- orders --------------------------------------------------------------------------------

  placeOrder(request: CreateOrderRequest, source: OrderSource = 'api'): OrderRecord {
    const instrument = this.instrument(text(request.symbol));
    const side = text(request.side);
    if (side !== 'Buy' && side !== 'Sell') throw errors.params('params error: side invalid');
    const orderType = text(request.orderType);
    if (orderType !== 'Limit' && orderType !== 'Market') throw errors.params('params error: orderType invalid');
    const qtyText = text(request.qty);
    if (qtyText === undefined || !isDecimal(qtyText) || dec(qtyText) <= ZERO) throw errors.params('params error: qty invalid');
    let qty = dec(qtyText);
    if (!isMultipleOf(qty, instrument.step)) throw errors.params('Qty invalid');
    if (qty < instrument.minQty) throw errors.params('The number of contracts exceeds minimum limit allowed');
    if (qty > (orderType === 'Market' ? instrument.maxMarketQty : instrument.maxQty)) throw errors.params('The number of contracts exceeds maximum limit allowed');
    let price = ZERO;
    if (orderType === 'Limit') {
      const priceText = text(request.price);
      if (priceText === undefined || !isDecimal(priceText) || dec(priceText) <= ZERO) throw errors.params('params error: price invalid');
      price = dec(priceText);
      if (!isMultipleOf(price, instrument.tick)) throw errors.params('Price invalid');
    }
    const tifText = text(request.timeInForce) ?? (orderType === 'Market' ? 'IOC' : 'GTC');
    if (!(TIME_IN_FORCE as readonly string[]).includes(tifText)) throw errors.params('params error: timeInForce invalid');
    const timeInForce = orderType === 'Market' ? 'IOC' : (tifText as TimeInForce);
    const orderLinkId = text(request.orderLinkId) ?? '';
    if (orderLinkId !== '' && !ORDER_LINK_ID.test(orderLinkId)) throw errors.params('params error: orderLinkId invalid');
    // Unique among the account's open orders; a finished order's id may be used again.
    if (orderLinkId !== '' && this.orders.some((o) => o.orderLinkId === orderLinkId && isOpen(o))) throw errors.duplicateOrderLinkId();
    const reduceOnly = request.reduceOnly === true || request.reduceOnly === 'true';
    const mark = this.mark(instrument.symbol);
    // A conditional order: a trigger price and the direction the mark must move to reach it, which it may not have reached yet.
    const triggerText = text(request.triggerPrice);
    let triggerPrice = ZERO;
    let triggerDirection: 0 | 1 | 2 = 0;
    if (triggerText !== undefined) {
      if (!isDecimal(triggerText) || dec(triggerText) <= ZERO || !isMultipleOf(dec(triggerText), instrument.tick)) throw errors.params('params error: triggerPrice invalid');
      const direction = Number(text(request.triggerDirection) ?? request.triggerDirection);
      if (direction !== 1 && direction !== 2) throw errors.params('params error: triggerDirection invalid');
      triggerPrice = dec(triggerText);
      triggerDirection = direction;
      if (reachedTrigger({ triggerPrice, triggerDirection }, mark)) throw errors.triggerSide(direction, triggerText, mark, instrument.pricePlaces);
    }
    const reference = orderType === 'Market' ? (triggerPrice === ZERO ? mark : triggerPrice) : price;
    if (reduceOnly) {
      const position = this.positions.get(instrument.symbol)?.qty ?? ZERO;
      if (position === ZERO) throw errors.reduceOnlyZero();
      if ((position > ZERO) === (side === 'Buy')) throw errors.reduceOnlySide();
      // Bybit cuts a reduce-only order to the position it can close.
      qty = min(qty, abs(position));
    } else {
      const notional = mul(qty, reference);
      if (notional < instrument.minNotional) throw errors.minNotional(instrument.spec.minNotionalValue);
      const margin = div(notional, fromInt(this.leverageOf(instrument.symbol))) + mul(notional, this.takerRate);
      if (margin > this.available()) throw errors.insufficientBalance();
    }

    const now = this.now();
    const order: OrderRecord = {
      orderId: randomUUID(),
      orderLinkId,
      symbol: instrument.symbol,
      side,
      orderType,
      timeInForce,
      price: orderType === 'Market' ? this.protectionPrice(instrument, side, mark) : price,
      qty,
      cumExecQty: ZERO,
      cumExecValue: ZERO,
      cumExecFee: ZERO,
      reduceOnly,
      status: 'New',
      rejectReason: 'EC_NoError',
      cancelType: 'UNKNOWN',
      createdTime: now,
      updatedTime: now,
      source,
      triggerPrice,
      triggerDirection,
    };
    this.orders.push(order);
    if (triggerPrice !== ZERO) {
      order.status = 'Untriggered';
      this.publish({ type: 'order', order });
      return order;
    }

    const crosses = orderType === 'Market' || (side === 'Buy' ? price >= mark : price <= mark);
    if (crosses && timeInForce === 'PostOnly') {
      this.finish(order, 'Cancelled', 'EC_PostOnlyWillTakeLiquidity');
    } else if (crosses) {
      this.fill(order, qty, mark, false);
    } else if (timeInForce === 'IOC' || timeInForce === 'FOK') {
      this.finish(order, 'Cancelled', 'EC_NoImmediateQtyToFill');
    } else {
      this.publish({ type: 'order', order });
    }
    return order;
  }

  /** A market order's price on Bybit is its slippage bound: 3% through the mark, on the tick. */
  private protectionPrice(instrument: Instrument, side: Side, mark: Dec): Dec {
    const bound = side === 'Buy' ? mul(mark, dec('1.03')) : mul(mark, dec('0.97'));
    return (bound / instrument.tick) * instrument.tick;
  }

  /** Finds an order by orderId or orderLinkId (orderId first, as Bybit does), among all or only open orders. */
  findOrder(query: OrderQuery, openOnly: boolean): OrderRecord | undefined {
    const candidates = this.orders.filter((o) => (!openOnly || isOpen(o)) && (query.symbol === undefined || o.symbol === query.symbol));
    if (query.orderId !== undefined) return candidates.find((o) => o.orderId === query.orderId);
    if (query.orderLinkId !== undefined) return [...candidates].reverse().find((o) => o.orderLinkId === query.orderLinkId);
    return undefined;
  }

  cancelOrder(query: OrderQuery): OrderRecord {
    this.instrument(query.symbol);
    if (query.orderId === undefined && query.orderLinkId === undefined) throw errors.params('params error: orderId or orderLinkId is required');
    const order = this.findOrder(query, true);
    if (order === undefined) throw errors.orderNotFound();
    this.finish(order, order.cumExecQty > ZERO ? 'PartiallyFilledCanceled' : 'Cancelled', 'EC_PerCancelRequest', 'CancelByUser');
    return order;
  }

  cancelAll(symbol: string | undefined): OrderRecord[] {
    if (symbol !== undefined) this.instrument(symbol);
    const open = this.orders.filter((o) => isOpen(o) && (symbol === undefined || o.symbol === symbol));
    for (const order of open) this.finish(order, order.cumExecQty > ZERO ? 'PartiallyFilledCanceled' : 'Cancelled', 'EC_PerCancelRequest', 'CancelByUser');
    return open;
  }

  /** Fills (part of) a resting order as maker, as if another trader took it. */
  fillRestingOrder(orderId: string, quantity?: string, price?: string): OrderRecord {
    const order = this.orders.find((o) => o.orderId === orderId);
    if (order === undefined || !isOpen(order)) throw errors.orderNotFound();
    const qty = quantity === undefined ? order.qty - order.cumExecQty : dec(quantity);
    this.fill(order, min(qty, order.qty - order.cumExecQty), price === undefined ? order.price : dec(price), true);
    return order;
  }

  /** Orders by creation, newest first (as Bybit lists them). */
  listOrders(filter: (order: OrderRecord) => boolean): OrderRecord[] {
    return this.orders.filter(filter).reverse();
  }

  listExecutions(filter: (execution: ExecutionRecord) => boolean): ExecutionRecord[] {
    return this.executions.filter(filter).sort((a, b) => b.execTime - a.execTime || b.seq - a.seq);
  }

  private finish(order: OrderRecord, status: OrderStatus, rejectReason: string, cancelType = 'UNKNOWN'): void {
    order.status = status;
    order.rejectReason = rejectReason;
    order.cancelType = cancelType;
    order.updatedTime = this.now();
    this.publish({ type: 'order', order });
  }

  private fill(order: OrderRecord, qty: Dec, price: Dec, maker: boolean): void {
    if (qty <= ZERO) return;
    const now = this.now();
    const value = mul(qty, price);
    const feeRate = maker ? this.makerRate : this.takerRate;
    const fee = mul(value, feeRate);
    order.cumExecQty += qty;
    order.cumExecValue += value;
    order.cumExecFee += fee;
    order.updatedTime = now;
    order.status = order.cumExecQty >= order.qty ? 'Filled' : 'PartiallyFilled';
    const closed = this.applyToPosition(order.symbol, order.side === 'Buy' ? qty : -qty, price, now);
    this.wallet -= fee;
    const position = this.positions.get(order.symbol);
    if (position !== undefined) position.cumRealisedPnl -= fee;
    const execution: ExecutionRecord = {
      execType: 'Trade',
      execId: randomUUID(),
      orderId: order.orderId,
      orderLinkId: order.orderLinkId,
      symbol: order.symbol,
      side: order.side,
      orderType: order.orderType,
      orderPrice: order.price,
      orderQty: order.qty,
      leavesQty: order.qty - order.cumExecQty,
      execPrice: price,
      execQty: qty,
      execValue: value,
      execFee: fee,
      feeRate,
      isMaker: maker,
      closedSize: closed,
      markPrice: this.mark(order.symbol),
      execTime: now,
      seq: this.seq++,
    };
    this.executions.push(execution);
    this.publish({ type: 'execution', execution });
    this.publish({ type: 'order', order });
    this.publish({ type: 'position', symbol: order.symbol });
    this.publish({ type: 'wallet' });
  }

  /** Nets a signed fill into the one-way position; realised PnL goes to the wallet. Answers the size it closed. */
  private applyToPosition(symbol: string, delta: Dec, price: Dec, now: number): Dec {
    const position = this.positions.get(symbol) ?? { symbol, qty: ZERO, entryPrice: ZERO, cumRealisedPnl: ZERO, createdTime: now, updatedTime: now, seq: 0 };
    this.positions.set(symbol, position);
    let closed = ZERO;
    if (position.qty === ZERO || sign(position.qty) === sign(delta)) {
      const size = abs(position.qty);
      position.entryPrice = div(mul(size, position.entryPrice) + mul(abs(delta), price), size + abs(delta));
      position.qty += delta;
    } else {
      closed = min(abs(position.qty), abs(delta));
      const pnl = mul(mul(closed, price - position.entryPrice), fromInt(sign(position.qty)));
      this.wallet += pnl;
      position.cumRealisedPnl += pnl;
      const before = position.qty;
      position.qty += delta;
      if (position.qty === ZERO) position.entryPrice = ZERO;
      else if (sign(position.qty) !== sign(before)) position.entryPrice = price;
    }
    position.updatedTime = now;
    position.seq = this.seq++;
    return closed;
  }

  private touchPosition(symbol: string): void {
    const position = this.positions.get(symbol);
    if (position !== undefined) {
      position.updatedTime = this.now();
      position.seq = this.seq++;
    }
    this.publish({ type: 'position', symbol });
  }

  // ---- account -------------------------------------------------------------------------------

  position(symbol: string): PositionRecord | undefined {
    return this.positions.get(symbol);
  }

  listPositions(): PositionRecord[] {
    return [...this.positions.values()];
  }

  unrealisedPnl(position: PositionRecord): Dec {
    return mul(position.qty, this.mark(position.symbol) - position.entryPrice);
  }

  positionIM(position: PositionRecord): Dec {
    return div(mul(abs(position.qty), this.mark(position.symbol)), fromInt(this.leverageOf(position.symbol)));
  }

  orderIM(): Dec {
    let total = ZERO;
    for (const order of this.orders) {
      if (!isOpen(order) || order.reduceOnly) continue;
      total += div(mul(order.qty - order.cumExecQty, order.price), fromInt(this.leverageOf(order.symbol)));
    }
    return total;
  }

  walletBalance(): Dec {
    return this.wallet;
  }

  unrealisedTotal(): Dec {
    return this.listPositions().reduce((sum, p) => sum + this.unrealisedPnl(p), ZERO);
  }

  positionIMTotal(): Dec {
    return this.listPositions().reduce((sum, p) => sum + this.positionIM(p), ZERO);
  }

  /** What new orders may still use as margin: equity less the margin held by positions and open orders. */
  available(): Dec {
    return this.wallet + this.unrealisedTotal() - this.positionIMTotal() - this.orderIM();
  }

  adjustWallet(amount: string): void {
    this.wallet += dec(amount);
    this.publish({ type: 'wallet' });
  }

  /**
   * Settles one funding interval on `symbol`'s position at its mark: the
   * wallet moves by −qty × mark × rate and a Funding execution records it
   * (execFee: what was paid, so negative when received; feeRate: the rate).
   * Answers the amount credited, "0" when flat.
   */
  settleFunding(symbol: string, rate: string): string {
    const position = this.positions.get(this.instrument(symbol).symbol);
    if (position === undefined || position.qty === ZERO) return '0';
    const mark = this.mark(position.symbol);
    const amount = fundingAmount(position.qty, mark, dec(rate), 8);
    const size = abs(position.qty);
    this.executions.push({
      execType: 'Funding',
      execId: randomUUID(),
      orderId: randomUUID(),
      orderLinkId: '',
      symbol: position.symbol,
      side: position.qty > ZERO ? 'Buy' : 'Sell',
      orderType: 'Market',
      orderPrice: ZERO,
      orderQty: ZERO,
      leavesQty: ZERO,
      execPrice: mark,
      execQty: size,
      execValue: mul(size, mark),
      execFee: -amount,
      feeRate: dec(rate),
      isMaker: false,
      closedSize: ZERO,
      markPrice: mark,
      execTime: this.now(),
      seq: this.seq++,
    });
    this.wallet += amount;
    position.cumRealisedPnl += amount;
    this.publish({ type: 'wallet' });
    return fmt(amount);
  }

  /** The position's liquidation price (zero: none), by the model in `common/margin`, at the first tier's rate. */
  liquidationPrice(position: PositionRecord): Dec {
    if (position.qty === ZERO) return ZERO;
    const rate = this.maintenanceRate;
    const maintenance = (p: PositionRecord) => mul(mul(abs(p.qty), this.mark(p.symbol)), rate);
    const others = this.listPositions().filter((p) => p.symbol !== position.symbol);
    const wallet = this.wallet + others.reduce((sum, p) => sum + this.unrealisedPnl(p) - maintenance(p), ZERO);
    return crossLiquidationPrice(position.qty, position.entryPrice, wallet, rate);
  }
}
