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
import type { BacktestResult, BacktestSummary, OptimizeParams, RunBacktestParams } from '../../shared/contract/backtests';
import type { StrategyCatalogEntry } from '../../shared/contract/strategies';
import type { DatasetLibrary } from '../backtest/datasets/datasetLibrary';
import type { ResultReading } from '../backtest/resultBlob';
import type { StrategyRuntime } from '../engine/strategies/runtime';
import type { VenueManager } from './venueManager';
import type { ModelRegistry } from '../ml/registry/modelRegistry';
import type { TrainingService } from '../ml/training/trainingService';
import type { SignalBook } from '../ml/signals/signalBook';
import type { ModelMonitoring } from '../ml/monitor/modelMonitoring';
import type { AnalyticsService } from '../analytics/analyticsService';
import type { PriceAlertBook } from '../engine/alerts/priceAlertBook';
import type { Alerts } from '../alerts/installAlerts';
import type { SystemMonitor } from '../monitor/systemMonitor';
import type { PipelineService } from '../pipeline/pipelineService';
import type { Discovery } from '../pipeline/discovery';
import { RegimeTracker } from '../ml/regime/regimeTracker';
import { barOf } from '../engine/strategies/barFeed';
import { TIMEFRAME_MS } from '../../shared/domain';
import type { ParityParams, ParityReport } from '../../shared/contract/parity';

/** Backtests and searches, run off the main thread; results kept in the journal. */
export interface BacktestsPort {
  run(params: RunBacktestParams): { id: string };
  optimize(params: OptimizeParams): { id: string };
  cancel(id: string): void | Promise<void>;
  delete(id: string): void | Promise<void>;
  /** `equityPoints`: at most this many equity points, a long curve thinned to a chart's worth. */
  get(id: string, reading?: ResultReading): BacktestResult;
  list(): BacktestSummary[];
}

/** The strategy side of the host: catalog, instances, datasets and backtests. */
export interface StrategyServices {
  catalog: { entries(): StrategyCatalogEntry[]; reload(): Promise<void> };
  strategies: StrategyRuntime;
  datasets: DatasetLibrary;
  backtests: BacktestsPort;
  /** Settings → Exchanges: real venues and their keys. */
  venues: VenueManager;
  /** The model registry and training jobs. */
  models: ModelRegistry;
  training: TrainingService;
  /** What models said about closed bars for running strategies, and what came of it. */
  signals: SignalBook;
  /** How models do live (drift), retraining and its schedules. */
  monitoring: ModelMonitoring;
  /** Performance analytics, the trade journal and exports. */
  analytics: AnalyticsService;
  /** Price alerts the engine watches. */
  alerts: PriceAlertBook;
  /** Parity reports: an instance's live period against its replay. */
  parity: { report(params: ParityParams): Promise<ParityReport> };
  /** The alert centre: alerts raised, their channels, email and the daily report. */
  alertCenter: Alerts;
  /** The system monitor. */
  monitor: SystemMonitor;
  /** The strategy pipeline: the board, its gates, and discovery. */
  pipeline: { board: PipelineService; discovery: Discovery };
}

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

