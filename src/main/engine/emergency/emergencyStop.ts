/**
 * The emergency stop, run in the main process whatever triggered it (OS
 * hotkey, tray, menu, the window's button or hotkey, a loss limit):
 *
 *   1. latch HALTED — before anything else, so no new order gets through;
 *   2. halt every strategy;
 *   3. cancel every open order on every venue (the venue's cancel-all first,
 *      then order by order with retries for what is left, then ask the venue
 *      about anything still unconfirmed);
 *   4. if asked, close every position with reduce-only market orders, once
 *      the cancels are settled so a resting stop cannot get in the way;
 *   5. report what was done and what could not be confirmed, and journal it.
 *
 * Pressing it again while it runs joins the run in progress (adding the
 * flatten if the second press asks for it); pressing it afterwards simply
 * finds nothing left to do.
 */
import { Dec } from '../../../shared/decimal';
import { isTerminalStatus, type Order } from '../../../shared/domain';
import type { PlaceOrderParams } from '../../../shared/contract';
import type { EmergencyReport } from '../../../shared/risk';
import type { ActivityLog } from '../activity';
import type { EventBus } from '../bus';
import type { Clock } from '../ports/clock';
import { consoleLogger, type Logger } from '../ports/logger';
import type { EngineJournal } from '../ports/journal';
import type { OrderManager, OrderSource } from '../orders/orderManager';
import type { Portfolio } from '../portfolio/portfolio';
import type { RiskGovernor } from '../risk/riskGovernor';
import type { VenueRegistry } from '../venueRegistry';
import { errorText } from '../../../shared/errors';

export interface EmergencyStopDeps {
  clock: Clock;
  journal: EngineJournal;
  bus: EventBus;
  activity: ActivityLog;
  risk: RiskGovernor;
  orders: OrderManager;
  /** Places an order through the risk stage; throws for a refusal or a venue rejection. */
  placeOrder: (params: PlaceOrderParams, source: OrderSource) => Promise<Order>;
  portfolio: Portfolio;
  venues: VenueRegistry;
  /** Strategy halts, registered by whatever runs strategies. */
  haltStrategies: () => Promise<void>;
  /** Retry schedule for venue requests that fail transiently, in ms between attempts. */
  retryDelaysMs?: readonly number[];
  /** How long a close order that the venue accepted but has not filled yet is waited for. */
  fillWaitMs?: number;
  log?: Logger;
}

export interface EmergencyRequest {
  flatten: boolean;
  trigger: string;
}

type Unconfirmed = EmergencyReport['unconfirmed'][number];

const DEFAULT_RETRY_DELAYS = [0, 20, 50, 100, 200, 400] as const;
/** A close order the venue accepted is given this long to fill before the stop tries again. */
const DEFAULT_FILL_WAIT_MS = 2_000;

/** How each trigger is named in the trading state's reason and the activity log. */
const TRIGGER_WORDS: Record<string, string> = {
  button: 'button',
  'window-hotkey': 'hotkey in the window',
  hotkey: 'global hotkey',
  tray: 'tray menu',
  menu: 'Trading menu',
};

function reasonFor(trigger: string): string {
  return `Emergency stop (${TRIGGER_WORDS[trigger] ?? trigger})`;
}

export class EmergencyStop {
  private running: { promise: Promise<EmergencyReport>; flatten: boolean } | null = null;
  private sequence = 0;

  private readonly log: Logger;

  constructor(private readonly deps: EmergencyStopDeps) {
    this.log = deps.log ?? consoleLogger;
  }

  /** True while a stop is in progress (re-arming is refused meanwhile). */
  get active(): boolean {
    return this.running !== null;
  }

  /** Resolves when no stop is running (never rejects). */
  async settled(): Promise<void> {
    while (this.running) await this.running.promise.catch(() => undefined);
  }

  /** Latches HALTED synchronously, then runs (or joins) the stop. */
  trigger(request: EmergencyRequest): Promise<EmergencyReport> {
    // The report starts when the stop was asked for, so "halted" never reads as earlier than "started".
    const pressedAt = this.deps.clock.now();
    this.latch(request.trigger);
    if (this.running) {
      if (this.running.flatten || !request.flatten) return this.running.promise;
      // A second press asks for more than the first: flatten once the first run ends, whatever its outcome.
      return this.track(this.running.promise.catch(() => undefined).then(() => this.run(request, this.deps.clock.now())), true);
    }
    return this.track(this.run(request, pressedAt), request.flatten);
  }

  private track(promise: Promise<EmergencyReport>, flatten: boolean): Promise<EmergencyReport> {
    const settled = promise.finally(() => {
      if (this.running?.promise === settled) this.running = null;
    });
    this.running = { promise: settled, flatten };
    return settled;
  }

