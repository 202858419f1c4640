/**
 * Bybit v5's JSON for the fake's records: orders (REST lists and the `order`
 * topic), executions, positions, the unified wallet and tickers. Numbers are
 * strings, as Bybit writes them; the fields ccxt reads (bybit.js parseOrder,
 * parseTrade, parsePosition, parseBalance, parseTicker) are all present.
 */
import { abs, div, fixed, fmt, mul, ZERO } from '../common/decimal';
import type { Instrument } from './instruments';
import { type BybitState, type ExecutionRecord, type OrderRecord, type PositionRecord } from './state';

function money(value: bigint): string {
  return fmt(value, 0, 8);
}

export function orderView(state: BybitState, order: OrderRecord): Record<string, unknown> {
  const instrument = state.instrument(order.symbol);
  const price = (value: bigint) => fixed(value, instrument.pricePlaces);
  const qty = (value: bigint) => fixed(value, instrument.qtyPlaces);
  const leaves = ['New', 'PartiallyFilled'].includes(order.status) ? order.qty - order.cumExecQty : ZERO;
  return {
    orderId: order.orderId,
    orderLinkId: order.orderLinkId,
    blockTradeId: '',
    symbol: order.symbol,
    price: price(order.price),
    qty: qty(order.qty),
    side: order.side,
    isLeverage: '',
    positionIdx: 0,
    orderStatus: order.status,
    createType: 'CreateByUser',
    cancelType: order.cancelType,
    rejectReason: order.rejectReason,
    avgPrice: order.cumExecQty > ZERO ? fmt(div(order.cumExecValue, order.cumExecQty), 0, instrument.pricePlaces + 4) : '0',
    leavesQty: qty(leaves),
    leavesValue: money(mul(leaves, order.price)),
    cumExecQty: qty(order.cumExecQty),
    cumExecValue: money(order.cumExecValue),
    cumExecFee: money(order.cumExecFee),
    timeInForce: order.timeInForce,
    orderType: order.orderType,
    stopOrderType: order.triggerPrice === ZERO ? '' : 'Stop',
    orderIv: '',
    marketUnit: '',
    triggerPrice: order.triggerPrice === ZERO ? '' : price(order.triggerPrice),
    takeProfit: '',
    stopLoss: '',
    tpslMode: '',
    ocoTriggerBy: '',
    tpLimitPrice: '',
    slLimitPrice: '',
    tpTriggerBy: '',
    slTriggerBy: '',
    triggerDirection: order.triggerDirection,
    triggerBy: order.triggerPrice === ZERO ? '' : 'LastPrice',
    lastPriceOnCreated: price(state.mark(order.symbol)),
    reduceOnly: order.reduceOnly,
    closeOnTrigger: false,
    placeType: '',
    smpType: 'None',
    smpGroup: 0,
    smpOrderId: '',
    createdTime: String(order.createdTime),
    updatedTime: String(order.updatedTime),
  };
}

export function executionView(state: BybitState, execution: ExecutionRecord): Record<string, unknown> {
  const instrument = state.instrument(execution.symbol);
  const price = (value: bigint) => fixed(value, instrument.pricePlaces);
  const qty = (value: bigint) => fixed(value, instrument.qtyPlaces);
  return {
    symbol: execution.symbol,
    orderId: execution.orderId,
    orderLinkId: execution.orderLinkId,
    side: execution.side,
    orderPrice: price(execution.orderPrice),
    orderQty: qty(execution.orderQty),
    leavesQty: qty(execution.leavesQty),
    createType: 'CreateByUser',
    orderType: execution.orderType,
    stopOrderType: '',
    execFee: money(execution.execFee),
    execFeeV2: '',
    execId: execution.execId,
    execPrice: price(execution.execPrice),
    execQty: qty(execution.execQty),
    execType: execution.execType,
    execValue: money(execution.execValue),
    execTime: String(execution.execTime),
    feeCurrency: '',
    isMaker: execution.isMaker,
    feeRate: fmt(execution.feeRate),
    tradeIv: '',
    markIv: '',
    markPrice: price(execution.markPrice),
    indexPrice: '',
    underlyingPrice: '',
    blockTradeId: '',
    closedSize: qty(execution.closedSize),
    seq: execution.seq,
    extraFees: '',
  };
}

