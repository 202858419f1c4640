/**
 * The contract: the one typed list of methods and events through which the
 * renderer (over Electron IPC or the headless WebSocket) talks to the engine.
 * Every method has a zod schema for its params and its result; the host
 * validates params on every call because the renderer is untrusted.
 *
 * `kind: 'command'` methods change engine state and run one at a time;
 * `kind: 'query'` methods may run concurrently.
 *
 * Each domain declares its methods and events in its own file; this file
 * composes them, one line per fragment. The order of the lines is the order
 * of `Object.keys(methods)` and `Object.keys(events)`, which seeded tests
 * rely on: add a new domain's line at the end, a new method at the end of its
 * domain. A name declared by two fragments fails contract/index.test.ts.
 */
import type { z } from 'zod';
import { accountEvents, accountMethods } from './account';
import { activityEvents, activityMethods } from './activity';
import { emergencyEvents, emergencyMethods } from './emergency';
import { marketEvents, marketMethods } from './market';
import { orderEvents, orderMethods } from './orders';
import { paperMethods } from './paper';
import { reconciliationEvents, reconciliationMethods } from './reconciliation';
import { riskEvents, riskMethods } from './risk';
import { settingsEvents, settingsMethods } from './settings';
import { subscriptionMethods } from './subscription';
import { systemEvents, systemMethods } from './system';
import { strategyEvents, strategyMethods } from './strategies';
import { backtestEvents, backtestMethods } from './backtests';
import { credentialMethods, venueEvents, venueMethods } from './venues';
import { mlEvents, mlMethods } from './ml';
import { signalEvents, signalMethods } from './signals';
import { modelMonitorEvents, modelMonitorMethods } from './modelMonitor';
import { analyticsMethods } from './analytics';
import { alertEvents, alertMethods } from './alerts';
import { parityMethods } from './parity';
import { alertCenterEvents, alertCenterMethods } from './alertCenter';
import { pipelineEvents, pipelineMethods } from './pipeline';

export { cursorSchema, MAX_PAGE_ROWS, type MethodKind } from './common';
export { candleEventSchema, MAX_RECENT_TRADES, marketTradeSchema, type MarketTradeView } from './market';
export { marginAlertSchema, type MarginAlert } from './account';
export { amendOrderParams, clientOrderIdSchema, orderIdSchema, placeOrderParams, type AmendOrderParams, type PlaceOrderParams } from './orders';
export { MAX_SUBSCRIBE_TOPICS } from './subscription';
export * from './reconciliation';
export * from './strategies';
export * from './backtests';
export * from './venues';
export * from './ml';
export * from './signals';
export * from './modelMonitor';
export * from './analytics';
export * from './alerts';
export * from './parity';
export * from './alertCenter';
export * from './monitor';
export * from './pipeline';
export { IPC_EVENT_CHANNEL, IPC_INVOKE_CHANNEL, type InvokeOutcome, type KeelBridge } from './transport';

export const methods = {
  ...systemMethods,
  ...marketMethods,
  ...orderMethods,
  ...accountMethods,
  ...activityMethods,
  ...riskMethods,
  ...emergencyMethods,
  ...settingsMethods,
  ...paperMethods,
  ...subscriptionMethods,
  ...reconciliationMethods,
  ...strategyMethods,
  ...backtestMethods,
  ...venueMethods,
  ...credentialMethods,
  ...mlMethods,
  ...signalMethods,
  ...modelMonitorMethods,
  ...analyticsMethods,
  ...alertMethods,
  ...parityMethods,
  ...alertCenterMethods,
  ...pipelineMethods,
} as const;

export type Methods = typeof methods;
export type MethodName = keyof Methods;
export type MethodParams<M extends MethodName> = z.input<Methods[M]['params']>;
export type MethodResult<M extends MethodName> = z.infer<Methods[M]['result']>;

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(methods, name);
}

export const events = {
  ...marketEvents,
  ...orderEvents,
  ...accountEvents,
  ...activityEvents,
  ...systemEvents,
  ...riskEvents,
  ...emergencyEvents,
  ...settingsEvents,
  ...reconciliationEvents,
  ...strategyEvents,
  ...backtestEvents,
  ...venueEvents,
  ...mlEvents,
  ...signalEvents,
  ...modelMonitorEvents,
  ...alertEvents,
  ...alertCenterEvents,
  ...pipelineEvents,
} as const;

export type Events = typeof events;
export type EventTopic = keyof Events;
export type EventPayload<T extends EventTopic> = z.infer<Events[T]>;

export function isEventTopic(name: string): name is EventTopic {
  return Object.prototype.hasOwnProperty.call(events, name);
}

/**
 * State topics whose latest value per key supersedes earlier ones. The host
 * may coalesce these (latest per key per frame); every other topic is
 * delivered in full and in order.
 */
export const coalescedTopics: Partial<{ [T in EventTopic]: (payload: EventPayload<T>) => string }> = {
  'market.tick': (t) => `${t.venue}|${t.symbol}`,
  'market.candle': (c) => `${c.venue}|${c.symbol}|${c.candle.time}`,
  'positions.updated': (p) => p.venue,
  'account.updated': (a) => a.venue,
  'system.health': () => 'health',
  'system.metrics': () => 'metrics',
  'risk.usage': (u) => u.venue,
  'backtests.progress': (p) => p.id,
  'jobs.progress': (j) => j.id,
  'models.drift': (d) => d.modelId,
  'pipeline.updated': () => 'board',
  'pipeline.discovery': (p) => p.jobId,
};