  /** HALTED in force in memory first; a journal that cannot be written must not stop the stop. */
  private latch(trigger: string): number {
    try {
      return this.deps.risk.latchHalted('emergency', reasonFor(trigger));
    } catch (error) {
      this.log.error('[emergency] HALTED is in force but could not be journaled', error);
      return this.deps.clock.now();
    }
  }

  /** Activity entries are for the trader; failing to write one must never interrupt the stop. */
  private note(level: 'info' | 'warning' | 'error', message: string, data?: unknown): void {
    try {
      this.deps.activity.record(level, 'risk', message, data);
    } catch (error) {
      this.log.error(`[emergency] could not journal: ${message}`, error);
    }
  }

  private async run(request: EmergencyRequest, startedAt: number): Promise<EmergencyReport> {
    const { clock } = this.deps;
    // Already HALTED before this run (a second press, a breach): in force from the start of this one.
    const haltedAt = Math.max(this.latch(request.trigger), startedAt);
    this.note('error', `EMERGENCY STOP — ${reasonFor(request.trigger).replace('Emergency stop ', '')}${request.flatten ? ', with flatten' : ''}: trading halted.`);

    const unconfirmed: Unconfirmed[] = [];
    try {
      await this.deps.haltStrategies();
    } catch (error) {
      this.note('error', `Emergency stop: halting strategies failed: ${text(error)}`);
    }

    const canceled = await this.cancelEverything(unconfirmed);
    const cancelsConfirmedAt = unconfirmed.some((u) => u.kind === 'cancel') ? null : clock.now();

    let positionsClosed = 0;
    let flatAt: number | null = null;
    if (request.flatten) {
      positionsClosed = await this.flattenEverything(unconfirmed);
      if (!unconfirmed.some((u) => u.kind === 'close')) flatAt = clock.now();
    }
    await this.verifyWithVenues(request.flatten, unconfirmed);

    const report: EmergencyReport = {
      id: `es-${startedAt.toString(36)}-${(this.sequence += 1)}`,
      trigger: request.trigger,
      flatten: request.flatten,
      startedAt,
      haltedAt,
      cancelsConfirmedAt,
      flatAt,
      finishedAt: clock.now(),
      ordersCanceled: canceled,
      positionsClosed,
      unconfirmed,
      complete: unconfirmed.length === 0,
    };
    try {
      this.deps.journal.saveEmergencyReport(report);
    } catch (error) {
      this.log.error('[emergency] the report could not be journaled', error);
    }
    this.deps.bus.publish('emergency.report', report);
    const summary = `Emergency stop finished: ${canceled} order(s) canceled${request.flatten ? `, ${positionsClosed} position(s) closed` : ''}.`;
    if (report.complete) this.note('warning', summary, { reportId: report.id });
    else {
      const list = unconfirmed.map((u) => `${u.kind} ${u.venue} ${u.target}: ${u.reason}`).join('; ');
      this.note('error', `${summary} NOT CONFIRMED: ${list}`, { reportId: report.id });
    }
    return report;
  }

  /** Cancels every open order on every venue; returns how many were confirmed canceled. */
  private async cancelEverything(unconfirmed: Unconfirmed[]): Promise<number> {
    const { orders, venues } = this.deps;
    const before = new Set(orders.openOrders().map((o) => o.id));
    await Promise.all(
      venues.ids().map(async (venue) => {
        // Sent even when Keel sees nothing open there: the venue may hold orders Keel does not know of.
        try {
          await orders.requestCancelAll(venue);
        } catch (error) {
          this.note('warning', `Emergency stop: cancel-all on ${venue} failed (${text(error)}); cancelling order by order.`);
        }
      }),
    );
    // Orders whose submit is still on its way must land (or fail) before they can be cancelled or ruled out.
    await orders.settleInFlight();

    // Whatever is still open gets cancelled one by one, with retries.
    for (const order of orders.openOrders()) {
      const outcome = await this.withRetries(async () => {
        const current = orders.get(order.id);
        if (!current || isTerminalStatus(current.status)) return true;
        if (current.status === 'pending_new') {
          await orders.resolveUnknown(order.id, 'emergency stop');
          const resolved = orders.get(order.id)!;
          if (isTerminalStatus(resolved.status)) return true;
          if (resolved.status === 'pending_new') throw new Error('the venue has not confirmed whether it holds this order');
        }
        const after = await orders.cancel(order.id);
        if (isTerminalStatus(after.status)) return true;
        throw new Error(`the venue left it ${after.status}`);
      });
      if (outcome !== true) {
        // Last word: ask the venue what it holds, rather than assume.
        await orders.resolveUnknown(order.id, 'emergency stop').catch(() => undefined);
        const final = orders.get(order.id);
        if (final && !isTerminalStatus(final.status)) {
          unconfirmed.push({ kind: 'cancel', venue: order.venue, target: order.id, reason: outcome });
        }
      }
    }
    let canceled = 0;
    for (const id of before) if (orders.get(id)?.status === 'canceled') canceled += 1;
    return canceled;
  }

