/**
 * The fake OKX's algo orders, as /api/v5/trade/order-algo and its siblings
 * take them: `conditional` (a take-profit and/or stop-loss trigger, each
 * working at market, "-1", or at its order price once reached) and
 * `move_order_stop` (a trailing stop by `callbackRatio`, a fraction, or
 * `callbackSpread`, a price distance, from `activePx` if given). They watch
 * the mark; one that triggers places a regular order, which carries the
 * algo's algoId and algoClOrdId (its own clOrdId stays empty), and becomes
 * `effective`. States: live, effective, canceled, order_failed.
 */
import { dec, type Dec, fmt, isDecimal, isMultipleOf, mul, ZERO } from '../common/decimal';
import { text } from '../common/account';
import { errors, OkxError } from './errors';
import type { OkxState } from './state';

export type AlgoType = 'conditional' | 'move_order_stop';
export type AlgoState = 'live' | 'effective' | 'canceled' | 'order_failed';

export interface AlgoRecord {
  algoId: string;
  algoClOrdId: string;
  instId: string;
  side: 'buy' | 'sell';
  ordType: AlgoType;
  tdMode: string;
  /** Contracts. */
  sz: Dec;
  reduceOnly: boolean;
  /** Zero when not set; an order price of -1 is kept as -1 (market). */
  tpTriggerPx: Dec;
  tpOrdPx: Dec;
  slTriggerPx: Dec;
  slOrdPx: Dec;
  callbackRatio: Dec;
  callbackSpread: Dec;
  activePx: Dec;
  /** move_order_stop: the best mark since it activated (zero until then). */
  best: Dec;
  state: AlgoState;
  ordId: string;
  failCode: string;
  cTime: number;
  uTime: number;
  triggerTime: number;
}

const CLIENT_ID = /^[A-Za-z0-9]{1,32}$/;
const MARKET = dec('-1');
let nextAlgo = 1n;

export class OkxAlgos {
  private readonly algos: AlgoRecord[] = [];
  private readonly listeners: Array<(algo: AlgoRecord) => void> = [];

  constructor(private readonly state: OkxState) {
    state.onMark((instId, mark) => {
      for (const algo of this.algos.filter((a) => a.instId === instId && a.state === 'live')) this.watch(algo, mark);
    });
  }

  /** Told of every change (the `orders-algo` channel would carry it). */
  onChange(listener: (algo: AlgoRecord) => void): void {
    this.listeners.push(listener);
  }

