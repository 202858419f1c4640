/**
 * What each exchange Keel trades through ccxt can do with orders beyond
 * plain ones, as the engine sees it (see `VenueOrderFeatures`):
 *
 * - Binance USD-M: stops and take-profits (STOP/STOP_MARKET,
 *   TAKE_PROFIT/TAKE_PROFIT_MARKET) and trailing stops by a percentage
 *   (TRAILING_STOP_MARKET, callback rate), all conditional (algo) orders;
 *   only limit orders can be amended in place (PUT /fapi/v1/order): a
 *   conditional order is cancelled and replaced.
 * - Bybit: stops and take-profits as conditional orders; limit and
 *   conditional orders are amended in place (/v5/order/amend). Its trailing
 *   stop is a setting of the whole position (set trading-stop) with no
 *   client order id, which Keel could not tell apart from one set elsewhere:
 *   trailing stops are refused there.
 * - OKX: stops and take-profits as conditional algo orders, trailing stops by
 *   a percentage or a distance (move_order_stop); limit orders are amended
 *   with amend-order, conditional ones with amend-algos; a trailing stop is
 *   cancelled and replaced.
 *
 * Brackets and OCO pairs are Keel's on all three (see `ManagedGroups`): the
 * take-profit and stop-loss are placed, as the exchange's own conditional
 * reduce-only orders under Keel's client order ids, when the entry fills.
 * The exchanges' own attached TP/SL (Bybit's tpslMode, OKX's
 * attachAlgoOrds) are placed by the exchange under ids Keel does not choose,
 * so after a restart they could not be told from orders placed elsewhere.
 */
import type { OrderType } from '../../../shared/domain';
import type { VenueOrderFeatures } from '../../engine/ports/venue';
import type { ExchangeId } from './exchanges';

const CONDITIONAL: readonly OrderType[] = ['market', 'limit', 'stop', 'stop_limit', 'take_profit', 'take_profit_limit'];

export function orderFeaturesOf(exchange: ExchangeId): VenueOrderFeatures {
  switch (exchange) {
    case 'binanceusdm':
      return {
        types: [...CONDITIONAL, 'trailing_stop'],
        amendsInPlace: (order) => order.type === 'limit',
        brackets: false,
        oco: false,
        trailing: { distance: false, percent: true },
      };
    case 'bybit':
      return {
        types: CONDITIONAL,
        amendsInPlace: (order) => order.type !== 'market' && order.type !== 'trailing_stop',
        brackets: false,
        oco: false,
        trailing: { distance: false, percent: false },
      };
    case 'okx':
      return {
        types: [...CONDITIONAL, 'trailing_stop'],
        amendsInPlace: (order, change) => order.type === 'limit' || (order.type !== 'market' && order.type !== 'trailing_stop' && !change.price),
        brackets: false,
        oco: false,
        trailing: { distance: true, percent: true },
      };
  }
}