export function createHandlers(engine: Engine, info: HostInfo, paper: PaperAdmin, services: StrategyServices): Handlers {
  const { strategies, backtests } = services;
  const modelsChanged = () => engine.bus.publish('models.updated', { models: services.models.list() });
  const regimes = new RegimeTracker();
  return {
    'system.info': () => ({ name: 'Keel', ...info, venues: engine.venueStatuses() }),
    'system.metrics': () => services.monitor.metrics(),
    'system.health': () => services.monitor.health(engine.venueStatuses()),
    'market.instruments': (p) => engine.instruments(p.venue),
    'market.candles': (p) => engine.candles(p.venue, p.symbol, p.timeframe, p.limit ?? 500),
    'market.ticker': (p) => engine.ticker(p.venue, p.symbol),
    'market.tickers': (p) => engine.tickers(p.venue),
    'market.orderBook': (p) => engine.orderBook(p.venue, p.symbol, p.depth ?? 20),
    'market.trades': (p) => engine.trades(p.venue, p.symbol, p.limit ?? 100),
    'orders.place': (p, caller) => engine.placeOrder(p, sourceOf(caller)),
    'orders.get': (p) => engine.getOrder(p),
    'orders.events': (p) => engine.orderEvents(p.orderId),
    'orders.cancel': (p) => engine.cancelOrder(p.orderId),
    'orders.amend': (p, caller) => engine.amendOrder(p, sourceOf(caller)),
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
    'account.setMarginMode': async (p) => {
      await engine.setMarginMode(p.venue, p.symbol, p.mode);
      return { ok: true as const };
    },
    'account.ledgerEntries': (p) => ({ entries: engine.ledgerEntries(p.venue, p.limit ?? 500) }),
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
    'reconciliation.resolve': (p) => engine.resolveReconciliation(p.venue, p.itemId, p.action, p.note ?? null),
    'reconciliation.audit': (p) => ({ entries: engine.reconciliationAudit(p.venue, p.limit ?? 200) }),
    // Subscription itself is the transport's business; the method reports which topics exist.
    'events.subscribe': (p) => ({ topics: p.topics.filter(isEventTopic) }),
    'strategies.catalog': async (p) => {
      if (p.reload) await services.catalog.reload();
      return { entries: services.catalog.entries() };
    },
    'strategies.list': () => ({ strategies: strategies.list() }),
    'strategies.create': (p) => strategies.create(p),
    'strategies.update': (p) => strategies.update(p),
    'strategies.start': (p) => strategies.start(p.id),
    'strategies.pause': (p) => strategies.pause(p.id),
    'strategies.resume': (p) => strategies.resume(p.id),
    'strategies.stop': (p) => strategies.stop(p.id, p.flatten ?? false),
    'strategies.delete': (p) => {
      strategies.delete(p.id);
      return { ok: true as const };
    },
    'strategies.parity': (p) => services.parity.report(p),
    'datasets.import': (p) => services.datasets.import(p),
    'datasets.list': () => ({ datasets: services.datasets.list() }),
    'datasets.delete': (p) => {
      services.datasets.delete(p.id);
      return { ok: true as const };
    },
    'backtests.run': (p) => backtests.run(p),
    'backtests.get': (p) => backtests.get(p.id, p.equityPoints === undefined ? {} : { equityPoints: p.equityPoints }),
    'backtests.list': () => ({ backtests: backtests.list() }),
    'backtests.cancel': async (p) => {
      await backtests.cancel(p.id);
      return { ok: true as const };
    },
    'backtests.delete': async (p) => {
      await backtests.delete(p.id);
      return { ok: true as const };
    },
    'backtests.optimize': (p) => backtests.optimize(p),
    'datasets.uploadPart': (p) => services.datasets.uploadPart(p),
    'datasets.uploadFinish': (p) => services.datasets.finishUpload(p.uploadId),
    'datasets.bars': (p) => services.datasets.bars(p),
    'venues.list': () => ({ venues: services.venues.list() }),
    'venues.add': (p) => services.venues.add(p),
    'venues.remove': async (p) => {
      await services.venues.remove(p.venue);
      return { ok: true as const };
    },
    'venues.setMode': (p) => services.venues.setMode(p.venue, p.mode, p.confirm),
    'venues.test': (p) => services.venues.test(p.venue),
    'credentials.set': (p) => services.venues.setCredentials(p),
    'credentials.status': (p) => services.venues.credentialStatus(p.venue),
    'credentials.delete': (p) => services.venues.deleteCredentials(p.venue),
    'models.list': () => ({ models: services.models.list() }),
    'models.get': (p) => services.models.get(p.id),
    'models.train': (p) => services.training.train(p),
    'models.activate': (p) => {
      const active = services.models.activate(p.id);
      modelsChanged();
      return active;
    },
    'models.delete': (p) => {
      services.models.delete(p.id);
      modelsChanged();
      return { ok: true as const };
    },
    'models.retire': (p) => {
      const retired = services.models.retire(p.id);
      modelsChanged();
      return retired;
    },
    'models.import': async (p) => {
      const imported = await services.training.importOnnx(p);
      modelsChanged();
      return imported;
    },
    'models.predictBatch': (p) => services.training.predictBatch(p.id, p.csv),
    'models.importance': (p) => services.training.importance(p),
    'jobs.list': () => ({ jobs: services.training.list() }),
    'jobs.cancel': (p) => {
      services.training.cancel(p.id);
      return { ok: true as const };
    },
    'regime.current': (p) =>
      regimes.current(
        { venue: p.venue, symbol: p.symbol, timeframe: p.timeframe, closedBefore: engine.clock.now() - TIMEFRAME_MS[p.timeframe], historyLength: p.history ?? 200 },
        async (limit) => (await engine.candles(p.venue, p.symbol, p.timeframe, limit)).map(barOf),
      ),
    'signals.list': (p) => ({ signals: services.signals.list(p) }),
    'models.drift': (p) => services.monitoring.view(p.id),
    'models.retrain': (p) => services.monitoring.retrain(p.id),
    'models.setSchedule': (p) => services.monitoring.setSchedule(p.name, p.everyHours),
    'analytics.summary': (p) => services.analytics.summary(p),
    'analytics.equity': (p) => services.analytics.equity(p),
    'journal.trades': (p) => services.analytics.trades(p.filters),
    'journal.annotate': (p) => services.analytics.annotate(p),
    'export.csv': (p) => services.analytics.exportCsv(p),
    'export.report': (p) => services.analytics.report(p),
    'alerts.price.list': (p) => ({ alerts: services.alerts.list(p) }),
    'alerts.price.add': (p) => services.alerts.add(p),
    'alerts.price.remove': (p) => {
      services.alerts.remove(p.id);
      return { ok: true as const };
    },
    'alerts.list': (p) => services.alertCenter.center.list(p),
    'alerts.markRead': (p) => services.alertCenter.center.markRead(p.upTo),
    'alerts.settings.get': () => services.alertCenter.view(),
    'alerts.settings.set': async (p) => {
      await services.alertCenter.center.update(p);
      return services.alertCenter.view();
    },
    'email.test': (p) => services.alertCenter.center.test(p.to),
    'pipeline.list': () => services.pipeline.board.list(),
    'pipeline.promote': (p) => services.pipeline.board.promote(p),
    'pipeline.demote': (p) => services.pipeline.board.demote(p.cardId, p.reason),
    'pipeline.gates.get': () => services.pipeline.board.gates(),
    'pipeline.gates.set': (p) => services.pipeline.board.setGates(p.settings),
    'pipeline.discover': (p) => services.pipeline.discovery.discover(p.spec),
    'pipeline.schedules.list': () => services.pipeline.board.schedules(),
    'pipeline.schedules.remove': (p) => {
      services.pipeline.discovery.removeSchedule(p.scheduleId);
      return services.pipeline.board.schedules();
    },
  };
}
