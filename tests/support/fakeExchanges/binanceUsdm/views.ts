/**
 * REST answers for the account side (orders, algo orders, trades, positions,
 * account and balance), field for field as Binance USD-M writes them: decimals
 * as strings, ids and times as numbers.
 */
import { abs, div, fixed, fmt, fromInt, mul, ZERO } from '../common/decimal';
import type { ExchangeState } from './exchangeState';
import { maintMarginRatio } from './symbols';
import type { AlgoRecord, IncomeRecord, OrderRecord, TradeRecord } from './types';

export function orderView(state: ExchangeState, order: OrderRecord, shape: 'placed' | 'queried') {
  const instrument = state.instrument(order.symbol);
  const average = order.executedQty > ZERO ? div(order.cumQuote, order.executedQty) : ZERO;
  const view: Record<string, unknown> = {
    orderId: order.orderId,
    symbol: order.symbol,
    status: order.status,
    clientOrderId: order.clientOrderId,
    price: fixed(order.price, instrument.pricePlaces),
    avgPrice: fmt(average, Math.max(instrument.pricePlaces, 2), 8),
    origQty: fixed(order.origQty, instrument.quantityPlaces),
    executedQty: fixed(order.executedQty, instrument.quantityPlaces),
  };
  if (shape === 'placed') view.cumQty = fixed(order.executedQty, instrument.quantityPlaces);
  Object.assign(view, {
    cumQuote: fmt(order.cumQuote, 5),
    timeInForce: order.timeInForce,
    type: order.type,
    reduceOnly: order.reduceOnly,
    closePosition: order.closePosition,
    side: order.side,
    positionSide: 'BOTH',
    stopPrice: '0',
    workingType: 'CONTRACT_PRICE',
    priceProtect: false,
    origType: order.type,
    priceMatch: 'NONE',
    selfTradePreventionMode: 'EXPIRE_MAKER',
    goodTillDate: order.goodTillDate,
  });
  if (shape === 'queried') view.time = order.time;
  view.updateTime = order.updateTime;
  return view;
}

export function algoView(state: ExchangeState, algo: AlgoRecord) {
  const instrument = state.instrument(algo.symbol);
  return {
    algoId: algo.algoId,
    clientAlgoId: algo.clientAlgoId,
    algoType: 'CONDITIONAL',
    orderType: algo.orderType,
    symbol: algo.symbol,
    side: algo.side,
    positionSide: 'BOTH',
    timeInForce: algo.timeInForce,
    quantity: fixed(algo.quantity, instrument.quantityPlaces),
    algoStatus: algo.algoStatus,
    actualOrderId: algo.actualOrderId === null ? '' : String(algo.actualOrderId),
    triggerPrice: fixed(algo.triggerPrice, instrument.pricePlaces),
    price: fixed(algo.price, instrument.pricePlaces),
    icebergQuantity: null,
    selfTradePreventionMode: 'EXPIRE_MAKER',
    workingType: algo.workingType,
    priceMatch: 'NONE',
    closePosition: algo.closePosition,
    priceProtect: false,
    reduceOnly: algo.reduceOnly,
    activatePrice: algo.activatePrice === ZERO ? '' : fixed(algo.activatePrice, instrument.pricePlaces),
    callbackRate: algo.orderType === 'TRAILING_STOP_MARKET' ? fmt(algo.callbackRate) : '',
    createTime: algo.createTime,
    updateTime: algo.updateTime,
    triggerTime: algo.triggerTime,
    goodTillDate: 0,
  };
}

export function tradeView(state: ExchangeState, trade: TradeRecord) {
  const instrument = state.instrument(trade.symbol);
  return {
    buyer: trade.side === 'BUY',
    commission: fmt(trade.commission, 8),
    commissionAsset: 'USDT',
    id: trade.id,
    maker: trade.maker,
    orderId: trade.orderId,
    price: fixed(trade.price, instrument.pricePlaces),
    qty: fixed(trade.qty, instrument.quantityPlaces),
    quoteQty: fmt(trade.quoteQty, 5),
    realizedPnl: fmt(trade.realizedPnl, 8),
    side: trade.side,
    positionSide: 'BOTH',
    symbol: trade.symbol,
    time: trade.time,
  };
}