  place(request: Record<string, unknown>): AlgoRecord {
    const instrument = this.state.instrument(text(request.instId));
    const ordType = text(request.ordType);
    if (ordType !== 'conditional' && ordType !== 'move_order_stop') throw errors.params('ordType');
    const side = text(request.side);
    if (side !== 'buy' && side !== 'sell') throw errors.params('side');
    const tdMode = text(request.tdMode);
    if (tdMode !== 'cross' && tdMode !== 'isolated') throw errors.params('tdMode');
    const szText = text(request.sz);
    if (szText === undefined || !isDecimal(szText) || dec(szText) <= ZERO || !isMultipleOf(dec(szText), instrument.lot)) throw errors.params('sz');
    const algoClOrdId = text(request.algoClOrdId) ?? text(request.clOrdId) ?? '';
    if (algoClOrdId !== '' && !CLIENT_ID.test(algoClOrdId)) throw errors.params('algoClOrdId');
    if (algoClOrdId !== '' && this.algos.some((a) => a.algoClOrdId === algoClOrdId && a.state === 'live')) throw errors.duplicateAlgoClOrdId();
    const price = (name: string, allowMarket: boolean): Dec => {
      const value = text(request[name]);
      if (value === undefined || value === '') return ZERO;
      if (allowMarket && value === '-1') return MARKET;
      if (!isDecimal(value) || dec(value) <= ZERO || !isMultipleOf(dec(value), instrument.tick)) throw errors.params(name);
      return dec(value);
    };
    const now = this.state.now();
    const algo: AlgoRecord = {
      algoId: String(500_000_000_000_000_000n + nextAlgo++),
      algoClOrdId,
      instId: instrument.instId,
      side,
      ordType,
      tdMode,
      sz: dec(szText),
      reduceOnly: request.reduceOnly === true || request.reduceOnly === 'true',
      tpTriggerPx: price('tpTriggerPx', false),
      tpOrdPx: price('tpOrdPx', true),
      slTriggerPx: price('slTriggerPx', false),
      slOrdPx: price('slOrdPx', true),
      callbackRatio: ZERO,
      callbackSpread: ZERO,
      activePx: price('activePx', false),
      best: ZERO,
      state: 'live',
      ordId: '',
      failCode: '',
      cTime: now,
      uTime: now,
      triggerTime: 0,
    };
    const mark = this.state.mark(instrument.instId);
    if (ordType === 'conditional') {
      if (algo.tpTriggerPx === ZERO && algo.slTriggerPx === ZERO) throw errors.emptyParam('slTriggerPx');
      if (this.reached(algo, mark) !== null) throw errors.wouldTrigger(this.reached(algo, mark) === 'tp' ? 'Take-profit' : 'Stop-loss');
    } else {
      const ratio = text(request.callbackRatio);
      const spread = text(request.callbackSpread);
      if ((ratio === undefined) === (spread === undefined)) throw errors.params('callbackRatio');
      if (ratio !== undefined) {
        if (!isDecimal(ratio) || dec(ratio) < dec('0.001') || dec(ratio) > dec('1')) throw errors.params('callbackRatio');
        algo.callbackRatio = dec(ratio);
      } else {
        if (!isDecimal(spread!) || dec(spread!) <= ZERO || !isMultipleOf(dec(spread!), instrument.tick)) throw errors.params('callbackSpread');
        algo.callbackSpread = dec(spread!);
      }
      this.follow(algo, mark);
    }
    this.algos.push(algo);
    this.publish(algo);
    return algo;
  }

  find(query: { algoId?: string | undefined; algoClOrdId?: string | undefined }, liveOnly: boolean): AlgoRecord | undefined {
    const candidates = this.algos.filter((a) => !liveOnly || a.state === 'live');
    if (query.algoId !== undefined) return candidates.find((a) => a.algoId === query.algoId);
    if (query.algoClOrdId !== undefined) return [...candidates].reverse().find((a) => a.algoClOrdId === query.algoClOrdId);
    return undefined;
  }

  cancel(query: { instId?: string | undefined; algoId?: string | undefined; algoClOrdId?: string | undefined }): AlgoRecord {
    this.state.instrument(query.instId);
    const algo = this.find(query, true);
    if (algo === undefined || algo.instId !== query.instId) throw errors.algoCancelFailed();
    this.end(algo, 'canceled');
    return algo;
  }

  /** POST /api/v5/trade/amend-algos: a live conditional's size and its triggers and order prices. */
  amend(request: Record<string, unknown>): AlgoRecord {
    const instrument = this.state.instrument(text(request.instId));
    const algo = this.find({ algoId: text(request.algoId), algoClOrdId: text(request.algoClOrdId) }, true);
    if (algo === undefined || algo.instId !== instrument.instId) throw errors.algoNotFound();
    if (algo.ordType !== 'conditional') throw new OkxError('51279', 'Amending this algo order type is not supported.');
    const price = (name: string, allowMarket: boolean): Dec | undefined => {
      const value = text(request[name]);
      if (value === undefined || value === '') return undefined;
      if (allowMarket && value === '-1') return MARKET;
      if (!isDecimal(value) || dec(value) <= ZERO || !isMultipleOf(dec(value), instrument.tick)) throw errors.params(name);
      return dec(value);
    };
    const newSz = text(request.newSz);
    if (newSz !== undefined && (!isDecimal(newSz) || dec(newSz) <= ZERO || !isMultipleOf(dec(newSz), instrument.lot))) throw errors.params('newSz');
    const next = {
      tpTriggerPx: price('newTpTriggerPx', false) ?? algo.tpTriggerPx,
      tpOrdPx: price('newTpOrdPx', true) ?? algo.tpOrdPx,
      slTriggerPx: price('newSlTriggerPx', false) ?? algo.slTriggerPx,
      slOrdPx: price('newSlOrdPx', true) ?? algo.slOrdPx,
    };
    if (this.reached({ ...algo, ...next }, this.state.mark(algo.instId)) !== null) throw errors.wouldTrigger('The new');
    Object.assign(algo, next);
    if (newSz !== undefined) algo.sz = dec(newSz);
    algo.uTime = this.state.now();
    this.publish(algo);
    return algo;
  }

