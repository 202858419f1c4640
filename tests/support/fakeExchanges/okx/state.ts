/**
 * The fake OKX account and its matching rules: one trading account in
 * single-currency margin mode (USDT), net position mode (one signed position
 * per swap, posSide "net"), cross margin, orders by ordId and clOrdId, fills.
 * Everything is counted in contracts, as OKX counts, and valued through the
 * swap's ctVal. A market order fills at the mark; a limit that crosses the
 * mark takes at the mark (a post_only one is cancelled instead); an ioc or
 * fok that does not cross is cancelled; a resting limit fills as maker at its
 * own price when the mark reaches it. Every change is published for the
 * private stream.
 */
import { abs, dec, type Dec, div, fmt, fromInt, isDecimal, isMultipleOf, min, mul, sign, ZERO } from '../common/decimal';
import { Listeners, MarkBook, text } from '../common/account';
import { crossLiquidationPrice, fundingAmount } from '../common/margin';
import { errors } from './errors';
import { type Instrument, instrumentOf, type OkxSymbolSpec } from './instruments';
import { OkxAlgos } from './algos';

export type Side = 'buy' | 'sell';
export type OrdType = 'market' | 'limit' | 'post_only' | 'fok' | 'ioc' | 'optimal_limit_ioc';
export type OrderState = 'live' | 'partially_filled' | 'filled' | 'canceled';
export type TdMode = 'cross' | 'isolated';
/** Who placed an order: a signed API call, or another client of the same account (the website, the app). */
export type OrderSource = 'api' | 'external';

export interface FillRecord {
  tradeId: string;
  billId: string;
  ordId: string;
  clOrdId: string;
  instId: string;
  side: Side;
  fillPx: Dec;
  /** Contracts. */
  fillSz: Dec;
  /** Signed as OKX writes it: negative is a charge. */
  fee: Dec;
  /** Signed as OKX writes it: negative is a charge. */
  feeRate: Dec;
  execType: 'T' | 'M';
  fillPnl: Dec;
  ts: number;
  seq: number;
}

export interface OrderRecord {
  ordId: string;
  clOrdId: string;
  instId: string;
  side: Side;
  ordType: OrdType;
  tdMode: TdMode;
  /** Zero for a market order. */
  px: Dec;
  /** Contracts. */
  sz: Dec;
  accFillSz: Dec;
  /** Sum of fillSz × fillPx, for the average price. */
  fillValue: Dec;
  /** Signed as OKX writes it: negative is a charge. */
  fee: Dec;
  pnl: Dec;
  reduceOnly: boolean;
  state: OrderState;
  /** OKX's cancelSource code ("1": by the user, "31": a post-only that would take, "14": an ioc/fok left unfilled). */
  cancelSource: string;
  lever: number;
  cTime: number;
  uTime: number;
  lastFill: FillRecord | null;
  source: OrderSource;
  /** The algo order that placed it when it triggered (both empty otherwise). */
  algoId: string;
  algoClOrdId: string;
}

export interface PositionRecord {
  instId: string;
  posId: string;
  /** Contracts, signed: positive long, negative short (net mode). */
  pos: Dec;
  avgPx: Dec;
  realizedPnl: Dec;
  /** Fees paid on the position, signed as OKX writes them. */
  fee: Dec;
  cTime: number;
  uTime: number;
}

/** A line of the account's bills (GET /api/v5/account/bills-archive); only funding fees (type 8) are kept. */
export interface BillRecord {
  billId: string;
  instId: string;
  ccy: string;
  type: '8';
  /** 173: funding fee expense, 174: funding fee income. */
  subType: '173' | '174';
  balChg: Dec;
  bal: Dec;
  /** Contracts it was charged on. */
  sz: Dec;
  ts: number;
}

export type StateEvent =
  /** `fill` is the fill that changed the order, when one did (the stream pushes it with the order). */
  | { type: 'order'; order: OrderRecord; fill: FillRecord | null }
  | { type: 'position'; instId: string }
  | { type: 'account' }
  | { type: 'mark'; instId: string };

