/**
 * Whether a venue takes an order of this kind (its type, trail, bracket or
 * OCO pair), and whether a bracket's take-profit and stop-loss make sense
 * for their entry, checked before anything is sent. Pure.
 *
 * A venue that does not hold brackets or OCO pairs itself still takes them:
 * Keel places and cancels the other orders (see `ManagedGroups`), so what
 * the venue must take is each order's own type. A trail the venue cannot
 * hold (Binance trails by a percentage only) is refused, never approximated.
 */
import { Dec } from '../../../shared/decimal';
import type { Instrument, OrderType, Trailing } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { PlaceOrderParams } from '../../../shared/contract';
import type { VenueOrderFeatures } from '../ports/venue';

/** What a venue without declared features takes: plain orders. */
export const PLAIN_FEATURES: VenueOrderFeatures = {
  types: ['market', 'limit', 'stop', 'stop_limit'],
  amendsInPlace: () => false,
  brackets: false,
  oco: false,
  trailing: { distance: false, percent: false },
};

const WORDS: Record<OrderType, string> = {
  market: 'market',
  limit: 'limit',
  stop: 'stop',
  stop_limit: 'stop-limit',
  take_profit: 'take-profit',
  take_profit_limit: 'take-profit limit',
  trailing_stop: 'trailing stop',
};

/** The order type a take-profit or stop-loss is placed as. */
export function attachedType(role: 'tp' | 'sl', leg: { triggerPrice?: string; price?: string; trailing?: Trailing }): OrderType {
  if (leg.trailing) return 'trailing_stop';
  if (role === 'tp') return leg.price === undefined ? 'take_profit' : 'take_profit_limit';
  return leg.price === undefined ? 'stop' : 'stop_limit';
}

function requireType(venue: string, features: VenueOrderFeatures, type: OrderType, what: string): void {
  if (!features.types.includes(type)) {
    throw new KeelError('VALIDATION_FAILED', `${venue} does not take ${WORDS[type]} orders${what}.`, { field: 'type', type });
  }
}

function requireTrail(venue: string, features: VenueOrderFeatures, trailing: Trailing, tick: Dec): void {
  const byDistance = 'distance' in trailing;
  if (byDistance ? !features.trailing.distance : !features.trailing.percent) {
    const other = byDistance ? 'a percentage' : 'a price distance';
    throw new KeelError('VALIDATION_FAILED', `${venue} trails a stop by ${other} only; give the trail as ${other}.`, { field: 'trailing' });
  }
  if (byDistance && !Dec.parse(trailing.distance).isMultipleOf(tick)) {
    throw new KeelError('INVALID_PRECISION', `Trail distance ${trailing.distance} is not a multiple of the tick size ${tick.toString()}.`, { field: 'trailing', tickSize: tick.toString() });
  }
}

function requireTick(label: string, field: string, value: string | undefined, tick: Dec, instrument: Instrument): void {
  if (value !== undefined && !Dec.parse(value).isMultipleOf(tick)) {
    throw new KeelError('INVALID_PRECISION', `${label} ${value} is not a multiple of the tick size ${instrument.tickSize} for ${instrument.symbol}.`, { field, tickSize: instrument.tickSize });
  }
}

/**
 * Refuses an order kind the venue cannot take, and a take-profit or
 * stop-loss on the wrong side of its entry: for a buy, the take-profit above
 * the entry's price and the stop-loss below it (a sell the other way round).
 * `entryPrice`: the entry's limit or stop price, or the touch it would take.
 */
export function checkOrderKind(params: PlaceOrderParams, instrument: Instrument, features: VenueOrderFeatures | undefined, entryPrice: Dec): void {
  const venue = params.venue;
  const have = features ?? PLAIN_FEATURES;
  const tick = Dec.parse(instrument.tickSize);
  requireType(venue, have, params.type, '');
  if (params.trailing) requireTrail(venue, have, params.trailing, tick);
  if (params.oco) {
    requireType(venue, have, params.oco.type, ' (the OCO pair’s second leg)');
    if (params.oco.trailing) requireTrail(venue, have, params.oco.trailing, tick);
    requireTick('The OCO leg’s limit price', 'oco.price', params.oco.price, tick, instrument);
    requireTick('The OCO leg’s stop price', 'oco.stopPrice', params.oco.stopPrice, tick, instrument);
  }
  const buy = params.side === 'buy';
  if (params.takeProfit) {
    const tp = params.takeProfit;
    requireType(venue, have, attachedType('tp', tp), ' (the take-profit)');
    requireTick('Take-profit trigger price', 'takeProfit.triggerPrice', tp.triggerPrice, tick, instrument);
    requireTick('Take-profit limit price', 'takeProfit.price', tp.price, tick, instrument);
    const trigger = Dec.parse(tp.triggerPrice);
    if (buy ? !trigger.gt(entryPrice) : !trigger.lt(entryPrice)) {
      throw new KeelError(
        'VALIDATION_FAILED',
        `The take-profit of a ${params.side} belongs ${buy ? 'above' : 'below'} its entry at ${entryPrice.toString()}; ${tp.triggerPrice} is not.`,
        { field: 'takeProfit.triggerPrice' },
      );
    }
  }
  if (params.stopLoss) {
    const sl = params.stopLoss;
    requireType(venue, have, attachedType('sl', sl), ' (the stop-loss)');
    if ('trailing' in sl) requireTrail(venue, have, sl.trailing, tick);
    else {
      requireTick('Stop-loss trigger price', 'stopLoss.triggerPrice', sl.triggerPrice, tick, instrument);
      requireTick('Stop-loss limit price', 'stopLoss.price', sl.price, tick, instrument);
      const trigger = Dec.parse(sl.triggerPrice);
      if (buy ? !trigger.lt(entryPrice) : !trigger.gt(entryPrice)) {
        throw new KeelError(
          'VALIDATION_FAILED',
          `The stop-loss of a ${params.side} belongs ${buy ? 'below' : 'above'} its entry at ${entryPrice.toString()}; ${sl.triggerPrice} is not.`,
          { field: 'stopLoss.triggerPrice' },
        );
      }
    }
  }
}
