/**
 * The one renderer store, composed from typed slices (one file per domain).
 * Middleware lives here only. Events reach the store through `applyEvents`,
 * which the sync layer calls at most once per animation frame with everything
 * that arrived since the previous frame: one `set`, however busy the market.
 */
import { subscribeWithSelector } from 'zustand/middleware';
import { createStore, type StateCreator } from 'zustand/vanilla';
import type { BacktestSummary, EventPayload, JobView, ReconciliationReport, Signal, StrategyInstance } from '../../shared/contract';
import type { Activity, Fill, Order, Ticker } from '../../shared/domain';
import type { OrderDenied, RiskUsage } from '../../shared/risk';
import type { KeelEvent } from '../api/client';
import { applyAccount, createAccountSlice, type AccountSlice } from './account';
import { createAnalyticsSlice, type AnalyticsSlice } from './analytics';
import { createPipelineSlice, foldDiscovery, type PipelineSlice } from './pipeline';
import { createAlertsSlice, foldPriceAlerts, type AlertsSlice, type PriceAlertEvent } from './alerts';
import { createAlertCenterSlice, type AlertCenterSlice } from './alertCenter';
import { createActivitySlice, mergeActivity, type ActivitySlice } from './activity';
import { applyProgress, createBacktestsSlice, mergeBacktests, type BacktestsSlice } from './backtests';
import { createConnectionSlice, type ConnectionSlice } from './connection';
import { createDeskPrefsSlice, type DeskPrefsSlice } from './deskPrefs';
import { createFillsSlice, mergeFills, type FillsSlice } from './fills';
import { createLayoutSlice, type LayoutSlice } from './layout';
import { applyTickers, createMarketSlice, type MarketSlice } from './market';
import { createModelsSlice, mergeJobs, type ModelsSlice } from './models';
import { createOrdersSlice, mergeOrders, type OrdersSlice } from './orders';
import { createPositionsSlice, replaceVenuePositions, type PositionsSlice } from './positions';
import { createReconciliationSlice, mergeReports, type ReconciliationSlice } from './reconciliation';
import { createRegimeSlice, type RegimeSlice } from './regime';
import { appendDenials, applyRiskState, applyUsage, createRiskSlice, foldReport, type RiskSlice } from './risk';
import { createSettingsSlice, type SettingsSlice } from './settings';
import { createSignalsSlice, foldSignals, SIGNAL_CAPS, type SignalsSlice } from './signals';
import { createStrategiesSlice, mergeStrategies, type StrategiesSlice } from './strategies';
import { createUiSlice, type UiSlice } from './ui';
import { createVenuesSlice, keepCredentialsOf, type VenuesSlice } from './venues';

interface RootSlice {
  /** Applies one frame's worth of events (ticks already coalesced to the latest per instrument). */
  applyEvents(events: readonly KeelEvent[], ticks: readonly Ticker[]): void;
}

export type KeelState = MarketSlice &
  OrdersSlice &
  FillsSlice &
  PositionsSlice &
  AccountSlice &
  ActivitySlice &
  ConnectionSlice &
  RiskSlice &
  SettingsSlice &
  UiSlice &
  StrategiesSlice &
  BacktestsSlice &
  ReconciliationSlice &
  VenuesSlice &
  ModelsSlice &
  RegimeSlice &
  SignalsSlice &
  AnalyticsSlice &
  LayoutSlice &
  DeskPrefsSlice &
  AlertsSlice &
  AlertCenterSlice &
  PipelineSlice &
  RootSlice;

type Mutators = [['zustand/subscribeWithSelector', never]];
export type SliceCreator<T> = StateCreator<KeelState, Mutators, [], T>;