export interface OrderQuery {
  instId?: string | undefined;
  ordId?: string | undefined;
  clOrdId?: string | undefined;
}

export interface OkxStateOptions {
  symbols: OkxSymbolSpec[];
  walletBalance: string;
  makerRate: string;
  takerRate: string;
  defaultLeverage: number;
  now: () => number;
}

const CL_ORD_ID = /^[A-Za-z0-9]{1,32}$/;
const ORD_TYPES: readonly OrdType[] = ['market', 'limit', 'post_only', 'fok', 'ioc', 'optimal_limit_ioc'];

export function isOpen(order: OrderRecord): boolean {
  return order.state === 'live' || order.state === 'partially_filled';
}

export class OkxState {
  private readonly instruments = new Map<string, Instrument>();
  private readonly book: MarkBook;
  private readonly orders: OrderRecord[] = [];
  private readonly fills: FillRecord[] = [];
  private readonly positions = new Map<string, PositionRecord>();
  private readonly bills: BillRecord[] = [];
  private readonly listeners = new Listeners<StateEvent>();
  private cashBal: Dec;
  private readonly makerRate: Dec;
  private readonly takerRate: Dec;
  private seq = 1;
  readonly listTime: number;
  /** Maintenance margin rate of the first tier, for mmr. */
  readonly maintenanceRate = dec('0.004');
  /** Its algo orders (conditional, trailing). */
  readonly algos: OkxAlgos;

