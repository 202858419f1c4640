/**
 * Records the fake exchange keeps (orders, trades, one-way positions, algo
 * orders) and the events its engine publishes to the user-data stream.
 */
import type { Dec } from '../common/decimal';

export type Side = 'BUY' | 'SELL';
export type OrderType = 'LIMIT' | 'MARKET';
export type AlgoOrderType = 'STOP_MARKET' | 'TAKE_PROFIT_MARKET' | 'STOP' | 'TAKE_PROFIT' | 'TRAILING_STOP_MARKET';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTX' | 'GTD';
export type OrderStatus = 'NEW' | 'PARTIALLY_FILLED' | 'FILLED' | 'CANCELED' | 'EXPIRED';
export type AlgoStatus = 'NEW' | 'CANCELED' | 'TRIGGERING' | 'TRIGGERED' | 'FINISHED' | 'REJECTED' | 'EXPIRED';
export type ExecutionType = 'NEW' | 'TRADE' | 'CANCELED' | 'EXPIRED' | 'AMENDMENT';
/** Who placed an order: a signed API call, another client of the same account (web, app), or a triggered algo order. */
export type OrderSource = 'api' | 'external' | 'algo';

export interface OrderRecord {
  orderId: number;
  symbol: string;
  clientOrderId: string;
  side: Side;
  type: OrderType;
  timeInForce: TimeInForce;
  price: Dec;
  origQty: Dec;
  executedQty: Dec;
  cumQuote: Dec;
  reduceOnly: boolean;
  closePosition: boolean;
  status: OrderStatus;
  time: number;
  updateTime: number;
  goodTillDate: number;
  source: OrderSource;
}

export interface TradeRecord {
  id: number;
  orderId: number;
  symbol: string;
  side: Side;
  price: Dec;
  qty: Dec;
  quoteQty: Dec;
  commission: Dec;
  realizedPnl: Dec;
  maker: boolean;
  time: number;
}

/** A line of the income history (GET /fapi/v1/income); only funding fees are kept. */
export interface IncomeRecord {
  symbol: string;
  incomeType: 'FUNDING_FEE';
  income: Dec;
  asset: string;
  time: number;
  tranId: number;
}

export interface PositionRecord {
  symbol: string;
  /** Signed: positive long, negative short (one-way mode, positionSide BOTH). */
  qty: Dec;
  entryPrice: Dec;
  /** Realized PnL accumulated on this symbol (Binance's "cr"). */
  accumulatedRealized: Dec;
  updateTime: number;
}

export interface AlgoRecord {
  algoId: number;
  clientAlgoId: string;
  symbol: string;
  side: Side;
  orderType: AlgoOrderType;
  quantity: Dec;
  triggerPrice: Dec;
  price: Dec;
  timeInForce: TimeInForce;
  reduceOnly: boolean;
  closePosition: boolean;
  workingType: 'CONTRACT_PRICE' | 'MARK_PRICE';
  algoStatus: AlgoStatus;
  createTime: number;
  updateTime: number;
  triggerTime: number;
  actualOrderId: number | null;
  rejectReason: string;
  /** TRAILING_STOP_MARKET: the callback rate in percent, the activation price (zero: active at once) and the best mark since activation (zero: not active yet). */
  callbackRate: Dec;
  activatePrice: Dec;
  trailBest: Dec;
}

/** Account-level money, all in USDT. */
export interface AccountFigures {
  walletBalance: Dec;
  unrealizedProfit: Dec;
  marginBalance: Dec;
  positionInitialMargin: Dec;
  openOrderInitialMargin: Dec;
  maintMargin: Dec;
  availableBalance: Dec;
  maxWithdrawAmount: Dec;
  updateTime: number;
}

export type AccountUpdateReason = 'ORDER' | 'DEPOSIT' | 'WITHDRAW' | 'ADJUSTMENT' | 'FUNDING_FEE';

export type EngineEvent =
  | { type: 'order'; execution: ExecutionType; order: OrderRecord; trade: TradeRecord | null; time: number }
  | { type: 'account'; reason: AccountUpdateReason; walletBalance: Dec; balanceChange: Dec; positions: PositionRecord[]; time: number }
  | { type: 'algo'; algo: AlgoRecord; time: number }
  | { type: 'mark'; symbol: string; mark: Dec; time: number };

/** What a caller asks for when placing an order; decimals stay strings until the engine checks them. */
export interface OrderRequest {
  symbol: string;
  side: string;
  type: string;
  quantity?: string;
  price?: string;
  timeInForce?: string;
  reduceOnly?: boolean;
  closePosition?: boolean;
  clientOrderId?: string;
  goodTillDate?: number;
}

export interface AlgoOrderRequest {
  algoType: string;
  symbol: string;
  side: string;
  type: string;
  quantity?: string;
  triggerPrice?: string;
  price?: string;
  timeInForce?: string;
  reduceOnly?: boolean;
  closePosition?: boolean;
  clientAlgoId?: string;
  workingType?: string;
  callbackRate?: string;
  activatePrice?: string;
}
