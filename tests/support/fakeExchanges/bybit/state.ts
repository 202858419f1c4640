/**
 * The fake Bybit account and its matching rules: one unified (UTA) USDT
 * wallet, one-way positions, orders by orderId and orderLinkId, executions.
 * A Market order fills at the mark; a Limit that crosses the mark takes at
 * the mark (a PostOnly one is cancelled instead, as Bybit does); a resting
 * Limit fills as maker at its own price when the mark reaches it. Every
 * change is published for the private stream.
 */
import { randomUUID } from 'node:crypto';
import { abs, dec, type Dec, div, fromInt, isDecimal, isMultipleOf, min, mul, sign, ZERO } from '../common/decimal';
import { Listeners, MarkBook, text } from '../common/account';
import { errors } from './errors';
import { type BybitSymbolSpec, type Instrument, instrumentOf } from './instruments';

export type Side = 'Buy' | 'Sell';
export type OrderType = 'Limit' | 'Market';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'PostOnly';
export type OrderStatus = 'New' | 'PartiallyFilled' | 'Filled' | 'Cancelled' | 'PartiallyFilledCanceled';
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
}

export interface ExecutionRecord {
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
const OPEN: readonly OrderStatus[] = ['New', 'PartiallyFilled'];

export function isOpen(order: OrderRecord): boolean {
  return OPEN.includes(order.status);
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

  /** Moves the mark; resting Limit orders it reaches fill as maker at their own price. */
  setMark(symbol: string, price: string): void {
    const instrument = this.instrument(symbol);
    const mark = dec(price);
    this.book.move(instrument.symbol, mark);
    this.publish({ type: 'mark', symbol: instrument.symbol });
    for (const order of this.orders.filter((o) => o.symbol === instrument.symbol && isOpen(o) && o.orderType === 'Limit')) {
      const reached = order.side === 'Buy' ? mark <= order.price : mark >= order.price;
      if (reached) this.fill(order, order.qty - order.cumExecQty, order.price, true);
    }
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
    const reference = orderType === 'Market' ? mark : price;
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
    };
    this.orders.push(order);

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
}
