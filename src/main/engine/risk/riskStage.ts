/**
 * The risk stage: every order, from a person, the automation API, a
 * strategy or the emergency stop, passes here before order intake. One
 * pipeline of named checks, run in order, the first refusal wins:
 *
 *   venue · instrument · client-order-id   (can the order be judged at all)
 *   trading-state · order-rate · price-band · order-limits   (the governor)
 *   instrument-rules · stop-trigger · liquidity · min-notional · reduce-only · leverage-bracket · margin
 *
 * A refusal is an `OrderDenied` event carrying who sent the order (source
 * and source id) and which check refused it, plus one activity entry
 * (repeats coalesced). It is answered to the caller as a value; the contract
 * turns it into a typed error for a person, a strategy reads it as an event.
 */
import type { ErrorCode } from '../../../shared/errors';
import { KeelError } from '../../../shared/errors';
import type { OrderDenied } from '../../../shared/risk';
import type { ActivityLog } from '../activity';
import type { EventBus } from '../bus';
import type { Clock } from '../ports/clock';
import type { AmendIntake, OrderIntake } from '../orders/orderIntake';
import { checkBracketLimit, checkMargin, validateOrder } from '../orders/preTrade';
import type { RiskGovernor } from './riskGovernor';

/** What the refusal event says of the order itself. */
export type DeniedOrder = Pick<OrderDenied, 'venue' | 'symbol' | 'side' | 'type' | 'quantity' | 'price' | 'source' | 'sourceId'>;

export interface Denial {
  /** The named check that refused the order. */
  check: string;
  code: ErrorCode;
  /** Which limit refused it, when a limit did. */
  limit: string | null;
  message: string;
  data?: unknown;
}

/** The checks `validateOrder` makes, named by the code each refuses with. */
const CHECK_OF_CODE: Partial<Record<ErrorCode, string>> = {
  INVALID_PRECISION: 'instrument-rules',
  WOULD_TRIGGER_IMMEDIATELY: 'stop-trigger',
  NO_LIQUIDITY: 'liquidity',
  MIN_NOTIONAL: 'min-notional',
  REDUCE_ONLY_REJECTED: 'reduce-only',
  LEVERAGE_BRACKET_EXCEEDED: 'leverage-bracket',
  INSUFFICIENT_MARGIN: 'margin',
};

export interface RiskStageDeps {
  governor: RiskGovernor;
  bus: EventBus;
  activity: ActivityLog;
  clock: Clock;
}

export class RiskStage {
  constructor(private readonly deps: RiskStageDeps) {}

  /** Runs the pipeline on an order that can be judged; null when it passes every check. */
  evaluate(intake: OrderIntake): Denial | null {
    const { params, source, intent, market, book } = intake;
    const gate = this.deps.governor.check(
      params.venue,
      { symbol: params.symbol, ...intent, source: source.kind, overridePriceBand: params.overridePriceBand ?? false },
      { position: book.position, pendingReduce: book.pendingReduce, pendingSameSide: book.pendingSameSide, mark: market.mark, referencePrice: market.referencePrice, openOrders: book.openOrders },
    );
    if (gate) return { check: gate.check, code: gate.code, limit: gate.limit, message: gate.message };
    try {
      validateOrder(intent, {
        instrument: intake.instrument,
        bid: market.bid,
        ask: market.ask,
        last: market.last,
        position: book.position,
        pendingReduce: book.pendingReduce,
        leverage: book.leverage,
        available: book.available(),
      });
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      return { check: CHECK_OF_CODE[error.code] ?? 'instrument-rules', code: error.code, limit: null, message: error.message, data: error.data };
    }
    return null;
  }

  /**
   * Judges an amend's new terms the way a new order is judged (trading
   * state, rate, price band, order limits, margin), against the book without
   * the order itself. Cutting the quantity only is a partial cancel: it
   * passes whatever the state, as cancels do.
   */
  evaluateAmend(intake: AmendIntake): Denial | null {
    if (intake.onlyDecreases) return null;
    const { order, source, intent, market, book } = intake;
    const gate = this.deps.governor.check(
      order.venue,
      { symbol: order.symbol, ...intent, source: source.kind, overridePriceBand: false },
      { position: book.position, pendingReduce: book.pendingReduce, pendingSameSide: book.pendingSameSide, mark: market.mark, referencePrice: market.referencePrice, openOrders: book.openOrders },
    );
    if (gate) return { check: gate.check, code: gate.code, limit: gate.limit, message: gate.message };
    try {
      checkBracketLimit(intent, market.referencePrice, { instrument: intake.instrument, position: book.position, leverage: book.leverage });
      checkMargin(intent, market.referencePrice, {
        instrument: intake.instrument,
        position: book.position,
        pendingReduce: book.pendingReduce,
        leverage: book.leverage,
        available: book.available(),
      });
    } catch (error) {
      if (!(error instanceof KeelError)) throw error;
      return { check: CHECK_OF_CODE[error.code] ?? 'margin', code: error.code, limit: null, message: error.message, data: error.data };
    }
    return null;
  }

  /**
   * Tells everyone an order was refused: the `OrderDenied` event (to the
   * originator and the blotters) and one activity entry; repeats of the same
   * refusal from the same source within a second share one entry.
   */
  deny(order: DeniedOrder, denial: Denial): void {
    const { source, sourceId } = order;
    this.deps.bus.publish('orders.denied', { ...order, check: denial.check, code: denial.code, limit: denial.limit, message: denial.message, timestamp: this.deps.clock.now() });
    this.deps.activity.recordDenial(
      `${source}|${sourceId ?? ''}|${denial.code}|${denial.limit ?? ''}|${order.venue}`,
      'warning',
      denial.code === 'HALTED' || denial.code === 'REDUCING_ONLY' || denial.code === 'RISK_REJECTED' ? 'risk' : 'order',
      `Order denied: ${denial.message}`,
      { code: denial.code, check: denial.check, limit: denial.limit, symbol: order.symbol, side: order.side, quantity: order.quantity, source, sourceId },
    );
  }
}

/** The typed error a person (or an API client) gets for a refusal. */
export function denialError(denial: Denial): KeelError {
  return new KeelError(denial.code, denial.message, denial.data ?? (denial.limit ? { limit: denial.limit } : undefined));
}
