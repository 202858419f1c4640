/**
 * An OCO pair arrives as one order with its second leg in `oco`; the second
 * leg is judged and placed as an order of its own, with the pair's symbol,
 * side, quantity and reduce-only.
 */
import type { PlaceOrderParams } from '../../../shared/contract';

export function ocoLegParams(params: PlaceOrderParams): PlaceOrderParams {
  const leg = params.oco!;
  return {
    venue: params.venue,
    symbol: params.symbol,
    side: params.side,
    type: leg.type,
    quantity: params.quantity,
    ...(leg.price !== undefined ? { price: leg.price } : {}),
    ...(leg.stopPrice !== undefined ? { stopPrice: leg.stopPrice } : {}),
    ...(leg.trailing !== undefined ? { trailing: leg.trailing } : {}),
    ...(params.reduceOnly ? { reduceOnly: true } : {}),
    ...(leg.clientOrderId !== undefined ? { clientOrderId: leg.clientOrderId } : {}),
    ...(params.overridePriceBand ? { overridePriceBand: true } : {}),
  };
}
