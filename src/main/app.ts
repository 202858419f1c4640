/**
 * The composition root shared by the desktop app and the headless host:
 * journal, venues, engine and the contract server, built once and wired
 * together here and nowhere else.
 */
import { join } from 'node:path';
import { LiveClock, type Clock } from './engine/ports/clock';
import { LIVE_CADENCES, type Engine } from './engine/engine';
import { composeKernel } from './engine/kernel';
import { RandomIdGenerator } from './engine/ports/ids';
import { consoleLogger } from './engine/ports/logger';
import { createHandlers } from './host/handlers';
import { PaperAdmin } from './host/paperAdmin';
import { Dispatcher } from './host/dispatcher';
import type { ContractServer } from './host/contractServer';
import { WalCheckpointer } from './journal/checkpointer';
import { JOURNAL_FILE, openJournalDatabase } from './journal/database';
import { SqliteJournal } from './journal/sqliteJournal';
import { describeJournalFailure, isJournalFailure } from './journal/journalFailure';
import { PaperVenueRepository } from './journal/paperVenueRepository';
import { PaperVenue } from './venues/paper/paperVenue';
import { startEventLoopDelayProbe } from './eventLoopDelay';
import { BUILTIN_STRATEGIES } from './engine/strategies/catalog';
import { CandlePollingBarFeed } from './engine/strategies/barFeed';
import { StrategyRuntime } from './engine/strategies/runtime';
import { StrategyCatalog } from './engine/strategies/strategyCatalog';
import { DatasetLibrary } from './backtest/datasets/datasetLibrary';
import { SqliteResearchStore } from './journal/sqliteResearchStore';
import { BacktestService, startBacktestPool } from './backtest/service/backtestService';
import { barOf } from './engine/strategies/barFeed';
import { randomBytes } from 'node:crypto';
import type { SecretStore } from './engine/ports/secretStore';
import { KeytarSecretStore } from './secrets/keytarSecretStore';
import { createRedactor } from './secrets/redact';
import { VenueConfigRepository } from './journal/venueConfigRepository';
import { VenueManager } from './host/venueManager';
import type { ExchangeId } from './venues/ccxt/exchanges';
import type { CcxtVenueTimings } from './venues/ccxt/ccxtVenue';
import { SqliteModelStore } from './journal/sqliteModelStore';
import { ModelRegistry } from './ml/registry/modelRegistry';
import { createLiveModelScoring, startScoringPool } from './ml/scoring/liveScoring';
import { resolveModel } from './ml/scoring/modelVersions';
import { TrainingService } from './ml/training/trainingService';
import { SignalBook } from './ml/signals/signalBook';
import { SqliteSignalStore } from './journal/sqliteSignalStore';
import { createModelMonitoring } from './ml/monitor/modelMonitoring';
import { SqliteMonitorStore } from './journal/sqliteMonitorStore';
import type { ScoringObserver } from './ml/scoring/scoringObserver';
import { SqliteTrainingJobStore } from './journal/sqliteTrainingJobStore';
import { installPriceAlerts } from './engine/alerts/installPriceAlerts';
import { SqlitePriceAlertStore } from './journal/sqlitePriceAlertStore';
import type { MlWorkerMethods } from './ml/worker/mlWorker';
import { WorkerPool } from './workers/pool';
import { locateWorker } from './workers/locate';
import { AnalyticsService } from './analytics/analyticsService';
import { SqliteTradeJournal } from './journal/sqliteTradeJournal';
import { Dec } from '../shared/decimal';
import { ParityService } from './parity/parityService';
import { engineParitySources } from './parity/engineParitySources';
import { installAlerts, type InstallAlertsOptions } from './alerts/installAlerts';
import type { AlertService } from './alerts/alertCenter';
import { SqliteAlertStore } from './journal/sqliteAlertStore';
import { describeThrown } from '../shared/errors';
import type { MonitorThresholds } from '../shared/contract/monitor';
import { DurationWindow } from './monitor/durationWindow';
import { PoolWatch } from './monitor/poolWatch';
import { startMainThreadProbe } from './monitor/mainThreadProbe';
import { journalFileSizes } from './monitor/journalFiles';
import { SystemMonitor, type ProcessReading } from './monitor/systemMonitor';
import { installPipeline } from './pipeline/installPipeline';
import type { ParityPort } from './pipeline/pipelineService';
import { SqlitePipelineStore } from './journal/sqlitePipelineStore';
import { findModelVersion } from './ml/scoring/modelVersions';

/** A tracking error in basis points as a fraction (50 bps → 0.005). */
function bpsToFraction(bps: number | null): number | null {
  return bps === null ? null : bps / 10_000;
}

