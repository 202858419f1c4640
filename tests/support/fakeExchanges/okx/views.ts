/**
 * OKX v5's JSON for the fake's records: orders (REST and the `orders`
 * channel, which adds the fill that moved the order), fills, positions, the
 * trading account's balance and tickers. Numbers are strings, as OKX writes
 * them; fees and fee rates are negative for a charge. The fields ccxt reads
 * (okx.js parseOrder, parseTrade, parsePosition, parseTradingBalance,
 * parseTicker; pro/okx.js handleOrders, orderToTrade, handleBalance,
 * handlePositions) are all present.
 */
import { abs, div, fixed, fmt, fromInt, mul, ZERO } from '../common/decimal';
import type { Instrument } from './instruments';
import type { AlgoRecord } from './algos';
import { type BillRecord, type FillRecord, type OkxState, type OrderRecord, type PositionRecord } from './state';

function money(value: bigint): string {
  return fmt(value, 0, 8);
}

function pricer(instrument: Instrument): (value: bigint) => string {
  return (value) => fixed(value, instrument.pricePlaces);
}

function sizer(instrument: Instrument): (value: bigint) => string {
  return (value) => fmt(value, 0, instrument.szPlaces);
}

/** An order as GET /api/v5/trade/order and orders-pending/-history write it. */
export function orderView(state: OkxState, order: OrderRecord): Record<string, unknown> {
  const instrument = state.instrument(order.instId);
  const price = pricer(instrument);
  const size = sizer(instrument);
  const last = order.lastFill;
  return {
    accFillSz: size(order.accFillSz),
    algoClOrdId: order.algoClOrdId,
    algoId: order.algoId,
    attachAlgoClOrdId: '',
    attachAlgoOrds: [],
    avgPx: order.accFillSz > ZERO ? fmt(div(order.fillValue, order.accFillSz), 0, instrument.pricePlaces + 4) : '',
    cTime: String(order.cTime),
    cancelSource: order.cancelSource,
    cancelSourceReason: order.cancelSource === '1' ? 'Order canceled by user' : order.cancelSource === '' ? '' : 'Order canceled by system',
    category: 'normal',
    ccy: '',
    clOrdId: order.clOrdId,
    fee: money(order.fee),
    feeCcy: 'USDT',
    fillPx: last === null ? '' : price(last.fillPx),
    fillSz: last === null ? '0' : size(last.fillSz),
    fillTime: last === null ? '' : String(last.ts),
    instId: order.instId,
    instType: 'SWAP',
    isTpLimit: 'false',
    lever: String(order.lever),
    linkedAlgoOrd: { algoId: '' },
    ordId: order.ordId,
    ordType: order.ordType,
    pnl: money(order.pnl),
    posSide: 'net',
    px: order.ordType === 'market' ? '' : price(order.px),
    pxType: '',
    pxUsd: '',
    pxVol: '',
    quickMgnType: '',
    rebate: '0',
    rebateCcy: 'USDT',
    reduceOnly: order.reduceOnly ? 'true' : 'false',
    side: order.side,
    slOrdPx: '',
    slTriggerPx: '',
    slTriggerPxType: '',
    source: '',
    state: order.state,
    stpId: '',
    stpMode: 'cancel_maker',
    sz: size(order.sz),
    tag: '',
    tdMode: order.tdMode,
    tgtCcy: '',
    tpOrdPx: '',
    tpTriggerPx: '',
    tpTriggerPxType: '',
    tradeId: last === null ? '' : last.tradeId,
    uTime: String(order.uTime),
  };
}

