/**
 * The fake exchange's book of record and its matching rules: one USDT wallet,
 * one-way positions, orders (by orderId and clientOrderId), trades and
 * conditional (algo) orders. A MARKET order fills at the mark; a LIMIT that
 * crosses the mark takes at the mark; a resting LIMIT fills as maker at its
 * own price when the mark reaches it; GTX refuses to cross. Every change is
 * published as an EngineEvent for the user-data stream.
 */
import { abs, dec, type Dec, div, fixed, fmt, fromInt, isDecimal, isMultipleOf, min, mul, placesOf, sign, ZERO } from '../common/decimal';
import { crossLiquidationPrice, fundingAmount } from '../common/margin';
import { BinanceError, errors } from './errors';
import { instrumentOf, type Instrument, maintMarginRatio, type SymbolSpec } from './symbols';
import type {
  IncomeRecord,
  AccountFigures,
  AccountUpdateReason,
  AlgoOrderRequest,
  AlgoOrderType,
  AlgoRecord,
  EngineEvent,
  ExecutionType,
  OrderRecord,
  OrderRequest,
  OrderSource,
  PositionRecord,
  Side,
  TimeInForce,
  TradeRecord,
} from './types';

const CLIENT_ORDER_ID = /^[.A-Z:/a-z0-9_-]{1,36}$/;
const TIME_IN_FORCE: readonly TimeInForce[] = ['GTC', 'IOC', 'FOK', 'GTX', 'GTD'];
const ALGO_TYPES: readonly AlgoOrderType[] = ['STOP_MARKET', 'TAKE_PROFIT_MARKET', 'STOP', 'TAKE_PROFIT', 'TRAILING_STOP_MARKET'];
const CONDITIONAL_ON_ORDER_ENDPOINT = ['STOP', 'STOP_MARKET', 'TAKE_PROFIT', 'TAKE_PROFIT_MARKET', 'TRAILING_STOP_MARKET'];

export interface ExchangeStateOptions {
  symbols: SymbolSpec[];
  /** Starting USDT wallet balance. */
  walletBalance: string;
  makerRate: string;
  takerRate: string;
  defaultLeverage: number;
  /** Server time in ms (the injected clock plus any skew). */
  now: () => number;
  /** Makes generated client ids repeatable. */
  seed: number;
}

export interface MarkPoint {
  time: number;
  price: Dec;
}

export class ExchangeState {
  private readonly instruments = new Map<string, Instrument>();
  private readonly marks = new Map<string, Dec>();
  private readonly markHistory = new Map<string, MarkPoint[]>();
  private readonly leverage = new Map<string, number>();
  private readonly orders = new Map<number, OrderRecord>();
  private readonly ordersByClientId = new Map<string, number[]>();
  private readonly trades: TradeRecord[] = [];
  private readonly positions = new Map<string, PositionRecord>();
  private readonly algos = new Map<number, AlgoRecord>();
  private readonly incomes: IncomeRecord[] = [];
  private nextTranId = 9_000_000_001;
  private readonly listeners = new Set<(event: EngineEvent) => void>();
  private wallet: Dec;
  private walletUpdateTime: number;
  private readonly makerRate: Dec;
  private readonly takerRate: Dec;
  private nextOrderId = 4_000_000_001;
  private nextTradeId = 200_000_001;
  private nextAlgoId = 3_000_000_001;
  private idState: number;

  constructor(private readonly options: ExchangeStateOptions) {
    for (const spec of options.symbols) {
      const instrument = instrumentOf(spec);
      this.instruments.set(spec.symbol, instrument);
      this.marks.set(spec.symbol, dec(spec.mark));
      this.markHistory.set(spec.symbol, [{ time: options.now(), price: dec(spec.mark) }]);
      this.leverage.set(spec.symbol, Math.min(options.defaultLeverage, instrument.maxLeverage));
    }
    this.wallet = dec(options.walletBalance);
    this.walletUpdateTime = options.now();
    this.makerRate = dec(options.makerRate);
    this.takerRate = dec(options.takerRate);
    this.idState = options.seed >>> 0;
  }

  now(): number {
    return this.options.now();
  }

