/**
 * The workstation layout: header, the view tabs, then the trading view
 * (watchlist and book, chart, ticket, and the blotter underneath) or the
 * Strategies, Backtests, Models, Signals, Reconciliation, Analytics, Pipeline or Monitor view, full width; the emergency
 * hotkey, its report, the settings dialog and the order detail (opened from
 * several blotters) live at this level because they belong to no single
 * panel.
 */
import { useEffect } from 'react';
import { Toasts } from './components/Toasts';
import { AnalyticsPanel } from './features/analytics/AnalyticsPanel';
import { PipelinePanel } from './features/pipeline/PipelinePanel';
import { useAnnouncements } from './features/announcements/useAnnouncements';
import { BacktestsPanel } from './features/backtests/BacktestsPanel';
import { useBacktestsSync } from './features/backtests/useBacktestsSync';
import { Blotter } from './features/blotter/Blotter';
import { ChartPanel } from './features/chart/ChartPanel';
import { ModelsPanel } from './features/models/ModelsPanel';
import { MonitorPanel } from './features/monitor/MonitorPanel';
import { SignalsPanel } from './features/signals/SignalsPanel';
import { useModelsSync } from './features/models/useModelsSync';
import { useRegimeSync } from './features/regime/useRegimeSync';
import { usePriceAlerts } from './features/alerts/usePriceAlerts';
import { useAlertCenter } from './features/alert-center/useAlertCenter';
import { EmergencyReportDialog } from './features/emergency/EmergencyReportDialog';
import { useEmergencyHotkey } from './features/emergency/useEmergencyHotkey';
import { Banners, Header } from './features/header/Header';
import { ResetLayoutButton } from './features/layout/ResetLayoutButton';
import { TradingLayout } from './features/layout/TradingLayout';
import { MarketPanel } from './features/market-data/MarketPanel';
import { OrderDetailDialog } from './features/order-detail/OrderDetailDialog';
import { OrderTicket } from './features/order-ticket/OrderTicket';
import { ReconciliationPanel } from './features/reconciliation/ReconciliationPanel';
import { useReconciliationSync } from './features/reconciliation/useReconciliationSync';
import { SettingsDialog } from './features/settings/SettingsDialog';
import { StrategiesPanel } from './features/strategies/StrategiesPanel';
import { useStrategiesSync } from './features/strategies/useStrategiesSync';
import { WorkspaceNav, WorkspacePane, viewPanelId, viewTabId } from './features/strategies/WorkspaceNav';
import { Watchlist } from './features/watchlist/Watchlist';
import { useKeel } from './stores/KeelProvider';
import { SCHEME_BADGE } from './lib/venueScheme';
import { selectVenueScheme } from './stores/selectors';

export function App() {
  const scheme = useKeel(selectVenueScheme);
  const venue = useKeel((s) => s.venue);
  const view = useKeel((s) => s.workspaceView);
  useEmergencyHotkey();
  useStrategiesSync();
  useBacktestsSync();
  useModelsSync();
  useRegimeSync();
  useReconciliationSync();
  useAnnouncements();
  usePriceAlerts();
  useAlertCenter();

  useEffect(() => {
    document.title = scheme ? `Keel — ${venue ?? ''} ${SCHEME_BADGE[scheme]}` : `Keel — ${venue ?? ''}`;
  }, [scheme, venue]);

  // Practice money (paper, demo) wears the amber frame and stripe; live money its own red one.
  const frame = scheme === 'live' ? 'scheme-live' : scheme ? 'scheme-practice' : '';
  return (
    <div className={`app ${frame}`} data-scheme={scheme ?? undefined}>
      {scheme && <div className={`scheme-stripe scheme-stripe-${scheme === 'live' ? 'live' : 'practice'}`} aria-hidden="true" />}
      <Header />
      <Banners />
      <WorkspaceNav actions={view === 'trade' ? <ResetLayoutButton /> : undefined} />
      <TradingLayout
        id={viewPanelId('trade')}
        labelledBy={viewTabId('trade')}
        hidden={view !== 'trade'}
        watchlist={<Watchlist />}
        book={<MarketPanel />}
        chart={<ChartPanel />}
        ticket={<OrderTicket />}
        blotter={<Blotter />}
      />
      <WorkspacePane view="strategies" className="view-pane">
        <StrategiesPanel />
      </WorkspacePane>
      <WorkspacePane view="backtests" className="view-pane">
        <BacktestsPanel />
      </WorkspacePane>
      <WorkspacePane view="models" className="view-pane">
        <ModelsPanel />
      </WorkspacePane>
      <WorkspacePane view="signals" className="view-pane">
        <SignalsPanel />
      </WorkspacePane>
      <WorkspacePane view="reconciliation" className="view-pane">
        <ReconciliationPanel />
      </WorkspacePane>
      <WorkspacePane view="analytics" className="view-pane">
        <AnalyticsPanel />
      </WorkspacePane>
      <WorkspacePane view="pipeline" className="view-pane">
        <PipelinePanel />
      </WorkspacePane>
      <WorkspacePane view="monitor" className="view-pane">
        <MonitorPanel />
      </WorkspacePane>
      <Toasts />
      <EmergencyReportDialog />
      <SettingsDialog />
      <OrderDetailDialog />
    </div>
  );
}
