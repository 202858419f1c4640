/**
 * One thin handler per contract method: params arrive validated, the engine
 * does the work, the result is returned as the contract says. No logic here
 * beyond choosing defaults.
 */
import { Dec } from '../../shared/decimal';
import type { MethodName, Methods } from '../../shared/contract';
import { isEventTopic } from '../../shared/contract';
import type { z } from 'zod';
import type { Engine } from '../engine/engine';
import type { OrderSource } from '../engine/orders/orderManager';
import type { Caller } from './contractServer';
import type { PaperAdmin } from './paperAdmin';

export interface HostInfo {
  version: string;
  mode: 'desktop' | 'headless';
  dataDir: string;
  startedAt: number;
}

type Handler<M extends MethodName> = (
  params: z.infer<Methods[M]['params']>,
  caller: Caller,
) => Promise<z.infer<Methods[M]['result']>> | z.infer<Methods[M]['result']>;

/** Orders carry who sent them: a person at the desk, or the automation API under the name its client gave. */
export function sourceOf(caller: Caller): OrderSource {
  return caller.kind === 'api' ? { kind: 'api', ...(caller.name ? { id: caller.name } : {}) } : { kind: 'manual' };
}
export type Handlers = { [M in MethodName]: Handler<M> };

export function createHandlers(engine: Engine, info: HostInfo, paper: PaperAdmin): Handlers {
  return {
    'system.info': () => ({ name: 'Keel', ...info, venues: engine.venueStatuses() }),
    'market.instruments': (p) => engine.instruments(p.venue),
    'market.candles': (p) => engine.candles(p.venue, p.symbol, p.timeframe, p.limit ?? 500),
    'market.ticker': (p) => engine.ticker(p.venue, p.symbol),
    'market.tickers': (p) => engine.tickers(p.venue),
    'market.orderBook': (p) => engine.orderBook(p.venue, p.symbol, p.depth ?? 20),
    'orders.place': (p, caller) => engine.placeOrder(p, sourceOf(caller)),
    'orders.get': (p) => engine.getOrder(p),
    'orders.events': (p) => engine.orderEvents(p.orderId),
    'orders.cancel': (p) => engine.cancelOrder(p.orderId),
    'orders.cancelAll': (p) => engine.cancelAll(p),
    'orders.list': (p) => engine.listOrders(p.status ?? 'open', p.limit ?? 500, p.cursor),
    'fills.list': (p) => engine.listFills(p.limit ?? 500, p.cursor),
    'positions.list': () => engine.positions(),
    'positions.close': (p, caller) => engine.closePosition(p.venue, p.symbol, sourceOf(caller)),
    'positions.closeAll': (p, caller) => engine.closeAllPositions(p.venue, sourceOf(caller)),
    'account.summary': (p) => engine.accountSummary(p.venue),
    'account.reset': (p) => paper.reset(p.venue, p.balance === undefined ? undefined : Dec.parse(p.balance)),
    'account.setLeverage': async (p) => {
      await engine.setLeverage(p.venue, p.symbol, p.leverage);
      return { ok: true as const };
    },
    'activity.list': (p) => engine.listActivity(p.limit ?? 200),
    'risk.status': () => engine.riskStatus(),
    'risk.limits.get': (p) => engine.riskLimits(p.venue),
    'risk.limits.set': (p) => engine.setRiskLimits(p.config),
    'risk.profiles.list': () => [...engine.riskProfiles()],
    'risk.state.set': (p) => engine.setTradingState(p.state, p.reason),
    'emergency.stop': (p) => engine.emergencyStop({ flatten: p.flatten, trigger: p.trigger ?? 'button' }),
    'emergency.rearm': () => engine.rearm(),
    'emergency.reports': (p) => engine.emergencyReports(p.limit ?? 20),
    'settings.get': () => engine.settings(),
    'settings.set': (p) => engine.updateSettings(p.settings),
    'hotkey.status': () => engine.hotkeyStatus(),
    'paper.faults.set': (p) => {
      paper.setFaults(p);
      return { ok: true as const };
    },
    'reconciliation.run': (p) => engine.reconcileVenue(p.venue),
    'reconciliation.latest': (p) => engine.latestReconciliation(p.venue),
    // Subscription itself is the transport's business; the method reports which topics exist.
    'events.subscribe': (p) => ({ topics: p.topics.filter(isEventTopic) }),
  };
}