/** An order as the `orders` channel pushes it: the REST fields, and the fill that moved it (empty when none did). */
export function orderPushView(state: OkxState, order: OrderRecord, fill: FillRecord | null): Record<string, unknown> {
  const instrument = state.instrument(order.instId);
  const price = pricer(instrument);
  const size = sizer(instrument);
  const notional = mul(mul(order.sz, instrument.ctVal), order.ordType === 'market' ? state.mark(order.instId) : order.px);
  return {
    ...orderView(state, order),
    amendResult: '',
    code: '0',
    execType: fill === null ? '' : fill.execType,
    fillFee: fill === null ? '0' : money(fill.fee),
    fillFeeCcy: fill === null ? '' : 'USDT',
    fillMarkPx: fill === null ? '' : price(state.mark(order.instId)),
    fillNotionalUsd: fill === null ? '' : money(mul(mul(fill.fillSz, instrument.ctVal), fill.fillPx)),
    fillPnl: fill === null ? '0' : money(fill.fillPnl),
    fillPx: fill === null ? '' : price(fill.fillPx),
    fillSz: fill === null ? '0' : size(fill.fillSz),
    fillTime: fill === null ? '' : String(fill.ts),
    msg: '',
    notionalUsd: money(notional),
    reqId: '',
    tradeId: fill === null ? '' : fill.tradeId,
  };
}

/** One fill of GET /api/v5/trade/fills and fills-history. */
export function fillView(state: OkxState, fill: FillRecord): Record<string, unknown> {
  const instrument = state.instrument(fill.instId);
  const price = pricer(instrument);
  return {
    billId: fill.billId,
    clOrdId: fill.clOrdId,
    execType: fill.execType,
    fee: money(fill.fee),
    feeCcy: 'USDT',
    feeRate: fmt(fill.feeRate),
    fillFwdPx: '',
    fillIdxPx: price(fill.fillPx),
    fillMarkPx: price(fill.fillPx),
    fillMarkVol: '',
    fillPnl: money(fill.fillPnl),
    fillPx: price(fill.fillPx),
    fillPxUsd: '',
    fillPxVol: '',
    fillSz: sizer(instrument)(fill.fillSz),
    fillTime: String(fill.ts),
    instId: fill.instId,
    instType: 'SWAP',
    ordId: fill.ordId,
    posSide: 'net',
    side: fill.side,
    subType: fill.side === 'buy' ? '1' : '2',
    tag: '',
    tradeId: fill.tradeId,
    ts: String(fill.ts),
  };
}

/** One position of GET /api/v5/account/positions and the `positions` channel (net mode, cross margin). */
export function positionView(state: OkxState, position: PositionRecord): Record<string, unknown> {
  const instrument = state.instrument(position.instId);
  const price = pricer(instrument);
  const mark = state.mark(position.instId);
  const notional = state.notional(position);
  const upl = state.unrealisedPnl(position);
  const im = state.positionIM(position);
  const cost = mul(mul(abs(position.pos), instrument.ctVal), position.avgPx);
  const lever = state.leverageOf(position.instId);
  return {
    adl: position.pos === ZERO ? '' : '2',
    availPos: '',
    avgPx: position.pos === ZERO ? '' : fmt(position.avgPx, 0, instrument.pricePlaces + 4),
    baseBal: '',
    baseBorrowed: '',
    baseInterest: '',
    bePx: '',
    bizRefId: '',
    bizRefType: '',
    cTime: String(position.cTime),
    ccy: 'USDT',
    clSpotInUseAmt: '',
    closeOrderAlgo: [],
    deltaBS: '',
    deltaPA: '',
    fee: money(position.fee),
    fundingFee: '0',
    gammaBS: '',
    gammaPA: '',
    idxPx: price(mark),
    imr: money(im),
    instId: position.instId,
    instType: 'SWAP',
    interest: '',
    last: price(mark),
    lever: String(lever),
    liab: '',
    liabCcy: '',
    liqPenalty: '0',
    liqPx: position.pos === ZERO ? '' : price(state.liquidationPrice(position)),
    margin: '',
    markPx: price(mark),
    maxSpotInUseAmt: '',
    mgnMode: 'cross',
    mgnRatio: '',
    mmr: money(mul(notional, state.maintenanceRate)),
    nonSettleAvgPx: '',
    notionalUsd: money(notional),
    optVal: '',
    pendingCloseOrdLiabVal: '',
    pnl: money(position.realizedPnl - position.fee),
    pos: fmt(position.pos, 0, instrument.szPlaces),
    posCcy: '',
    posId: position.posId,
    posSide: 'net',
    quoteBal: '',
    quoteBorrowed: '',
    quoteInterest: '',
    realizedPnl: money(position.realizedPnl),
    settledPnl: '',
    spotInUseAmt: '',
    spotInUseCcy: '',
    thetaBS: '',
    thetaPA: '',
    tradeId: '',
    uTime: String(position.uTime),
    upl: money(upl),
    uplLastPx: money(upl),
    uplRatio: cost > ZERO ? fmt(div(mul(upl, fromInt(lever)), cost), 0, 8) : '0',
    uplRatioLastPx: cost > ZERO ? fmt(div(mul(upl, fromInt(lever)), cost), 0, 8) : '0',
    usdPx: '',
    vegaBS: '',
    vegaPA: '',
  };
}