export const KEEL_VERSION = '0.1.0';
/** Most funding entries analytics reads from the ledger (years of settlements on every perpetual). */
const FUNDING_ENTRIES_READ = 200_000;
/** Most bars of a venue's history a backtest asks for. */
const VENUE_HISTORY_BARS = 100_000;

export interface KeelOptions {
  dataDir: string;
  mode: 'desktop' | 'headless';
  /** Seed of the simulated market; the same seed gives the same market. */
  seed?: number;
  /** Emergency stops the desktop shell tells by a notice of its own (by trigger): their alert shows no second desktop notice. */
  emergencyShownByShell?: (trigger: string) => boolean;
  clock?: Clock;
  /** Validate every result against the contract (tests). */
  checkResults?: boolean;
  /** Where API keys are kept. Default: the OS keychain through keytar. */
  secrets?: SecretStore;
  /** Loopback servers standing in for exchanges (`--venue-url`); only loopback URLs are accepted. */
  venueUrls?: Partial<Record<ExchangeId, string>>;
  /** Real venues' request timeouts and polling (tests shorten them). */
  venueTimings?: Partial<CcxtVenueTimings>;
  /** Email timeouts, backoff and TLS trust (tests point Keel at a local mail server). */
  email?: InstallAlertsOptions['email'];
  /** Electron's renderer, GPU and helper processes (the desktop shell reads them); absent in headless. */
  processMetrics?: () => ProcessReading[];
  /** The system monitor's sampling interval and alert thresholds (defaults in docs/monitor.md). */
  monitor?: { intervalMs?: number; thresholds?: Partial<MonitorThresholds> };
  /** Stands in for the parity report's tracking error, which the pipeline's Live gate reads (tests). */
  parity?: ParityPort;
}

export interface Keel {
  engine: Engine;
  server: ContractServer;
  /** Where model-driven strategies record their signals (their SignalSink); kept in the journal, served as `signals.*`. */
  signals: SignalBook;
  /** Where the live scorer reports each closed bar it scored: the model monitor. */
  modelMonitor: ScoringObserver;
  /** Parity reports and the tracking error the pipeline reads (`parity.trackingError(instanceId)`). */
  parity: ParityService;
  /** Where any part of Keel raises an alert (AlertSink), and how email delivery is faring (for the system monitor). */
  alerts: AlertService;
  /** The system monitor: served as `system.metrics`, and by the headless host at /metrics. */
  monitor: SystemMonitor;
  /**
   * Where errors nobody caught end up (the process guard, a handler's
   * unexpected failure): logged, and when the journal itself is failing,
   * trading fails closed. Nothing else may stop the engine.
   */
  onUnexpectedError(error: unknown): void;
  shutdown(): Promise<void>;
}