  constructor(private readonly options: OkxStateOptions) {
    this.listTime = options.now() - 365 * 86_400_000;
    this.book = new MarkBook(options.now);
    for (const spec of options.symbols) {
      const instrument = instrumentOf(spec);
      this.instruments.set(spec.instId, instrument);
      this.book.list(spec.instId, dec(spec.mark), Math.min(options.defaultLeverage, instrument.maxLeverage));
    }
    this.cashBal = dec(options.walletBalance);
    this.makerRate = dec(options.makerRate);
    this.takerRate = dec(options.takerRate);
    this.algos = new OkxAlgos(this);
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

  private nextId(base: bigint): string {
    return String(base + BigInt(this.seq++));
  }

  // ---- instruments, marks, leverage --------------------------------------------------------

  listInstruments(): Instrument[] {
    return [...this.instruments.values()];
  }

  instrument(instId: string | undefined): Instrument {
    if (instId === undefined) throw errors.emptyParam('instId');
    const instrument = this.instruments.get(instId);
    if (instrument === undefined) throw errors.instrumentNotFound();
    return instrument;
  }

  hasInstrument(instId: string): boolean {
    return this.instruments.has(instId);
  }

  mark(instId: string): Dec {
    return this.book.mark(this.instrument(instId).instId) as Dec;
  }

  marks24h(instId: string): Array<{ time: number; price: Dec }> {
    return this.book.marks24h(instId);
  }

  leverageOf(instId: string): number {
    return this.book.leverageOf(instId);
  }

  /** Moves the mark; resting limit orders it reaches fill as maker at their own price, algo orders it reaches trigger. */
  setMark(instId: string, price: string): void {
    const instrument = this.instrument(instId);
    const mark = dec(price);
    this.book.move(instrument.instId, mark);
    this.publish({ type: 'mark', instId: instrument.instId });
    for (const order of this.orders.filter((o) => o.instId === instrument.instId && isOpen(o))) {
      const reached = order.side === 'buy' ? mark <= order.px : mark >= order.px;
      if (reached) this.fill(order, order.sz - order.accFillSz, order.px, true);
    }
    for (const listener of this.markListeners) listener(instrument.instId, mark);
  }

  private readonly markListeners: Array<(instId: string, mark: Dec) => void> = [];

  /** Told of every mark move after resting orders have filled (the algo orders watch it). */
  onMark(listener: (instId: string, mark: Dec) => void): void {
    this.markListeners.push(listener);
  }

  /**
   * POST /api/v5/trade/amend-order: a working order's size (newSz, the whole
   * size) and price (newPx). A size at or below what has filled, or an order
   * that is no longer working, is refused; a price that crosses the mark takes.
   */
  amendOrder(query: OrderQuery, newSz: string | undefined, newPx: string | undefined): OrderRecord {
    const instrument = this.instrument(query.instId);
    if (query.ordId === undefined && query.clOrdId === undefined) throw errors.params('ordId');
    if (newSz === undefined && newPx === undefined) throw errors.emptyParam('newSz');
    const order = this.findOrder(query, true);
    if (order === undefined) throw errors.amendNotFound();
    if (newSz !== undefined) {
      if (!isDecimal(newSz) || dec(newSz) <= ZERO || !isMultipleOf(dec(newSz), instrument.lot)) throw errors.params('newSz');
      if (dec(newSz) <= order.accFillSz) throw errors.amendBelowFilled();
    }
    if (newPx !== undefined) {
      if (order.ordType === 'market') throw errors.params('newPx');
      if (!isDecimal(newPx) || dec(newPx) <= ZERO || !isMultipleOf(dec(newPx), instrument.tick)) throw errors.params('newPx');
    }
    if (newSz !== undefined) order.sz = dec(newSz);
    if (newPx !== undefined) order.px = dec(newPx);
    order.uTime = this.now();
    this.publish({ type: 'order', order, fill: null });
    const mark = this.mark(order.instId);
    if (order.side === 'buy' ? order.px >= mark : order.px <= mark) this.fill(order, order.sz - order.accFillSz, mark, false);
    return order;
  }

  /** POST /api/v5/account/set-leverage (cross, net mode: one leverage per swap). Setting the same leverage again is fine on OKX. */
  setLeverage(instId: string | undefined, lever: string | undefined, mgnMode: string | undefined): number {
    const instrument = this.instrument(instId);
    if (mgnMode !== 'cross' && mgnMode !== 'isolated') throw errors.params('mgnMode');
    if (lever === undefined || !isDecimal(lever)) throw errors.params('lever');
    const leverage = Number(lever);
    if (!(leverage >= 1 && leverage <= instrument.maxLeverage)) throw errors.params('lever');
    this.book.setLeverage(instrument.instId, Math.floor(leverage));
    this.touchPosition(instrument.instId);
    return Math.floor(leverage);
  }

  // ---- orders --------------------------------------------------------------------------------

  /** One order of POST /api/v5/trade/order or batch-orders; throws OKX's order-level refusal (its sCode). */
  placeOrder(request: Record<string, unknown>, source: OrderSource = 'api'): OrderRecord {
    const instrument = this.instrument(text(request.instId));
    const tdMode = text(request.tdMode);
    if (tdMode !== 'cross' && tdMode !== 'isolated') throw errors.params('tdMode');
    const side = text(request.side);
    if (side !== 'buy' && side !== 'sell') throw errors.params('side');
    const ordType = text(request.ordType) as OrdType | undefined;
    if (ordType === undefined || !ORD_TYPES.includes(ordType)) throw errors.params('ordType');
    const posSide = text(request.posSide);
    if (posSide !== undefined && posSide !== 'net') throw errors.params('posSide');
    const szText = text(request.sz);
    if (szText === undefined || !isDecimal(szText) || dec(szText) <= ZERO) throw errors.params('sz');
    let sz = dec(szText);
    if (!isMultipleOf(sz, instrument.lot)) throw errors.notLotMultiple();
    if (sz < instrument.minSz) throw errors.belowMinSize(instrument.spec.minSz);
    const marketLike = ordType === 'market' || ordType === 'optimal_limit_ioc';
    if (marketLike && sz > instrument.maxMktSz) throw errors.aboveMaxSize(instrument.spec.maxMktSz ?? '');
    if (!marketLike && sz > instrument.maxLmtSz) throw errors.aboveMaxLimitSize(instrument.spec.maxLmtSz ?? '');
    let px = ZERO;
    if (ordType !== 'market') {
      const pxText = text(request.px);
      if (pxText === undefined || !isDecimal(pxText) || dec(pxText) <= ZERO || !isMultipleOf(dec(pxText), instrument.tick)) throw errors.params('px');
      px = dec(pxText);
    }
    const clOrdId = text(request.clOrdId) ?? '';
    if (clOrdId !== '' && !CL_ORD_ID.test(clOrdId)) throw errors.params('clOrdId');
    // Unique among the account's open orders; a finished order's id may be used again.
    if (clOrdId !== '' && this.orders.some((o) => o.clOrdId === clOrdId && isOpen(o))) throw errors.duplicateClOrdId();
    const reduceOnly = request.reduceOnly === true || request.reduceOnly === 'true';

    const mark = this.mark(instrument.instId);
    const reference = ordType === 'market' ? mark : px;
    if (reduceOnly) {
      const position = this.positions.get(instrument.instId)?.pos ?? ZERO;
      if (position === ZERO) throw errors.reduceOnlyNoPosition();
      if ((position > ZERO) === (side === 'buy')) throw errors.reduceOnlySameSide();
      // A reduce-only order is cut to the position it can close.
      sz = min(sz, abs(position));
    } else {
      const notional = mul(mul(sz, instrument.ctVal), reference);
      const margin = div(notional, fromInt(this.leverageOf(instrument.instId))) + mul(notional, this.takerRate);
      if (margin > this.available()) throw errors.insufficientMargin();
    }

    const now = this.now();
    const order: OrderRecord = {
      ordId: this.nextId(700_000_000_000_000_000n),
      clOrdId,
      instId: instrument.instId,
      side,
      ordType,
      tdMode,
      px,
      sz,
      accFillSz: ZERO,
      fillValue: ZERO,
      fee: ZERO,
      pnl: ZERO,
      reduceOnly,
      state: 'live',
      cancelSource: '',
      lever: this.leverageOf(instrument.instId),
      cTime: now,
      uTime: now,
      lastFill: null,
      source,
      algoId: text(request.algoId) ?? '',
      algoClOrdId: text(request.algoClOrdId) ?? '',
    };
    this.orders.push(order);

    const crosses = marketLike || (side === 'buy' ? px >= mark : px <= mark);
    if (crosses && ordType === 'post_only') {
      this.finish(order, '31');
    } else if (crosses) {
      this.fill(order, sz, mark, false);
    } else if (ordType === 'ioc' || ordType === 'fok') {
      this.finish(order, '14');
    } else {
      this.publish({ type: 'order', order, fill: null });
    }
    return order;
  }

  /** Finds an order by ordId or clOrdId (ordId first, as OKX does; the latest with that clOrdId), among all or only open orders. */
  findOrder(query: OrderQuery, openOnly: boolean): OrderRecord | undefined {
    const candidates = this.orders.filter((o) => (!openOnly || isOpen(o)) && (query.instId === undefined || o.instId === query.instId));
    if (query.ordId !== undefined) return candidates.find((o) => o.ordId === query.ordId);
    if (query.clOrdId !== undefined) return [...candidates].reverse().find((o) => o.clOrdId === query.clOrdId);
    return undefined;
  }

  /** One order of cancel-order or cancel-batch-orders; throws 51400 when it is not working any more. */
  cancelOrder(query: OrderQuery): OrderRecord {
    this.instrument(query.instId);
    if (query.ordId === undefined && query.clOrdId === undefined) throw errors.params('ordId');
    const order = this.findOrder(query, true);
    if (order === undefined) throw errors.cancelNotFound();
    this.finish(order, '1');
    return order;
  }

  /** Fills (part of) a resting order as maker, as if another trader took it. */
  fillRestingOrder(ordId: string, quantity?: string, price?: string): OrderRecord {
    const order = this.orders.find((o) => o.ordId === ordId);
    if (order === undefined || !isOpen(order)) throw errors.orderNotFound();
    const sz = quantity === undefined ? order.sz - order.accFillSz : dec(quantity);
    this.fill(order, min(sz, order.sz - order.accFillSz), price === undefined ? order.px : dec(price), true);
    return order;
  }

  /** Orders by creation, newest first (as OKX lists them). */
  listOrders(filter: (order: OrderRecord) => boolean): OrderRecord[] {
    return this.orders.filter(filter).reverse();
  }

  /** Fills, newest first (as OKX lists them). */
  listFills(filter: (fill: FillRecord) => boolean): FillRecord[] {
    return this.fills.filter(filter).sort((a, b) => b.ts - a.ts || b.seq - a.seq);
  }

  private finish(order: OrderRecord, cancelSource: string): void {
    order.state = 'canceled';
    order.cancelSource = cancelSource;
    order.uTime = this.now();
    this.publish({ type: 'order', order, fill: null });
  }

  private fill(order: OrderRecord, sz: Dec, price: Dec, maker: boolean): void {
    if (sz <= ZERO) return;
    const instrument = this.instrument(order.instId);
    const now = this.now();
    const value = mul(mul(sz, instrument.ctVal), price);
    const rate = maker ? this.makerRate : this.takerRate;
    const fee = -mul(value, rate);
    const pnl = this.applyToPosition(instrument, order.side === 'buy' ? sz : -sz, price, fee, now);
    order.accFillSz += sz;
    order.fillValue += mul(sz, price);
    order.fee += fee;
    order.pnl += pnl;
    order.uTime = now;
    order.state = order.accFillSz >= order.sz ? 'filled' : 'partially_filled';
    this.cashBal += pnl + fee;
    const fill: FillRecord = {
      tradeId: this.nextId(400_000_000n),
      billId: this.nextId(800_000_000_000_000_000n),
      ordId: order.ordId,
      clOrdId: order.clOrdId,
      instId: order.instId,
      side: order.side,
      fillPx: price,
      fillSz: sz,
      fee,
      feeRate: -rate,
      execType: maker ? 'M' : 'T',
      fillPnl: pnl,
      ts: now,
      seq: this.seq++,
    };
    order.lastFill = fill;
    this.fills.push(fill);
    this.publish({ type: 'order', order, fill });
    this.publish({ type: 'position', instId: order.instId });
    this.publish({ type: 'account' });
  }

  /** Nets a signed fill (contracts) into the net-mode position; answers the PnL it realised. */
  private applyToPosition(instrument: Instrument, delta: Dec, price: Dec, fee: Dec, now: number): Dec {
    const existing = this.positions.get(instrument.instId);
    const position = existing ?? { instId: instrument.instId, posId: this.nextId(900_000_000_000_000_000n), pos: ZERO, avgPx: ZERO, realizedPnl: ZERO, fee: ZERO, cTime: now, uTime: now };
    this.positions.set(instrument.instId, position);
    if (position.pos === ZERO) {
      position.cTime = now;
      position.realizedPnl = ZERO;
      position.fee = ZERO;
    }
    let pnl = ZERO;
    if (position.pos === ZERO || sign(position.pos) === sign(delta)) {
      const size = abs(position.pos);
      position.avgPx = div(mul(size, position.avgPx) + mul(abs(delta), price), size + abs(delta));
      position.pos += delta;
    } else {
      const closed = min(abs(position.pos), abs(delta));
      pnl = mul(mul(mul(closed, instrument.ctVal), price - position.avgPx), fromInt(sign(position.pos)));
      const before = position.pos;
      position.pos += delta;
      if (position.pos === ZERO) position.avgPx = ZERO;
      else if (sign(position.pos) !== sign(before)) position.avgPx = price;
    }
    position.realizedPnl += pnl + fee;
    position.fee += fee;
    position.uTime = now;
    return pnl;
  }

  private touchPosition(instId: string): void {
    const position = this.positions.get(instId);
    if (position !== undefined) position.uTime = this.now();
    this.publish({ type: 'position', instId });
  }

  // ---- account -------------------------------------------------------------------------------

  position(instId: string): PositionRecord | undefined {
    return this.positions.get(instId);
  }

  /** Positions with contracts, in the order they were opened. */
  openPositions(): PositionRecord[] {
    return [...this.positions.values()].filter((p) => p.pos !== ZERO);
  }

  notional(position: PositionRecord): Dec {
    const instrument = this.instrument(position.instId);
    return mul(mul(abs(position.pos), instrument.ctVal), this.mark(position.instId));
  }

  unrealisedPnl(position: PositionRecord): Dec {
    const instrument = this.instrument(position.instId);
    return mul(mul(position.pos, instrument.ctVal), this.mark(position.instId) - position.avgPx);
  }

  positionIM(position: PositionRecord): Dec {
    return div(this.notional(position), fromInt(this.leverageOf(position.instId)));
  }

  orderFrozen(): Dec {
    let total = ZERO;
    for (const order of this.orders) {
      if (!isOpen(order) || order.reduceOnly) continue;
      const instrument = this.instrument(order.instId);
      total += div(mul(mul(order.sz - order.accFillSz, instrument.ctVal), order.px), fromInt(this.leverageOf(order.instId)));
    }
    return total;
  }

  cashBalance(): Dec {
    return this.cashBal;
  }

  unrealisedTotal(): Dec {
    return this.openPositions().reduce((sum, p) => sum + this.unrealisedPnl(p), ZERO);
  }

  positionIMTotal(): Dec {
    return this.openPositions().reduce((sum, p) => sum + this.positionIM(p), ZERO);
  }

  /** What new orders may still use as margin: equity less the margin held by positions and open orders. */
  available(): Dec {
    return this.cashBal + this.unrealisedTotal() - this.positionIMTotal() - this.orderFrozen();
  }

  adjustWallet(amount: string): void {
    this.cashBal += dec(amount);
    this.publish({ type: 'account' });
  }

  /**
   * Settles one funding interval on `instId`'s position at its mark: the
   * cash balance moves by −qty × mark × rate and a funding bill records it.
   * Answers the amount credited, "0" when flat.
   */
  settleFunding(instId: string, rate: string): string {
    const instrument = this.instrument(instId);
    const position = this.positions.get(instrument.instId);
    if (position === undefined || position.pos === ZERO) return '0';
    const amount = fundingAmount(mul(position.pos, instrument.ctVal), this.mark(instrument.instId), dec(rate), 8);
    this.cashBal += amount;
    this.bills.push({
      billId: this.nextId(600_000_000_000_000_000n),
      instId: instrument.instId,
      ccy: 'USDT',
      type: '8',
      subType: amount < ZERO ? '173' : '174',
      balChg: amount,
      bal: this.cashBal,
      sz: abs(position.pos),
      ts: this.now(),
    });
    this.publish({ type: 'account' });
    return fmt(amount);
  }

  /** Bills, newest first (as OKX lists them). */
  listBills(filter: (bill: BillRecord) => boolean): BillRecord[] {
    return this.bills.filter(filter).sort((a, b) => b.ts - a.ts || (BigInt(b.billId) > BigInt(a.billId) ? 1 : -1));
  }

  /** The position's liquidation price (zero: none), by the model in `common/margin`, at the first tier's rate. */
  liquidationPrice(position: PositionRecord): Dec {
    if (position.pos === ZERO) return ZERO;
    const instrument = this.instrument(position.instId);
    const rate = this.maintenanceRate;
    const others = this.openPositions().filter((p) => p.instId !== position.instId);
    const wallet = this.cashBal + others.reduce((sum, p) => sum + this.unrealisedPnl(p) - mul(this.notional(p), rate), ZERO);
    return crossLiquidationPrice(mul(position.pos, instrument.ctVal), position.avgPx, wallet, rate);
  }
}