/** GET /api/v5/account/balance (and the `account` channel): the trading account with its one currency, USDT. */
export function balanceView(state: OkxState): Record<string, unknown> {
  const cash = state.cashBalance();
  const upl = state.unrealisedTotal();
  const imr = state.positionIMTotal();
  const frozenOrders = state.orderFrozen();
  const eq = cash + upl;
  const mmr = state.openPositions().reduce((sum, p) => sum + mul(state.notional(p), state.maintenanceRate), ZERO);
  const notional = state.openPositions().reduce((sum, p) => sum + state.notional(p), ZERO);
  const uTime = String(state.now());
  return {
    adjEq: '',
    availEq: money(state.available()),
    borrowFroz: '',
    details: [
      {
        accAvgPx: '',
        availBal: money(state.available()),
        availEq: money(state.available()),
        borrowFroz: '',
        cashBal: money(cash),
        ccy: 'USDT',
        clSpotInUseAmt: '',
        crossLiab: '',
        disEq: money(eq),
        eq: money(eq),
        eqUsd: money(eq),
        fixedBal: '0',
        frozenBal: money(imr + frozenOrders),
        imr: money(imr + frozenOrders),
        interest: '',
        isoEq: '0',
        isoLiab: '',
        isoUpl: '0',
        liab: '',
        maxLoan: '',
        maxSpotInUse: '',
        mgnRatio: mmr > ZERO ? fmt(div(eq, mmr), 0, 4) : '',
        mmr: money(mmr),
        notionalLever: eq > ZERO ? fmt(div(notional, eq), 0, 4) : '0',
        openAvgPx: '',
        ordFrozen: money(frozenOrders),
        rewardBal: '0',
        smtSyncEq: '0',
        spotBal: '',
        spotCopyTradingEq: '0',
        spotInUseAmt: '',
        spotIsoBal: '0',
        spotUpl: '',
        spotUplRatio: '',
        stgyEq: '0',
        totalPnl: '',
        totalPnlRatio: '',
        twap: '0',
        uTime,
        upl: money(upl),
        uplLiab: '',
      },
    ],
    imr: money(imr + frozenOrders),
    isoEq: '0',
    mgnRatio: mmr > ZERO ? fmt(div(eq, mmr), 0, 4) : '',
    mmr: money(mmr),
    notionalUsd: money(notional),
    ordFroz: money(frozenOrders),
    totalEq: money(eq),
    uTime,
    upl: money(upl),
  };
}

/** One entry of GET /api/v5/market/tickers?instType=SWAP, also the `tickers` channel's push: the book one tick either side of the mark. */
export function tickerView(state: OkxState, instrument: Instrument): Record<string, unknown> {
  const price = pricer(instrument);
  const mark = state.mark(instrument.instId);
  const now = state.now();
  const day = state.marks24h(instrument.instId).filter((p) => p.time >= now - 86_400_000);
  const open = day[0]?.price ?? mark;
  const high = day.reduce((m, p) => (p.price > m ? p.price : m), mark);
  const low = day.reduce((m, p) => (p.price < m ? p.price : m), mark);
  return {
    instType: 'SWAP',
    instId: instrument.instId,
    last: price(mark),
    lastSz: '1',
    askPx: price(mark + instrument.tick),
    askSz: '100',
    bidPx: price(mark - instrument.tick),
    bidSz: '100',
    open24h: price(open),
    high24h: price(high),
    low24h: price(low),
    volCcy24h: '0',
    vol24h: '0',
    ts: String(now),
    sodUtc0: price(open),
    sodUtc8: price(open),
  };
}