  /** Live algo orders, newest first, optionally of some types (a comma-separated list, as OKX takes it). */
  list(filter: (algo: AlgoRecord) => boolean): AlgoRecord[] {
    return this.algos.filter(filter).reverse();
  }

  /** Which trigger the mark has reached, if any: a sell's stop-loss when it falls to it, its take-profit when it rises to it. */
  private reached(algo: Pick<AlgoRecord, 'side' | 'tpTriggerPx' | 'slTriggerPx'>, mark: Dec): 'tp' | 'sl' | null {
    const sell = algo.side === 'sell';
    if (algo.slTriggerPx !== ZERO && (sell ? mark <= algo.slTriggerPx : mark >= algo.slTriggerPx)) return 'sl';
    if (algo.tpTriggerPx !== ZERO && (sell ? mark >= algo.tpTriggerPx : mark <= algo.tpTriggerPx)) return 'tp';
    return null;
  }

  private watch(algo: AlgoRecord, mark: Dec): void {
    if (algo.ordType === 'conditional') {
      const which = this.reached(algo, mark);
      if (which !== null) this.trigger(algo, which === 'tp' ? algo.tpOrdPx : algo.slOrdPx);
      return;
    }
    // A trailing stop: it triggers on a retrace from the best mark by its ratio or spread.
    if (algo.best !== ZERO) {
      const sell = algo.side === 'sell';
      const distance = algo.callbackSpread !== ZERO ? algo.callbackSpread : mul(algo.best, algo.callbackRatio);
      const stop = sell ? algo.best - distance : algo.best + distance;
      if (sell ? mark <= stop : mark >= stop) {
        this.trigger(algo, MARKET);
        return;
      }
    }
    this.follow(algo, mark);
  }

  private follow(algo: AlgoRecord, mark: Dec): void {
    const sell = algo.side === 'sell';
    if (algo.best === ZERO) {
      if (algo.activePx === ZERO || (sell ? mark >= algo.activePx : mark <= algo.activePx)) algo.best = mark;
      return;
    }
    if (sell ? mark > algo.best : mark < algo.best) algo.best = mark;
  }

  private trigger(algo: AlgoRecord, orderPx: Dec): void {
    algo.triggerTime = this.state.now();
    try {
      const order = this.state.placeOrder({
        instId: algo.instId,
        tdMode: algo.tdMode,
        side: algo.side,
        ordType: orderPx === MARKET ? 'market' : 'limit',
        sz: fmt(algo.sz),
        ...(orderPx === MARKET ? {} : { px: fmt(orderPx) }),
        reduceOnly: algo.reduceOnly,
        algoId: algo.algoId,
        algoClOrdId: algo.algoClOrdId,
      });
      algo.ordId = order.ordId;
      this.end(algo, 'effective');
    } catch (error) {
      if (!(error instanceof OkxError)) throw error;
      algo.failCode = error.code;
      this.end(algo, 'order_failed');
    }
  }

  private end(algo: AlgoRecord, state: AlgoState): void {
    algo.state = state;
    algo.uTime = this.state.now();
    this.publish(algo);
  }

  private publish(algo: AlgoRecord): void {
    for (const listener of this.listeners) listener(algo);
  }
}