export async function createKeel(options: KeelOptions): Promise<Keel> {
  const clock = options.clock ?? new LiveClock();
  const file = join(options.dataDir, JOURNAL_FILE);
  const db = openJournalDatabase(file, { externalCheckpoints: true });
  const checkpointer = await WalCheckpointer.start(file);
  // Each journal transaction's time on the main thread, for the system monitor.
  const journalWrites = new DurationWindow();
  const journal = new SqliteJournal(db, { onWrite: (ms) => journalWrites.record(ms) });
  // The worker pools start on first use inside their services; the monitor finds them here.
  const pools = new PoolWatch(['backtest', 'training', 'scoring']);
  const paper = new PaperVenue({
    clock,
    seed: options.seed ?? 42,
    store: new PaperVenueRepository(db, 'paper'),
  });
  const loopDelay = startEventLoopDelayProbe();
  const engine = composeKernel({
    clock,
    journal,
    ids: new RandomIdGenerator(clock),
    venues: [paper],
    cadences: LIVE_CADENCES,
    logger: consoleLogger,
    eventLoopDelayMs: () => loopDelay.readMs(),
  });
  await engine.start();
  const newId = (prefix: string) => (): string => `${prefix}-${clock.now().toString(36)}${randomBytes(4).toString('hex')}`;
  // Built before the strategies, which record their models' signals into it.
  const signals = new SignalBook({
    store: new SqliteSignalStore(db),
    publish: (topic, payload) => engine.bus.publish(topic, payload),
    now: () => clock.now(),
    newId: newId('sig'),
  });
  // Watched on every ticker from here on, with or without a window open.
  const alerts = installPriceAlerts(engine, { store: new SqlitePriceAlertStore(db), newId: newId('al'), log: consoleLogger });
  const catalog = new StrategyCatalog(BUILTIN_STRATEGIES, join(options.dataDir, 'strategies'));
  await catalog.reload();
  const feed = new CandlePollingBarFeed((venue, symbol, timeframe, limit) => engine.candles(venue, symbol, timeframe, limit), clock, consoleLogger);
  const models = new ModelRegistry(new SqliteModelStore(db), () => clock.now(), newId('m'));
  const research = new SqliteResearchStore(db);
  research.markUnfinishedAsFailed('Keel stopped before the run finished');
  const datasets = new DatasetLibrary(research, () => clock.now(), newId('d'));
  const backtests = new BacktestService({
    store: research,
    publish: (topic, payload) => engine.bus.publish(topic, payload),
    now: () => clock.now(),
    ids: newId('bt'),
    strategies: catalog,
    userStrategiesDir: join(options.dataDir, 'strategies'),
    models: { resolve: (ref) => resolveModel(models, ref) },
    // A venue's stored history: the candles it keeps, within the range asked.
    venueBars: async (venue, symbol, timeframe, from, to) =>
      (await engine.candles(venue, symbol, timeframe, VENUE_HISTORY_BARS))
        .filter((c) => (from === undefined || c.time >= from) && (to === undefined || c.time < to))
        .map(barOf),
    logger: consoleLogger,
    pool: () => pools.track('backtest', startBacktestPool()),
  });
  const secrets = options.secrets ?? new KeytarSecretStore();
  const redactor = createRedactor();
  const venues = new VenueManager({
    engine,
    configs: new VenueConfigRepository(db),
    secrets,
    redactor,
    clock,
    logger: consoleLogger,
    ...(options.venueUrls ? { overrides: options.venueUrls } : {}),
    ...(options.venueTimings ? { timings: options.venueTimings } : {}),
    publish: (list) => engine.bus.publish('venues.updated', { venues: list }),
  });
  // Real venues come up in the background, each ready or blocked with its reason; the paper venue does not wait for them.
  const venuesStarted = venues.startAll().catch((error: unknown) => consoleLogger.error('[venues] starting the configured venues failed', error));
  const training = new TrainingService({
    registry: models,
    // One worker: a training run uses a core, and the engine keeps the other.
    pool: () => pools.track('training', WorkerPool.start<MlWorkerMethods>(locateWorker('mlWorker'), { name: 'ml', size: 1 })),
    loadBars: (data) => backtests.loadBars(data),
    jobs: new SqliteTrainingJobStore(db),
    publish: (topic, payload) => engine.bus.publish(topic, payload),
    onModelsChanged: () => engine.bus.publish('models.updated', { models: models.list() }),
    now: () => clock.now(),
    newId: newId('job'),
    log: consoleLogger,
  });
  const monitoring = createModelMonitoring({
    store: new SqliteMonitorStore(db),
    registry: models,
    training,
    clock,
    publish: (view) => engine.bus.publish('models.drift', view),
    log: consoleLogger,
  });
  // Scored in an ML worker pool of its own: a training never delays a decision. Each scored bar goes to the monitor.
  const scoring = createLiveModelScoring({
    registry: models,
    sink: signals,
    observer: monitoring.monitor,
    now: () => clock.now(),
    log: consoleLogger,
    pool: () => pools.track('scoring', startScoringPool({ log: consoleLogger })),
  });
  const strategies = new StrategyRuntime({ engine, journal, catalog, feed, newId: newId('s'), models: scoring });
  strategies.load();
  // Parity reports replay in the backtest workers; the pipeline reads `parity.trackingError`.
  const parity = new ParityService({ sources: engineParitySources(engine, strategies, catalog), replay: (job) => backtests.replay(job) });
  const analytics = new AnalyticsService({
    store: new SqliteTradeJournal(db),
    account: {
      venues: () => engine.portfolio.venues(),
      balance: (venue) => {
        // A venue that is running has its ledger in memory; one that is gone (or not started) its last saved books.
        if (engine.portfolio.venues().includes(venue)) {
          const ledger = engine.portfolio.ledger(venue);
          return { currency: ledger.currency, balance: ledger.balance };
        }
        const saved = journal.loadLedger(venue);
        return saved ? { currency: saved.currency, balance: Dec.parse(saved.balance) } : undefined;
      },
      currentMark: (venue, symbol) => {
        if (!engine.portfolio.venues().includes(venue)) return null;
        const mark = engine.portfolio.mark(venue, symbol);
        return mark.isPositive() ? mark : null;
      },
      candles: async (venue, symbol, timeframe, limit) => (await engine.candles(venue, symbol, timeframe, limit)).map(barOf),
    },
    // Funding booked in the ledger (three settlements a day per open perpetual: a small table).
    funding: {
      payments: () =>
        journal
          .listLedgerEntries({ limit: FUNDING_ENTRIES_READ })
          .filter((entry) => entry.kind === 'funding')
          .map((entry) => ({ venue: entry.venue, symbol: entry.symbol, time: entry.timestamp, amount: Dec.parse(entry.amount) })),
    },
    // The model version behind the signal that caused an order.
    signals: {
      modelOf: (orderId) => {
        const signal = signals.list({ orderId, limit: 1 })[0];
        return signal ? { modelId: signal.modelId, modelName: signal.modelName, modelVersion: signal.modelVersion } : null;
      },
    },
    now: () => clock.now(),
    log: consoleLogger,
  });
  const alertCenter = installAlerts(engine, {
    store: new SqliteAlertStore(db),
    secrets,
    log: consoleLogger,
    analytics,
    strategyNames: () => new Map(strategies.list().map((s) => [s.id, s.name])),
    redact: (text) => redactor.redact(text),
    ...(options.email ? { email: options.email } : {}),
    ...(options.emergencyShownByShell ? { emergencyShownByShell: options.emergencyShownByShell } : {}),
  });
  const mainThread = startMainThreadProbe();
  const monitor = new SystemMonitor({
    clock,
    mainThread,
    pools,
    journal: { sizes: () => journalFileSizes(file), writes: () => journalWrites.drain() },
    venues: () =>
      engine.venues.ids().map((id) => {
        const port = engine.venues.port(id);
        return { status: engine.venues.status(id), stats: port.stats ? port.stats() : null };
      }),
    backtests: () => backtests.list(),
    training: () => training.list(),
    ...(options.processMetrics ? { otherProcesses: options.processMetrics } : {}),
    // Threshold crossings are raised in the alert centre; email's health is the centre's queue.
    emailDelivery: () => alertCenter.center.delivery.status(),
    alerts: alertCenter.center,
    ...(options.monitor?.intervalMs === undefined ? {} : { intervalMs: options.monitor.intervalMs }),
    ...(options.monitor?.thresholds ? { thresholds: options.monitor.thresholds } : {}),
    publish: (sample) => engine.bus.publish('system.metrics', sample),
    log: consoleLogger,
  });
  monitor.start();
  // The strategy pipeline; its Live gate reads the tracking error from the parity report (tests may stand in for it).
  const pipeline = installPipeline({
    engine,
    store: new SqlitePipelineStore(db),
    instances: strategies,
    catalog,
    backtests,
    drawdownPct: async (strategyId, since) => (await analytics.summary({ scope: { kind: 'strategy', strategyId }, from: since })).figures.maxDrawdownPct,
    datasetName: (id) => research.getDataset(id)?.name,
    models: {
      pin: (ref) => {
        const record = findModelVersion(models.list(), ref);
        return { id: record.id, name: record.name, version: record.version };
      },
    },
    // The parity report measures in basis points; the gates take a fraction of a trade's return.
    parity: options.parity ?? { trackingError: async (instanceId) => bpsToFraction(await parity.trackingError(instanceId)) },
    publish: (topic, payload) => engine.bus.publish(topic, payload),
    clock,
    newId: (prefix) => newId(prefix)(),
    log: consoleLogger,
  });
  const onUnexpectedError = (error: unknown): void => {
    if (isJournalFailure(error)) engine.failClosed(describeJournalFailure(error));
    alertCenter.center.raise({ kind: 'crash', severity: 'critical', title: 'Keel caught an unexpected error', body: `${describeThrown(error).slice(0, 1_000)} Trading continues${isJournalFailure(error) ? ' closed: the journal is failing' : ''}; the log has the details.` });
  };
  const server = new Dispatcher(
    createHandlers(
      engine,
      { version: KEEL_VERSION, mode: options.mode, dataDir: options.dataDir, startedAt: clock.now() },
      new PaperAdmin(engine, [paper]),
      { catalog, strategies, datasets, backtests, venues, models, training, signals, monitoring, analytics, alerts: alerts.book, parity, alertCenter, monitor, pipeline },
    ),
    engine.bus,
    {
      checkResults: options.checkResults ?? false,
      commands: engine.commands,
      log: (message, error) => {
        console.error(message, error);
        onUnexpectedError(error);
      },
    },
  );
  let closed = false;
  return {
    engine,
    server,
    signals,
    modelMonitor: monitoring.monitor,
    parity,
    alerts: alertCenter.center,
    monitor,
    onUnexpectedError,
    shutdown: async () => {
      if (closed) return;
      closed = true;
      await server.drain();
      monitor.stop();
      mainThread.stop();
      await venuesStarted;
      await pipeline.dispose();
      await strategies.dispose();
      await scoring.close();
      monitoring.stop();
      await training.stop();
      await backtests.stop();
      feed.stop();
      alerts.dispose();
      alertCenter.dispose();
      await engine.stop();
      loopDelay.stop();
      await checkpointer.stop();
      db.pragma('wal_checkpoint(TRUNCATE)');
      db.close();
    },
  };
}