  onEvent(listener: (event: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  // ---- instruments and marks -------------------------------------------------------------

  listInstruments(): Instrument[] {
    return [...this.instruments.values()];
  }

  instrument(symbol: string | undefined): Instrument {
    if (symbol === undefined || symbol === '') throw errors.mandatory('symbol');
    const instrument = this.instruments.get(symbol);
    if (instrument === undefined) throw errors.invalidSymbol();
    return instrument;
  }

  mark(symbol: string): Dec {
    const mark = this.marks.get(symbol);
    if (mark === undefined) throw errors.invalidSymbol();
    return mark;
  }

  marksHistory(symbol: string): MarkPoint[] {
    return this.markHistory.get(symbol) ?? [];
  }

  /** Moves the mark; resting LIMIT orders it reaches fill as maker, conditional orders it crosses trigger. */
  setMark(symbol: string, price: string): void {
    const instrument = this.instrument(symbol);
    if (!isDecimal(price) || dec(price) <= ZERO) throw new Error(`mark must be a positive decimal, got ${price}`);
    const mark = dec(price);
    const time = this.now();
    this.marks.set(instrument.symbol, mark);
    this.markHistory.get(instrument.symbol)?.push({ time, price: mark });
    this.emit({ type: 'mark', symbol: instrument.symbol, mark, time });
    for (const order of this.openOrders(instrument.symbol)) {
      if (order.type !== 'LIMIT') continue;
      const reached = order.side === 'BUY' ? mark <= order.price : mark >= order.price;
      if (reached) this.fillResting(order, order.origQty - order.executedQty, order.price);
    }
    for (const algo of this.openAlgoOrders(instrument.symbol)) {
      if (this.algoTriggers(algo, mark)) this.triggerAlgo(algo);
      else if (algo.orderType === 'TRAILING_STOP_MARKET') this.trail(algo, mark);
    }
  }

  /**
   * PUT /fapi/v1/order: a LIMIT order's quantity and price, both sent. The
   * order keeps its ids; a quantity at or below what has filled cancels it
   * (as Binance does); a price that crosses the mark takes at once.
   */
  modifyOrder(symbol: string | undefined, orderId: number | undefined, origClientOrderId: string | undefined, side: string | undefined, quantity: string | undefined, price: string | undefined): OrderRecord {
    const instrument = this.instrument(symbol);
    if (orderId === undefined && (origClientOrderId === undefined || origClientOrderId === '')) throw errors.eitherParam('orderId', 'origClientOrderId');
    const order = this.lookup(instrument.symbol, orderId, origClientOrderId);
    if (order === undefined || !isOpen(order)) throw errors.unknownOrderSent();
    if (order.type !== 'LIMIT') throw errors.modifyLimitOnly();
    if (this.parseSide(side) !== order.side) throw errors.invalidSide();
    const newQuantity = this.parseQuantity(instrument, quantity, false);
    const newPrice = this.parsePrice(instrument, price, 'price');
    if (newQuantity <= order.executedQty) {
      this.finish(order, 'CANCELED');
      return { ...order };
    }
    order.origQty = newQuantity;
    order.price = newPrice;
    order.updateTime = this.now();
    this.emitOrder('AMENDMENT', order, null);
    const mark = this.mark(order.symbol);
    if (order.side === 'BUY' ? newPrice >= mark : newPrice <= mark) this.fill(order, order.origQty - order.executedQty, mark, false);
    return { ...order };
  }

  // ---- orders -----------------------------------------------------------------------------

  /** Places an order as POST /fapi/v1/order does; throws BinanceError on any refusal (nothing is recorded then). */
  placeOrder(request: OrderRequest, source: OrderSource = 'api'): OrderRecord {
    const instrument = this.instrument(request.symbol);
    const side = this.parseSide(request.side);
    if (request.type === undefined || request.type === '') throw errors.mandatory('type');
    if (CONDITIONAL_ON_ORDER_ENDPOINT.includes(request.type)) throw errors.useAlgoApi();
    if (request.type !== 'LIMIT' && request.type !== 'MARKET') throw errors.invalidOrderType();
    const type = request.type;
    const quantity = this.parseQuantity(instrument, request.quantity, type === 'MARKET');
    let price = ZERO;
    let timeInForce: TimeInForce = 'GTC';
    const mark = this.mark(instrument.symbol);
    if (type === 'LIMIT') {
      if (request.timeInForce === undefined || request.timeInForce === '') throw errors.mandatory('timeInForce');
      if (!TIME_IN_FORCE.includes(request.timeInForce as TimeInForce)) throw errors.invalidTimeInForce();
      timeInForce = request.timeInForce as TimeInForce;
      price = this.parsePrice(instrument, request.price, 'price');
      const cap = mul(mark, instrument.multiplierUp);
      const floor = mul(mark, instrument.multiplierDown);
      if (side === 'BUY' && price > cap) throw errors.limitPriceTooHigh(fixed(cap, instrument.pricePlaces));
      if (side === 'SELL' && price < floor) throw errors.limitPriceTooLow(fixed(floor, instrument.pricePlaces));
    } else if (request.price !== undefined && request.price !== '') {
      throw errors.notRequired('price');
    }
    const clientOrderId = this.clientOrderId(request.clientOrderId, source);
    if (this.openOrderByClientId(clientOrderId) !== undefined) throw errors.duplicateClientOrderId();
    const reduceOnly = request.reduceOnly === true;
    const position = this.positionOf(instrument.symbol).qty;
    if (reduceOnly && this.reducible(position, side) === ZERO) throw errors.reduceOnlyRejected();
    const refPrice = type === 'LIMIT' ? price : mark;
    if (!reduceOnly && mul(quantity, refPrice) < instrument.minNotional) throw errors.minNotional(fmt(instrument.minNotional));
    if (this.openOrders(instrument.symbol).length >= instrument.maxNumOrders) throw errors.maxOpenOrders();
    if (!reduceOnly) {
      const opening = this.openingQuantity(position, side, quantity);
      const required = div(mul(opening, refPrice), fromInt(this.leverageOf(instrument.symbol)));
      if (required > this.figures().availableBalance) throw errors.marginInsufficient();
    }
    const crosses = type === 'MARKET' || (side === 'BUY' ? price >= mark : price <= mark);
    if (type === 'LIMIT' && timeInForce === 'GTX' && crosses) throw errors.postOnlyRejected();
    if (type === 'LIMIT' && timeInForce === 'FOK' && !crosses) throw errors.fokRejected();

    const time = this.now();
    const order: OrderRecord = {
      orderId: this.nextOrderId++,
      symbol: instrument.symbol,
      clientOrderId,
      side,
      type,
      timeInForce,
      price,
      origQty: quantity,
      executedQty: ZERO,
      cumQuote: ZERO,
      reduceOnly,
      closePosition: request.closePosition === true,
      status: 'NEW',
      time,
      updateTime: time,
      goodTillDate: timeInForce === 'GTD' ? (request.goodTillDate ?? 0) : 0,
      source,
    };
    this.orders.set(order.orderId, order);
    this.ordersByClientId.set(clientOrderId, [...(this.ordersByClientId.get(clientOrderId) ?? []), order.orderId]);
    this.emitOrder('NEW', order, null);

    if (crosses) {
      const wanted = reduceOnly ? min(quantity, this.reducible(this.positionOf(order.symbol).qty, side)) : quantity;
      if (wanted > ZERO) this.fill(order, wanted, mark, false);
      const rests = type === 'LIMIT' && (timeInForce === 'GTC' || timeInForce === 'GTD') && !reduceOnly;
      if (order.executedQty < order.origQty && !rests) this.finish(order, 'EXPIRED');
    } else if (timeInForce === 'IOC') {
      this.finish(order, 'EXPIRED');
    }
    return { ...order };
  }

  /** Fills part (or all) of a resting LIMIT order as maker, as another trader taking it would. */
  fillRestingOrder(orderId: number, quantity?: string, price?: string): OrderRecord {
    const order = this.orders.get(orderId);
    if (order === undefined || !isOpen(order)) throw errors.unknownOrderSent();
    const qty = quantity === undefined ? order.origQty - order.executedQty : dec(quantity);
    this.fillResting(order, min(qty, order.origQty - order.executedQty), price === undefined ? order.price : dec(price));
    return { ...order };
  }

  cancelOrder(symbol: string | undefined, orderId: number | undefined, origClientOrderId: string | undefined): OrderRecord {
    const instrument = this.instrument(symbol);
    if (orderId === undefined && (origClientOrderId === undefined || origClientOrderId === '')) throw errors.eitherParam('orderId', 'origClientOrderId');
    const order = this.lookup(instrument.symbol, orderId, origClientOrderId);
    if (order === undefined || !isOpen(order)) throw errors.unknownOrderSent();
    this.finish(order, 'CANCELED');
    return { ...order };
  }

  cancelAllOrders(symbol: string | undefined): OrderRecord[] {
    const instrument = this.instrument(symbol);
    return this.openOrders(instrument.symbol).map((order) => {
      this.finish(order, 'CANCELED');
      return { ...order };
    });
  }

  /** GET /fapi/v1/order: by orderId, else the latest order with that client id (an open one first). */
  queryOrder(symbol: string | undefined, orderId: number | undefined, origClientOrderId: string | undefined): OrderRecord {
    const instrument = this.instrument(symbol);
    if (orderId === undefined && (origClientOrderId === undefined || origClientOrderId === '')) throw errors.eitherParam('orderId', 'origClientOrderId');
    const order = this.lookup(instrument.symbol, orderId, origClientOrderId);
    if (order === undefined) throw errors.orderDoesNotExist();
    return { ...order };
  }

  openOrders(symbol?: string): OrderRecord[] {
    return [...this.orders.values()].filter((o) => isOpen(o) && (symbol === undefined || o.symbol === symbol));
  }

  allOrders(symbol: string, filter: { orderId?: number; startTime?: number; endTime?: number; limit?: number }): OrderRecord[] {
    const limit = Math.min(filter.limit ?? 500, 1000);
    const matching = [...this.orders.values()].filter(
      (o) =>
        o.symbol === symbol &&
        (filter.orderId === undefined || o.orderId >= filter.orderId) &&
        (filter.startTime === undefined || o.time >= filter.startTime) &&
        (filter.endTime === undefined || o.time <= filter.endTime),
    );
    return filter.orderId !== undefined ? matching.slice(0, limit) : matching.slice(-limit);
  }

  userTrades(symbol: string | undefined, filter: { startTime?: number; endTime?: number; fromId?: number; limit?: number }): TradeRecord[] {
    const limit = Math.min(filter.limit ?? 500, 1000);
    const matching = this.trades.filter(
      (t) =>
        (symbol === undefined || t.symbol === symbol) &&
        (filter.fromId === undefined || t.id >= filter.fromId) &&
        (filter.startTime === undefined || t.time >= filter.startTime) &&
        (filter.endTime === undefined || t.time <= filter.endTime),
    );
    return filter.fromId !== undefined ? matching.slice(0, limit) : matching.slice(-limit);
  }

  allTrades(): TradeRecord[] {
    return this.trades.map((t) => ({ ...t }));
  }

  // ---- conditional (algo) orders -------------------------------------------------------------

  placeAlgoOrder(request: AlgoOrderRequest): AlgoRecord {
    if (request.algoType === undefined || request.algoType === '') throw errors.mandatory('algoType');
    if (request.algoType !== 'CONDITIONAL') throw errors.invalidOrderType();
    const instrument = this.instrument(request.symbol);
    const side = this.parseSide(request.side);
    if (request.type === undefined || request.type === '') throw errors.mandatory('type');
    if (!ALGO_TYPES.includes(request.type as AlgoOrderType)) throw errors.invalidOrderType();
    const orderType = request.type as AlgoOrderType;
    const closePosition = request.closePosition === true;
    const quantity = closePosition ? ZERO : this.parseQuantity(instrument, request.quantity, orderType.endsWith('_MARKET'));
    const trailing = orderType === 'TRAILING_STOP_MARKET';
    // A trailing stop has no trigger price: it trails the mark by its callback rate (0.1 to 10 %), from its activation price if it has one.
    const callbackRate = trailing ? this.parseCallbackRate(request.callbackRate) : ZERO;
    const activatePrice = trailing && request.activatePrice !== undefined && request.activatePrice !== '' ? this.parsePrice(instrument, request.activatePrice, 'activatePrice') : ZERO;
    const triggerPrice = trailing ? ZERO : this.parsePrice(instrument, request.triggerPrice, 'triggerPrice');
    const limitOrder = orderType === 'STOP' || orderType === 'TAKE_PROFIT';
    const price = limitOrder ? this.parsePrice(instrument, request.price, 'price') : ZERO;
    let timeInForce: TimeInForce = 'GTC';
    if (request.timeInForce !== undefined && request.timeInForce !== '') {
      if (!TIME_IN_FORCE.includes(request.timeInForce as TimeInForce)) throw errors.invalidTimeInForce();
      timeInForce = request.timeInForce as TimeInForce;
    }
    const clientAlgoId = this.clientOrderId(request.clientAlgoId, 'api');
    if (this.openAlgoOrders().some((a) => a.clientAlgoId === clientAlgoId)) throw errors.duplicateClientAlgoId();
    if (this.openAlgoOrders(instrument.symbol).length >= instrument.maxNumAlgoOrders) throw errors.maxStopOrders();
    const time = this.now();
    const algo: AlgoRecord = {
      algoId: this.nextAlgoId++,
      clientAlgoId,
      symbol: instrument.symbol,
      side,
      orderType,
      quantity,
      triggerPrice,
      price,
      timeInForce,
      reduceOnly: request.reduceOnly === true || closePosition,
      closePosition,
      workingType: request.workingType === 'MARK_PRICE' ? 'MARK_PRICE' : 'CONTRACT_PRICE',
      algoStatus: 'NEW',
      createTime: time,
      updateTime: time,
      triggerTime: 0,
      actualOrderId: null,
      rejectReason: '',
      callbackRate,
      activatePrice,
      trailBest: ZERO,
    };
    if (trailing) this.trail(algo, this.mark(instrument.symbol));
    if (this.algoTriggers(algo, this.mark(instrument.symbol))) throw errors.wouldTrigger();
    this.algos.set(algo.algoId, algo);
    this.emitAlgo(algo);
    return { ...algo };
  }

  cancelAlgoOrder(algoId: number | undefined, clientAlgoId: string | undefined): AlgoRecord {
    if (algoId === undefined && (clientAlgoId === undefined || clientAlgoId === '')) throw errors.eitherParam('algoId', 'clientAlgoId');
    const algo = this.lookupAlgo(algoId, clientAlgoId);
    if (algo === undefined || algo.algoStatus !== 'NEW') throw errors.unknownOrderSent();
    this.finishAlgo(algo, 'CANCELED');
    return { ...algo };
  }

  cancelAllAlgoOrders(symbol: string | undefined): AlgoRecord[] {
    const instrument = this.instrument(symbol);
    return this.openAlgoOrders(instrument.symbol).map((algo) => {
      this.finishAlgo(algo, 'CANCELED');
      return { ...algo };
    });
  }

  queryAlgoOrder(algoId: number | undefined, clientAlgoId: string | undefined): AlgoRecord {
    if (algoId === undefined && (clientAlgoId === undefined || clientAlgoId === '')) throw errors.eitherParam('algoId', 'clientAlgoId');
    const algo = this.lookupAlgo(algoId, clientAlgoId);
    if (algo === undefined) throw errors.orderDoesNotExist();
    return { ...algo };
  }

  openAlgoOrders(symbol?: string): AlgoRecord[] {
    return [...this.algos.values()].filter((a) => a.algoStatus === 'NEW' && (symbol === undefined || a.symbol === symbol));
  }

  // ---- positions, leverage and money ---------------------------------------------------------

  positionOf(symbol: string): PositionRecord {
    let position = this.positions.get(symbol);
    if (position === undefined) {
      position = { symbol, qty: ZERO, entryPrice: ZERO, accumulatedRealized: ZERO, updateTime: 0 };
      this.positions.set(symbol, position);
    }
    return position;
  }

  allPositions(): PositionRecord[] {
    return this.listInstruments().map((i) => ({ ...this.positionOf(i.symbol) }));
  }

  leverageOf(symbol: string): number {
    return this.leverage.get(symbol) ?? this.options.defaultLeverage;
  }

  setLeverage(symbol: string | undefined, leverage: string | undefined): { leverage: number; maxNotionalValue: string; symbol: string } {
    const instrument = this.instrument(symbol);
    if (leverage === undefined || leverage === '') throw errors.mandatory('leverage');
    const n = Number(leverage);
    if (!Number.isInteger(n) || n < 1 || n > instrument.maxLeverage) throw errors.invalidLeverage(leverage);
    this.leverage.set(instrument.symbol, n);
    const bracket = [...instrument.brackets].reverse().find((b) => b.initialLeverage >= n) ?? instrument.brackets[0];
    return { leverage: n, maxNotionalValue: bracket?.notionalCap ?? '0', symbol: instrument.symbol };
  }

  walletBalance(): Dec {
    return this.wallet;
  }

  /** Moves money in or out of the wallet (a deposit, a transfer, a funding fee) and says so on the stream. */
  adjustWallet(amount: string, reason: AccountUpdateReason = 'ADJUSTMENT'): void {
    const change = dec(amount);
    this.wallet += change;
    this.walletUpdateTime = this.now();
    this.emitAccount(reason, change, []);
  }

  /**
   * Settles one funding interval on `symbol`'s position at its mark: the
   * wallet moves by −qty × mark × rate, the income history records it
   * (FUNDING_FEE, with its tranId) and the user stream says so. Null when
   * flat.
   */
  settleFunding(symbol: string, rate: string): IncomeRecord | null {
    const position = this.positionOf(this.instrument(symbol).symbol);
    if (position.qty === ZERO) return null;
    const amount = fundingAmount(position.qty, this.mark(position.symbol), dec(rate), 8);
    const record: IncomeRecord = { symbol: position.symbol, incomeType: 'FUNDING_FEE', income: amount, asset: 'USDT', time: this.now(), tranId: this.nextTranId++ };
    this.incomes.push(record);
    this.wallet += amount;
    this.walletUpdateTime = record.time;
    this.emitAccount('FUNDING_FEE', amount, [position]);
    return { ...record };
  }

  /**
   * GET /fapi/v1/income: oldest first from startTime (the latest `limit`
   * without one), at most `limit` (default 100, at most 1000).
   */
  incomeHistory(filter: { symbol?: string; incomeType?: string; startTime?: number; endTime?: number; limit?: number }): IncomeRecord[] {
    const limit = Math.min(filter.limit ?? 100, 1000);
    const rows = this.incomes.filter(
      (r) =>
        (filter.symbol === undefined || r.symbol === filter.symbol) &&
        (filter.incomeType === undefined || r.incomeType === filter.incomeType) &&
        (filter.startTime === undefined || r.time >= filter.startTime) &&
        (filter.endTime === undefined || r.time <= filter.endTime),
    );
    return (filter.startTime === undefined ? rows.slice(-limit) : rows.slice(0, limit)).map((r) => ({ ...r }));
  }

  /** The liquidation price of `symbol`'s position (zero: none), by the model in `common/margin`. */
  liquidationPriceOf(symbol: string): Dec {
    const position = this.positionOf(symbol);
    if (position.qty === ZERO) return ZERO;
    const instrument = this.instrument(symbol);
    const mark = this.mark(symbol);
    const notional = abs(mul(position.qty, mark));
    const rate = maintMarginRatio(instrument, notional);
    const totals = this.figures();
    const own = mul(position.qty, mark - position.entryPrice);
    const wallet = this.wallet + (totals.unrealizedProfit - own) - (totals.maintMargin - mul(notional, rate));
    return crossLiquidationPrice(position.qty, position.entryPrice, wallet, rate);
  }

  figures(): AccountFigures {
    let unrealized = ZERO;
    let positionIm = ZERO;
    let maint = ZERO;
    let updateTime = this.walletUpdateTime;
    for (const position of this.positions.values()) {
      if (position.qty === ZERO) continue;
      const instrument = this.instrument(position.symbol);
      const mark = this.mark(position.symbol);
      const notional = abs(mul(position.qty, mark));
      unrealized += mul(position.qty, mark - position.entryPrice);
      positionIm += div(notional, fromInt(this.leverageOf(position.symbol)));
      maint += mul(notional, maintMarginRatio(instrument, notional));
      updateTime = Math.max(updateTime, position.updateTime);
    }
    let openOrderIm = ZERO;
    for (const order of this.openOrders()) {
      if (order.reduceOnly) continue;
      openOrderIm += div(mul(order.origQty - order.executedQty, order.price), fromInt(this.leverageOf(order.symbol)));
    }
    const marginBalance = this.wallet + unrealized;
    const available = marginBalance - positionIm - openOrderIm;
    return {
      walletBalance: this.wallet,
      unrealizedProfit: unrealized,
      marginBalance,
      positionInitialMargin: positionIm,
      openOrderInitialMargin: openOrderIm,
      maintMargin: maint,
      availableBalance: available,
      maxWithdrawAmount: min(available, this.wallet) < ZERO ? ZERO : min(available, this.wallet),
      updateTime,
    };
  }

  orderCount(): number {
    return this.orders.size;
  }

  /** Everything a test or the control surface may want to look at, as JSON-friendly strings. */
  snapshot() {
    const figures = this.figures();
    return {
      time: this.now(),
      walletBalance: fmt(figures.walletBalance),
      availableBalance: fmt(figures.availableBalance),
      unrealizedProfit: fmt(figures.unrealizedProfit),
      marks: Object.fromEntries([...this.marks].map(([s, m]) => [s, fmt(m)])),
      leverage: Object.fromEntries(this.leverage),
      positions: this.allPositions()
        .filter((p) => p.qty !== ZERO)
        .map((p) => ({ symbol: p.symbol, positionAmt: fmt(p.qty), entryPrice: fmt(p.entryPrice) })),
      openOrders: this.openOrders().map((o) => ({
        orderId: o.orderId,
        clientOrderId: o.clientOrderId,
        symbol: o.symbol,
        side: o.side,
        type: o.type,
        price: fmt(o.price),
        origQty: fmt(o.origQty),
        executedQty: fmt(o.executedQty),
        status: o.status,
        source: o.source,
      })),
      openAlgoOrders: this.openAlgoOrders().map((a) => ({
        algoId: a.algoId,
        clientAlgoId: a.clientAlgoId,
        symbol: a.symbol,
        side: a.side,
        type: a.orderType,
        triggerPrice: fmt(a.triggerPrice),
        quantity: fmt(a.quantity),
      })),
      orderCount: this.orders.size,
      tradeCount: this.trades.length,
    };
  }

  // ---- internals ------------------------------------------------------------------------------

  private parseSide(side: string | undefined): Side {
    if (side === undefined || side === '') throw errors.mandatory('side');
    if (side !== 'BUY' && side !== 'SELL') throw errors.invalidSide();
    return side;
  }

  private parseQuantity(instrument: Instrument, text: string | undefined, market: boolean): Dec {
    if (text === undefined || text === '') throw errors.mandatory('quantity');
    if (!isDecimal(text)) throw errors.illegalCharacters('quantity');
    const quantity = dec(text);
    if (quantity <= ZERO) throw errors.quantityNotPositive();
    if (placesOf(text.replace(/0+$/, '')) > instrument.quantityPlaces) throw errors.precision();
    if (!isMultipleOf(quantity, instrument.step)) throw errors.quantityNotStep();
    if (quantity < (market ? instrument.marketMinQty : instrument.minQty)) throw errors.quantityBelowMin();
    if (quantity > (market ? instrument.marketMaxQty : instrument.maxQty)) throw errors.quantityAboveMax();
    return quantity;
  }

  private parsePrice(instrument: Instrument, text: string | undefined, name: string): Dec {
    if (text === undefined || text === '') throw errors.mandatory(name);
    if (!isDecimal(text)) throw errors.illegalCharacters(name);
    const price = dec(text);
    if (price <= ZERO) throw errors.priceBelowMin();
    if (placesOf(text.replace(/0+$/, '')) > instrument.pricePlaces) throw errors.precision();
    if (!isMultipleOf(price, instrument.tick)) throw errors.priceNotTick();
    if (price < instrument.minPrice) throw errors.priceBelowMin();
    if (price > instrument.maxPrice) throw errors.priceAboveMax();
    return price;
  }

  private clientOrderId(requested: string | undefined, source: OrderSource): string {
    if (requested !== undefined && requested !== '') {
      if (!CLIENT_ORDER_ID.test(requested)) throw errors.invalidClientOrderId();
      return requested;
    }
    const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
    let id = source === 'external' ? 'web_' : '';
    while (id.length < 22) {
      this.idState = (Math.imul(this.idState, 1664525) + 1013904223) >>> 0;
      id += alphabet[this.idState % alphabet.length];
    }
    return id;
  }

  private openOrderByClientId(clientOrderId: string): OrderRecord | undefined {
    for (const id of this.ordersByClientId.get(clientOrderId) ?? []) {
      const order = this.orders.get(id);
      if (order !== undefined && isOpen(order)) return order;
    }
    return undefined;
  }

  private lookup(symbol: string, orderId: number | undefined, clientOrderId: string | undefined): OrderRecord | undefined {
    if (orderId !== undefined) {
      const order = this.orders.get(orderId);
      return order?.symbol === symbol ? order : undefined;
    }
    if (clientOrderId === undefined) return undefined;
    const open = this.openOrderByClientId(clientOrderId);
    if (open?.symbol === symbol) return open;
    const ids = (this.ordersByClientId.get(clientOrderId) ?? []).filter((id) => this.orders.get(id)?.symbol === symbol);
    const latest = ids[ids.length - 1];
    return latest === undefined ? undefined : this.orders.get(latest);
  }

  private lookupAlgo(algoId: number | undefined, clientAlgoId: string | undefined): AlgoRecord | undefined {
    if (algoId !== undefined) return this.algos.get(algoId);
    const all = [...this.algos.values()].filter((a) => a.clientAlgoId === clientAlgoId);
    return all.find((a) => a.algoStatus === 'NEW') ?? all[all.length - 1];
  }

  /** How much of a position an order on `side` can still close. */
  private reducible(position: Dec, side: Side): Dec {
    if (side === 'SELL' && position > ZERO) return position;
    if (side === 'BUY' && position < ZERO) return -position;
    return ZERO;
  }

  /** The part of an order that opens or grows a position (what needs margin). */
  private openingQuantity(position: Dec, side: Side, quantity: Dec): Dec {
    const closing = min(quantity, this.reducible(position, side));
    return quantity - closing;
  }

  private fillResting(order: OrderRecord, wanted: Dec, price: Dec): void {
    let quantity = wanted;
    if (order.reduceOnly) quantity = min(quantity, this.reducible(this.positionOf(order.symbol).qty, order.side));
    if (quantity > ZERO) this.fill(order, quantity, price, true);
    if (order.reduceOnly && order.executedQty < order.origQty && this.reducible(this.positionOf(order.symbol).qty, order.side) === ZERO) {
      this.finish(order, 'EXPIRED');
    }
  }

  private fill(order: OrderRecord, quantity: Dec, price: Dec, maker: boolean): void {
    const time = this.now();
    const position = this.positionOf(order.symbol);
    const signed = order.side === 'BUY' ? quantity : -quantity;
    let realized = ZERO;
    if (position.qty === ZERO || sign(position.qty) === sign(signed)) {
      const total = abs(position.qty) + quantity;
      position.entryPrice = div(mul(abs(position.qty), position.entryPrice) + mul(quantity, price), total);
    } else {
      const closing = min(quantity, abs(position.qty));
      realized = mul(closing, price - position.entryPrice) * BigInt(sign(position.qty));
      if (quantity > abs(position.qty)) position.entryPrice = price;
    }
    position.qty += signed;
    if (position.qty === ZERO) position.entryPrice = ZERO;
    position.accumulatedRealized += realized;
    position.updateTime = time;

    const quoteQty = mul(quantity, price);
    const commission = mul(quoteQty, maker ? this.makerRate : this.takerRate);
    this.wallet += realized - commission;
    this.walletUpdateTime = time;

    const trade: TradeRecord = {
      id: this.nextTradeId++,
      orderId: order.orderId,
      symbol: order.symbol,
      side: order.side,
      price,
      qty: quantity,
      quoteQty,
      commission,
      realizedPnl: realized,
      maker,
      time,
    };
    this.trades.push(trade);
    order.executedQty += quantity;
    order.cumQuote += quoteQty;
    order.status = order.executedQty >= order.origQty ? 'FILLED' : 'PARTIALLY_FILLED';
    order.updateTime = time;
    this.emitOrder('TRADE', order, trade);
    this.emitAccount('ORDER', ZERO, [position]);
  }

  private finish(order: OrderRecord, status: 'CANCELED' | 'EXPIRED'): void {
    order.status = status;
    order.updateTime = this.now();
    this.emitOrder(status, order, null);
  }

  private parseCallbackRate(text: string | undefined): Dec {
    if (text === undefined || text === '') throw errors.mandatory('callbackRate');
    if (!isDecimal(text)) throw errors.illegalCharacters('callbackRate');
    const rate = dec(text);
    if (rate < dec('0.1') || rate > dec('10')) throw errors.invalidCallbackRate();
    return rate;
  }

  /** A trailing stop follows the best mark since it activated (the highest for a sell, the lowest for a buy). */
  private trail(algo: AlgoRecord, mark: Dec): void {
    const sell = algo.side === 'SELL';
    if (algo.trailBest === ZERO) {
      const activated = algo.activatePrice === ZERO || (sell ? mark >= algo.activatePrice : mark <= algo.activatePrice);
      if (activated) algo.trailBest = mark;
      return;
    }
    if (sell ? mark > algo.trailBest : mark < algo.trailBest) algo.trailBest = mark;
  }

  private algoTriggers(algo: AlgoRecord, mark: Dec): boolean {
    if (algo.orderType === 'TRAILING_STOP_MARKET') {
      if (algo.trailBest === ZERO) return false;
      const hundred = fromInt(100);
      const sell = algo.side === 'SELL';
      const stop = div(mul(algo.trailBest, sell ? hundred - algo.callbackRate : hundred + algo.callbackRate), hundred);
      return sell ? mark <= stop : mark >= stop;
    }
    const stop = algo.orderType === 'STOP_MARKET' || algo.orderType === 'STOP';
    // A stop buys on the way up and sells on the way down; a take-profit the other way round.
    const buyWhenAbove = stop === (algo.side === 'BUY');
    return buyWhenAbove ? mark >= algo.triggerPrice : mark <= algo.triggerPrice;
  }

  private triggerAlgo(algo: AlgoRecord): void {
    algo.triggerTime = this.now();
    const quantity = algo.closePosition ? abs(this.positionOf(algo.symbol).qty) : algo.quantity;
    const limitOrder = algo.orderType === 'STOP' || algo.orderType === 'TAKE_PROFIT';
    try {
      if (quantity === ZERO) throw errors.reduceOnlyRejected();
      const order = this.placeOrder(
        {
          symbol: algo.symbol,
          side: algo.side,
          type: limitOrder ? 'LIMIT' : 'MARKET',
          quantity: fmt(quantity),
          price: limitOrder ? fmt(algo.price) : undefined,
          timeInForce: limitOrder ? algo.timeInForce : undefined,
          reduceOnly: algo.reduceOnly,
          clientOrderId: algo.clientAlgoId,
        },
        'algo',
      );
      algo.actualOrderId = order.orderId;
      this.finishAlgo(algo, 'TRIGGERED');
      if (!isOpen(order)) this.finishAlgo(algo, 'FINISHED');
    } catch (error) {
      if (!(error instanceof BinanceError)) throw error;
      algo.rejectReason = error.msg;
      this.finishAlgo(algo, 'REJECTED');
    }
  }

  private finishAlgo(algo: AlgoRecord, status: AlgoRecord['algoStatus']): void {
    algo.algoStatus = status;
    algo.updateTime = this.now();
    this.emitAlgo(algo);
  }

  private emitOrder(execution: ExecutionType, order: OrderRecord, trade: TradeRecord | null): void {
    this.emit({ type: 'order', execution, order: { ...order }, trade: trade === null ? null : { ...trade }, time: this.now() });
  }

  private emitAccount(reason: AccountUpdateReason, balanceChange: Dec, positions: PositionRecord[]): void {
    this.emit({
      type: 'account',
      reason,
      walletBalance: this.wallet,
      balanceChange,
      positions: positions.map((p) => ({ ...p })),
      time: this.now(),
    });
  }

  private emitAlgo(algo: AlgoRecord): void {
    this.emit({ type: 'algo', algo: { ...algo }, time: this.now() });
  }

  private emit(event: EngineEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}

export function isOpen(order: OrderRecord): boolean {
  return order.status === 'NEW' || order.status === 'PARTIALLY_FILLED';
}