export function positionView(state: BybitState, instrument: Instrument, position: PositionRecord | undefined): Record<string, unknown> {
  const price = (value: bigint) => fixed(value, instrument.pricePlaces);
  const size = position?.qty ?? ZERO;
  const mark = state.mark(instrument.symbol);
  const leverage = state.leverageOf(instrument.symbol);
  const im = position === undefined ? ZERO : state.positionIM(position);
  return {
    positionIdx: 0,
    riskId: 1,
    riskLimitValue: '2000000',
    symbol: instrument.symbol,
    side: size > ZERO ? 'Buy' : size < ZERO ? 'Sell' : '',
    size: fixed(abs(size), instrument.qtyPlaces),
    avgPrice: position === undefined || size === ZERO ? '0' : fmt(position.entryPrice, 0, instrument.pricePlaces + 4),
    positionValue: money(mul(abs(size), position?.entryPrice ?? ZERO)),
    tradeMode: 0,
    positionStatus: 'Normal',
    autoAddMargin: 0,
    adlRankIndicator: size === ZERO ? 0 : 2,
    leverage: String(leverage),
    positionBalance: money(im),
    markPrice: price(mark),
    liqPrice: position === undefined || size === ZERO ? '' : price(state.liquidationPrice(position)),
    bustPrice: '',
    positionMM: money(mul(mul(abs(size), mark), state.maintenanceRate)),
    positionIM: money(im),
    tpslMode: 'Full',
    takeProfit: '0.00',
    stopLoss: '0.00',
    trailingStop: '0.00',
    unrealisedPnl: money(position === undefined ? ZERO : state.unrealisedPnl(position)),
    curRealisedPnl: money(position?.cumRealisedPnl ?? ZERO),
    cumRealisedPnl: money(position?.cumRealisedPnl ?? ZERO),
    seq: position?.seq ?? -1,
    isReduceOnly: false,
    mmrSysUpdatedTime: '',
    leverageSysUpdatedTime: '',
    sessionAvgPrice: '',
    createdTime: String(position?.createdTime ?? state.now()),
    updatedTime: String(position?.updatedTime ?? state.now()),
  };
}

/** GET /v5/account/wallet-balance?accountType=UNIFIED: the account, with its one coin (USDT). */
export function walletView(state: BybitState): Record<string, unknown> {
  const wallet = state.walletBalance();
  const upl = state.unrealisedTotal();
  const positionIM = state.positionIMTotal();
  const orderIM = state.orderIM();
  const equity = wallet + upl;
  const cumRealised = state.listPositions().reduce((sum, p) => sum + p.cumRealisedPnl, ZERO);
  return {
    accountType: 'UNIFIED',
    accountIMRate: equity > ZERO ? fmt(div(positionIM + orderIM, equity), 0, 4) : '0',
    accountMMRate: '0',
    accountLTV: '0',
    totalEquity: money(equity),
    totalWalletBalance: money(wallet),
    totalMarginBalance: money(equity),
    totalAvailableBalance: money(state.available()),
    totalPerpUPL: money(upl),
    totalInitialMargin: money(positionIM + orderIM),
    totalMaintenanceMargin: '0',
    coin: [
      {
        coin: 'USDT',
        equity: money(equity),
        usdValue: money(equity),
        walletBalance: money(wallet),
        free: '',
        locked: '0',
        spotHedgingQty: '0',
        borrowAmount: '0',
        availableToWithdraw: '',
        accruedInterest: '0',
        totalOrderIM: money(orderIM),
        totalPositionIM: money(positionIM),
        totalPositionMM: '0',
        unrealisedPnl: money(upl),
        cumRealisedPnl: money(cumRealised),
        bonus: '0',
        marginCollateral: true,
        collateralSwitch: true,
        availableToBorrow: '',
      },
    ],
  };
}

/** One entry of GET /v5/market/tickers?category=linear, also the `tickers.<symbol>` snapshot: the book one tick either side of the mark. */
export function tickerView(state: BybitState, instrument: Instrument): Record<string, unknown> {
  const price = (value: bigint) => fixed(value, instrument.pricePlaces);
  const mark = state.mark(instrument.symbol);
  const now = state.now();
  const day = state.marks24h(instrument.symbol).filter((p) => p.time >= now - 86_400_000);
  const open = day[0]?.price ?? mark;
  const high = day.reduce((m, p) => (p.price > m ? p.price : m), mark);
  const low = day.reduce((m, p) => (p.price < m ? p.price : m), mark);
  return {
    symbol: instrument.symbol,
    lastPrice: price(mark),
    indexPrice: price(mark),
    markPrice: price(mark),
    prevPrice24h: price(open),
    price24hPcnt: open > ZERO ? fmt(div(mark - open, open), 0, 6) : '0',
    highPrice24h: price(high),
    lowPrice24h: price(low),
    prevPrice1h: price(open),
    openInterest: '0',
    openInterestValue: '0.00',
    turnover24h: '0',
    volume24h: '0',
    fundingRate: '0.0001',
    nextFundingTime: String(Math.ceil((now + 1) / 28_800_000) * 28_800_000),
    predictedDeliveryPrice: '',
    basisRate: '',
    deliveryFeeRate: '',
    deliveryTime: '0',
    ask1Size: '10',
    bid1Price: price(mark - instrument.tick),
    ask1Price: price(mark + instrument.tick),
    bid1Size: '10',
    basis: '',
  };
}