/** An algo order as orders-algo-pending, orders-algo-history and order-algo write it. */
export function algoView(state: OkxState, algo: AlgoRecord): Record<string, unknown> {
  const instrument = state.instrument(algo.instId);
  const price = pricer(instrument);
  const size = sizer(instrument);
  const orderPx = (value: bigint) => (value === ZERO ? '' : value < ZERO ? '-1' : price(value));
  const trigger = (value: bigint) => (value === ZERO ? '' : price(value));
  return {
    activePx: trigger(algo.activePx),
    actualPx: '',
    actualSide: '',
    actualSz: algo.state === 'effective' ? size(algo.sz) : '0',
    algoClOrdId: algo.algoClOrdId,
    algoId: algo.algoId,
    amendPxOnTriggerType: '0',
    callbackRatio: algo.callbackRatio === ZERO ? '' : fmt(algo.callbackRatio),
    callbackSpread: algo.callbackSpread === ZERO ? '' : price(algo.callbackSpread),
    cTime: String(algo.cTime),
    ccy: '',
    clOrdId: '',
    closeFraction: '',
    failCode: algo.failCode,
    instId: algo.instId,
    instType: 'SWAP',
    last: price(state.mark(algo.instId)),
    lever: String(state.leverageOf(algo.instId)),
    moveTriggerPx: algo.best === ZERO ? '' : price(algo.side === 'sell' ? algo.best - (algo.callbackSpread !== ZERO ? algo.callbackSpread : mul(algo.best, algo.callbackRatio)) : algo.best + (algo.callbackSpread !== ZERO ? algo.callbackSpread : mul(algo.best, algo.callbackRatio))),
    ordId: algo.ordId,
    ordIdList: algo.ordId === '' ? [] : [algo.ordId],
    ordPx: '',
    ordType: algo.ordType,
    posSide: 'net',
    reduceOnly: algo.reduceOnly ? 'true' : 'false',
    side: algo.side,
    slOrdPx: orderPx(algo.slOrdPx),
    slTriggerPx: trigger(algo.slTriggerPx),
    slTriggerPxType: algo.slTriggerPx === ZERO ? '' : 'last',
    state: algo.state,
    sz: size(algo.sz),
    tag: '',
    tdMode: algo.tdMode,
    tgtCcy: '',
    tpOrdPx: orderPx(algo.tpOrdPx),
    tpTriggerPx: trigger(algo.tpTriggerPx),
    tpTriggerPxType: algo.tpTriggerPx === ZERO ? '' : 'last',
    triggerPx: '',
    triggerPxType: '',
    triggerTime: algo.triggerTime === 0 ? '' : String(algo.triggerTime),
    uTime: String(algo.uTime),
  };
}

/** A line of GET /api/v5/account/bills-archive, as OKX writes it. */
export function billView(bill: BillRecord): Record<string, unknown> {
  return {
    bal: fmt(bill.bal, 0, 8),
    balChg: fmt(bill.balChg, 0, 8),
    billId: bill.billId,
    ccy: bill.ccy,
    clOrdId: '',
    execType: '',
    fee: '0',
    fillFwdPx: '',
    fillIdxPx: '',
    fillMarkPx: '',
    fillMarkVol: '',
    fillPxUsd: '',
    fillPxVol: '',
    fillTime: '',
    from: '',
    instId: bill.instId,
    instType: 'SWAP',
    interest: '0',
    mgnMode: 'cross',
    notes: '',
    ordId: '',
    pnl: fmt(bill.balChg, 0, 8),
    posBal: '0',
    posBalChg: '0',
    px: '',
    subType: bill.subType,
    sz: fmt(bill.sz, 0, 8),
    tag: '',
    to: '',
    tradeId: '',
    ts: String(bill.ts),
    type: bill.type,
  };
}