/** Per-symbol money of a position at the current mark. */
function positionMoney(state: ExchangeState, symbol: string) {
  const position = state.positionOf(symbol);
  const instrument = state.instrument(symbol);
  const mark = state.mark(symbol);
  const notional = mul(position.qty, mark);
  const leverage = fromInt(state.leverageOf(symbol));
  const initialMargin = div(abs(notional), leverage);
  const openOrderIm = state
    .openOrders(symbol)
    .filter((o) => !o.reduceOnly)
    .reduce((sum, o) => sum + div(mul(o.origQty - o.executedQty, o.price), leverage), ZERO);
  return {
    position,
    instrument,
    mark,
    notional,
    unrealized: mul(position.qty, mark - position.entryPrice),
    initialMargin,
    openOrderIm,
    maintMargin: mul(abs(notional), maintMarginRatio(instrument, abs(notional))),
  };
}

/** Symbols v3 endpoints report: those with a position or an open order. */
function activeSymbols(state: ExchangeState): string[] {
  return state
    .listInstruments()
    .map((i) => i.symbol)
    .filter((s) => state.positionOf(s).qty !== ZERO || state.openOrders(s).length > 0);
}

export function positionRiskV3(state: ExchangeState, symbol?: string) {
  return activeSymbols(state)
    .filter((s) => symbol === undefined || s === symbol)
    .map((s) => {
      const m = positionMoney(state, s);
      return {
        symbol: s,
        positionSide: 'BOTH',
        positionAmt: fixed(m.position.qty, m.instrument.quantityPlaces),
        entryPrice: fmt(m.position.entryPrice, 1, 8),
        breakEvenPrice: fmt(m.position.entryPrice, 1, 8),
        markPrice: fixed(m.mark, 8),
        unRealizedProfit: fixed(m.unrealized, 8),
        liquidationPrice: fixed(state.liquidationPriceOf(s), 8),
        isolatedMargin: '0',
        notional: fixed(m.notional, 8),
        marginAsset: 'USDT',
        isolatedWallet: '0',
        initialMargin: fixed(m.initialMargin + m.openOrderIm, 8),
        maintMargin: fixed(m.maintMargin, 8),
        positionInitialMargin: fixed(m.initialMargin, 8),
        openOrderInitialMargin: fixed(m.openOrderIm, 8),
        adl: 0,
        bidNotional: '0',
        askNotional: '0',
        updateTime: m.position.updateTime,
      };
    });
}

export function positionRiskV2(state: ExchangeState, symbol?: string) {
  return state
    .listInstruments()
    .filter((i) => symbol === undefined || i.symbol === symbol)
    .map((i) => {
      const m = positionMoney(state, i.symbol);
      return {
        symbol: i.symbol,
        positionAmt: fixed(m.position.qty, i.quantityPlaces),
        entryPrice: fmt(m.position.entryPrice, 1, 8),
        breakEvenPrice: fmt(m.position.entryPrice, 1, 8),
        markPrice: fixed(m.mark, 8),
        unRealizedProfit: fixed(m.unrealized, 8),
        liquidationPrice: fixed(state.liquidationPriceOf(i.symbol), 8),
        leverage: String(state.leverageOf(i.symbol)),
        maxNotionalValue: i.brackets[0]?.notionalCap ?? '0',
        marginType: 'cross',
        isolatedMargin: '0.00000000',
        isAutoAddMargin: 'false',
        positionSide: 'BOTH',
        notional: fixed(m.notional, 8),
        isolatedWallet: '0',
        updateTime: m.position.updateTime,
      };
    });
}

function moneyTotals(state: ExchangeState) {
  const f = state.figures();
  return {
    totalInitialMargin: fixed(f.positionInitialMargin + f.openOrderInitialMargin, 8),
    totalMaintMargin: fixed(f.maintMargin, 8),
    totalWalletBalance: fixed(f.walletBalance, 8),
    totalUnrealizedProfit: fixed(f.unrealizedProfit, 8),
    totalMarginBalance: fixed(f.marginBalance, 8),
    totalPositionInitialMargin: fixed(f.positionInitialMargin, 8),
    totalOpenOrderInitialMargin: fixed(f.openOrderInitialMargin, 8),
    totalCrossWalletBalance: fixed(f.walletBalance, 8),
    totalCrossUnPnl: fixed(f.unrealizedProfit, 8),
    availableBalance: fixed(f.availableBalance, 8),
    maxWithdrawAmount: fixed(f.maxWithdrawAmount, 8),
  };
}