/** Folds a batch of events into the state changes it implies; pure, so it is tested without a store. */
export function reduceEvents(s: KeelState, events: readonly KeelEvent[], ticks: readonly Ticker[]): Partial<KeelState> {
  const out: Partial<KeelState> = {};
  const orders: Order[] = [];
  const fills: Fill[] = [];
  const activity: Activity[] = [];
  const usage: RiskUsage[] = [];
  const denied: OrderDenied[] = [];
  const strategies: StrategyInstance[] = [];
  const backtests: BacktestSummary[] = [];
  const progress: EventPayload<'backtests.progress'>[] = [];
  const reconciliations: ReconciliationReport[] = [];
  const jobs: JobView[] = [];
  const signals: Signal[] = [];
  const priceAlerts: PriceAlertEvent[] = [];
  let positions = s.positions;
  let accounts = s.accounts;
  let riskState = s.riskState;
  let lastReport = s.lastReport;
  let reportDismissed = s.reportDismissed;
  for (const e of events) {
    switch (e.topic) {
      case 'orders.updated':
        orders.push(e.data);
        break;
      case 'fills.new':
        fills.push(e.data);
        break;
      case 'activity.new':
        activity.push(e.data);
        break;
      case 'positions.updated':
        positions = replaceVenuePositions(positions, e.data.venue, e.data.positions);
        break;
      case 'account.updated':
        accounts = applyAccount(accounts, e.data);
        break;
      case 'system.health':
        out.venues = e.data.venues;
        out.eventLoopLagMs = e.data.eventLoopLagMs;
        break;
      case 'risk.state':
        riskState = applyRiskState(riskState, e.data);
        break;
      case 'risk.usage':
        usage.push(e.data);
        break;
      case 'orders.denied':
        denied.push(e.data);
        break;
      case 'emergency.report':
        // The stop may come from the OS hotkey, the tray or another window: show what it did.
        ({ lastReport, reportDismissed } = foldReport({ lastReport, reportDismissed }, e.data, false));
        break;
      case 'hotkey.status':
        out.hotkey = e.data;
        break;
      case 'settings.updated':
        out.settings = e.data;
        break;
      case 'strategies.updated':
        strategies.push(e.data);
        break;
      case 'backtests.updated':
        backtests.push(e.data);
        break;
      case 'backtests.progress':
        progress.push(e.data);
        break;
      case 'reconciliation.updated':
        reconciliations.push(e.data);
        break;
      case 'jobs.progress':
        jobs.push(e.data);
        break;
      case 'signals.new':
      case 'signals.updated':
        // In arrival order: an update lands on the signal its `new` inserted.
        signals.push(e.data);
        break;
      case 'alerts.price.updated':
      case 'alerts.price.triggered':
      case 'alerts.price.removed':
        priceAlerts.push(e);
        break;
      case 'models.updated':
        // Another window's activate, retire or delete (or a finished job) reaches this one too.
        out.models = e.data.models;
        break;
      case 'venues.updated':
        out.venueList = e.data.venues;
        out.venues = e.data.venues.map((v) => v.status);
        out.credentials = keepCredentialsOf(out.credentials ?? s.credentials, e.data.venues);
        break;
      case 'pipeline.updated':
        // The whole board: later updates in the frame supersede earlier ones.
        out.pipeline = e.data;
        break;
      case 'pipeline.discovery':
        out.pipeline = foldDiscovery(out.pipeline ?? s.pipeline, e.data);
        break;
      case 'market.tick':
      case 'market.candle':
        // Routed around this reducer: ticks arrive coalesced in `ticks`, candles go to the chart feed.
        break;
    }
  }
  if (orders.length > 0) out.orders = mergeOrders(s.orders, orders);
  if (fills.length > 0) out.fills = mergeFills(s.fills, fills);
  if (activity.length > 0) out.activity = mergeActivity(s.activity, activity);
  if (positions !== s.positions) out.positions = positions;
  if (accounts !== s.accounts) out.accounts = accounts;
  if (riskState !== s.riskState) out.riskState = riskState;
  if (usage.length > 0) {
    const next = applyUsage(s.riskUsage, usage);
    if (next !== s.riskUsage) out.riskUsage = next;
  }
  if (denied.length > 0) Object.assign(out, appendDenials(s.denials, s.denialSeq, denied));
  if (strategies.length > 0) {
    const next = mergeStrategies(s.strategies, strategies);
    if (next !== s.strategies) out.strategies = next;
  }
  if (backtests.length > 0) {
    const next = mergeBacktests(s.backtests, backtests);
    if (next !== s.backtests) out.backtests = next;
  }
  if (progress.length > 0) {
    const next = applyProgress(s.backtestProgress, progress);
    if (next !== s.backtestProgress) out.backtestProgress = next;
  }
  if (reconciliations.length > 0) {
    const next = mergeReports(s.reconciliations, reconciliations);
    if (next !== s.reconciliations) out.reconciliations = next;
  }
  if (jobs.length > 0) {
    const next = mergeJobs(s.jobs, jobs);
    if (next !== s.jobs) out.jobs = next;
  }
  if (signals.length > 0) {
    const feed = foldSignals(s.signalFeed, signals, SIGNAL_CAPS.signalFeed);
    if (feed !== s.signalFeed) out.signalFeed = feed;
    const chart = foldSignals(s.chartSignals, signals, SIGNAL_CAPS.chartSignals);
    if (chart !== s.chartSignals) out.chartSignals = chart;
  }
  if (priceAlerts.length > 0) out.priceAlerts = foldPriceAlerts(s.priceAlerts, priceAlerts);
  if (lastReport !== s.lastReport) out.lastReport = lastReport;
  if (reportDismissed !== s.reportDismissed) out.reportDismissed = reportDismissed;
  if (ticks.length > 0) {
    const t = applyTickers(s, ticks);
    if (t.tickers !== s.tickers) out.tickers = t.tickers;
    if (t.tickDirection !== s.tickDirection) out.tickDirection = t.tickDirection;
  }
  return out;
}

export function createKeelStore() {
  return createStore<KeelState>()(
    subscribeWithSelector((...a) => ({
      ...createMarketSlice(...a),
      ...createOrdersSlice(...a),
      ...createFillsSlice(...a),
      ...createPositionsSlice(...a),
      ...createAccountSlice(...a),
      ...createActivitySlice(...a),
      ...createConnectionSlice(...a),
      ...createRiskSlice(...a),
      ...createSettingsSlice(...a),
      ...createUiSlice(...a),
      ...createStrategiesSlice(...a),
      ...createBacktestsSlice(...a),
      ...createReconciliationSlice(...a),
      ...createVenuesSlice(...a),
      ...createModelsSlice(...a),
      ...createRegimeSlice(...a),
      ...createSignalsSlice(...a),
      ...createAnalyticsSlice(...a),
      ...createLayoutSlice(...a),
      ...createDeskPrefsSlice(...a),
      ...createAlertsSlice(...a),
      ...createAlertCenterSlice(...a),
      ...createPipelineSlice(...a),
      applyEvents: (events, ticks) => {
        const [set, get] = a;
        const patch = reduceEvents(get(), events, ticks);
        // An empty patch would still notify every subscriber; skip it.
        if (Object.keys(patch).length > 0) set(patch);
      },
    })),
  );
}

export type KeelStore = ReturnType<typeof createKeelStore>;