  /** Closes every position with reduce-only market orders; returns how many were closed. */
  private async flattenEverything(unconfirmed: Unconfirmed[]): Promise<number> {
    const { portfolio, venues } = this.deps;
    let closed = 0;
    for (const venue of venues.ids()) {
      if (!portfolio.venues().includes(venue)) continue;
      for (const position of portfolio.ledger(venue).positions()) {
        const symbol = position.symbol;
        const outcome = await this.withRetries(async () => {
          const net = portfolio.ledger(venue).netQuantity(symbol);
          if (net.isZero()) return true;
          const exit = await this.deps.placeOrder(
            { venue, symbol, side: net.isPositive() ? 'sell' : 'buy', type: 'market', quantity: net.abs().toString(), reduceOnly: true },
            { kind: 'emergency', id: 'emergency-stop' },
          );
          // A venue may acknowledge a market order and fill it moments later (an exchange's fill stream, a
          // backtest's next bar): wait for that order to finish rather than sending a second one.
          if (!isTerminalStatus(exit.status)) await this.finished(exit.id);
          if (portfolio.ledger(venue).netQuantity(symbol).isZero()) return true;
          throw new Error(`still ${portfolio.ledger(venue).netQuantity(symbol).abs()} open after the close order`);
        });
        if (outcome === true) closed += 1;
        else unconfirmed.push({ kind: 'close', venue, target: symbol, reason: outcome });
      }
    }
    return closed;
  }

  /**
   * The last word goes to the venues themselves: anything they still report
   * open (an order Keel never placed, a fill Keel missed) is named in the
   * report rather than assumed away. A venue that cannot be asked is named too.
   */
  private async verifyWithVenues(flatten: boolean, unconfirmed: Unconfirmed[]): Promise<void> {
    for (const venue of this.deps.venues.ids()) {
      const port = this.deps.venues.port(venue);
      try {
        for (const report of await port.openOrderReports()) {
          const known = this.deps.orders.getByClientId(report.clientOrderId);
          const target = known?.id ?? report.clientOrderId;
          if (!unconfirmed.some((u) => u.kind === 'cancel' && u.target === target)) {
            unconfirmed.push({ kind: 'cancel', venue, target, reason: `${venue} still reports it ${report.status}${known ? '' : ' (not placed by Keel)'}` });
          }
        }
        if (flatten) {
          for (const position of await port.positionReports()) {
            if (Dec.parse(position.quantity).isZero()) continue;
            if (!unconfirmed.some((u) => u.kind === 'close' && u.target === position.symbol)) {
              unconfirmed.push({ kind: 'close', venue, target: position.symbol, reason: `${venue} still reports a position of ${position.quantity}` });
            }
          }
        }
      } catch (error) {
        unconfirmed.push({ kind: 'cancel', venue, target: '*', reason: `${venue} could not be asked what is still open: ${text(error)}` });
      }
    }
  }

  /** Runs `attempt` until it returns true, with the retry schedule; the last error's text when it never does. */
  /** Resolves when the order reaches a final status, or after the fill wait (whichever is first). */
  private finished(orderId: string): Promise<void> {
    return new Promise((resolve) => {
      let done = false;
      const finish = () => {
        if (done) return;
        done = true;
        unsubscribe();
        timer.cancel();
        resolve();
      };
      const unsubscribe = this.deps.bus.subscribe((topic, payload) => {
        if (topic === 'orders.updated' && (payload as Order).id === orderId && isTerminalStatus((payload as Order).status)) finish();
      });
      const timer = this.deps.clock.after(this.deps.fillWaitMs ?? DEFAULT_FILL_WAIT_MS, finish);
      const now = this.deps.orders.get(orderId);
      if (!now || isTerminalStatus(now.status)) finish();
    });
  }

  private async withRetries(attempt: () => Promise<true>): Promise<true | string> {
    const delays = this.deps.retryDelaysMs ?? DEFAULT_RETRY_DELAYS;
    let last = 'not attempted';
    for (const delay of delays) {
      if (delay > 0) await sleep(this.deps.clock, delay);
      try {
        return await attempt();
      } catch (error) {
        last = text(error);
      }
    }
    return last;
  }
}

function sleep(clock: Clock, ms: number): Promise<void> {
  return new Promise((resolve) => clock.after(ms, resolve));
}

function text(error: unknown): string {
  return errorText(error);
}