function usdtAsset(state: ExchangeState) {
  const f = state.figures();
  return {
    asset: 'USDT',
    walletBalance: fixed(f.walletBalance, 8),
    unrealizedProfit: fixed(f.unrealizedProfit, 8),
    marginBalance: fixed(f.marginBalance, 8),
    maintMargin: fixed(f.maintMargin, 8),
    initialMargin: fixed(f.positionInitialMargin + f.openOrderInitialMargin, 8),
    positionInitialMargin: fixed(f.positionInitialMargin, 8),
    openOrderInitialMargin: fixed(f.openOrderInitialMargin, 8),
    crossWalletBalance: fixed(f.walletBalance, 8),
    crossUnPnl: fixed(f.unrealizedProfit, 8),
    availableBalance: fixed(f.availableBalance, 8),
    maxWithdrawAmount: fixed(f.maxWithdrawAmount, 8),
    // ccxt skips an asset whose updateTime is 0 (binance.js parseBalanceCustom), so this is never 0.
    updateTime: f.updateTime,
  };
}

export function accountV3(state: ExchangeState) {
  return {
    ...moneyTotals(state),
    assets: [usdtAsset(state)],
    positions: activeSymbols(state).map((s) => {
      const m = positionMoney(state, s);
      return {
        symbol: s,
        positionSide: 'BOTH',
        positionAmt: fixed(m.position.qty, m.instrument.quantityPlaces),
        unrealizedProfit: fixed(m.unrealized, 8),
        isolatedMargin: '0',
        notional: fixed(m.notional, 8),
        isolatedWallet: '0',
        initialMargin: fixed(m.initialMargin + m.openOrderIm, 8),
        maintMargin: fixed(m.maintMargin, 8),
        updateTime: m.position.updateTime,
      };
    }),
  };
}

export function accountV2(state: ExchangeState) {
  return {
    feeTier: 0,
    feeBurn: false,
    canTrade: true,
    canDeposit: true,
    canWithdraw: true,
    updateTime: 0,
    multiAssetsMargin: false,
    tradeGroupId: -1,
    ...moneyTotals(state),
    assets: [{ ...usdtAsset(state), marginAvailable: true }],
    positions: state.listInstruments().map((i) => {
      const m = positionMoney(state, i.symbol);
      return {
        symbol: i.symbol,
        initialMargin: fixed(m.initialMargin + m.openOrderIm, 8),
        maintMargin: fixed(m.maintMargin, 8),
        unrealizedProfit: fixed(m.unrealized, 8),
        positionInitialMargin: fixed(m.initialMargin, 8),
        openOrderInitialMargin: fixed(m.openOrderIm, 8),
        leverage: String(state.leverageOf(i.symbol)),
        isolated: false,
        entryPrice: fmt(m.position.entryPrice, 1, 8),
        breakEvenPrice: fmt(m.position.entryPrice, 1, 8),
        maxNotional: i.brackets[0]?.notionalCap ?? '0',
        bidNotional: '0',
        askNotional: '0',
        positionSide: 'BOTH',
        positionAmt: fixed(m.position.qty, i.quantityPlaces),
        updateTime: m.position.updateTime,
      };
    }),
  };
}

export function balanceView(state: ExchangeState) {
  const f = state.figures();
  return [
    {
      accountAlias: 'SgsR',
      asset: 'USDT',
      balance: fixed(f.walletBalance, 8),
      crossWalletBalance: fixed(f.walletBalance, 8),
      crossUnPnl: fixed(f.unrealizedProfit, 8),
      availableBalance: fixed(f.availableBalance, 8),
      maxWithdrawAmount: fixed(f.maxWithdrawAmount, 8),
      marginAvailable: true,
      updateTime: f.updateTime,
    },
  ];
}

export function leverageBracketView(state: ExchangeState, symbol?: string) {
  const entries = state
    .listInstruments()
    .filter((i) => symbol === undefined || i.symbol === symbol)
    .map((i) => ({
      symbol: i.symbol,
      notionalCoef: 1.0,
      brackets: i.brackets.map((b, index) => ({
        bracket: index + 1,
        initialLeverage: b.initialLeverage,
        notionalCap: Number(b.notionalCap),
        notionalFloor: Number(b.notionalFloor),
        maintMarginRatio: Number(b.maintMarginRatio),
        cum: Number(b.cum),
      })),
    }));
  // Binance answers one object, not a list, when a symbol is named.
  return symbol === undefined ? entries : entries[0];
}

/** A line of GET /fapi/v1/income, as Binance writes it. */
export function incomeView(record: IncomeRecord) {
  return {
    symbol: record.symbol,
    incomeType: record.incomeType,
    income: fixed(record.income, 8),
    asset: record.asset,
    info: record.incomeType,
    time: record.time,
    tranId: record.tranId,
    tradeId: '',
  };
}
