/**
 * The switch between the workstation's views: Trading (chart, ticket,
 * blotters), Strategies, Backtests, Models, Signals, Reconciliation, Analytics, Pipeline and Monitor, each the full
 * width under the header. The tabs carry live counts (strategies running or
 * failed, runs working, models training, reconciliation differences waiting
 * for the trader, monitor thresholds crossed)
 * so the trader sees automation at work, and venues held back, from any
 * view. A view stays mounted once opened, hidden when another is shown, so
 * forms and charts keep their state across switches.
 */
import { useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { isFinished } from '../../stores/backtests';
import { isJobFinished } from '../../stores/models';
import { ReconciliationBadge } from '../reconciliation/ReconciliationBadge';
import { useKeel } from '../../stores/KeelProvider';
import type { WorkspaceView } from '../../stores/strategies';
import { instanceCounts } from './instanceFigures';
import { useMonitorBreaches } from '../monitor/useMonitorBreaches';

const VIEWS: readonly { id: WorkspaceView; label: string }[] = [
  { id: 'trade', label: 'Trading' },
  { id: 'strategies', label: 'Strategies' },
  { id: 'backtests', label: 'Backtests' },
  { id: 'models', label: 'Models' },
  { id: 'signals', label: 'Signals' },
  { id: 'reconciliation', label: 'Reconciliation' },
  { id: 'analytics', label: 'Analytics' },
  { id: 'pipeline', label: 'Pipeline' },
  { id: 'monitor', label: 'Monitor' },
];

export const viewTabId = (view: WorkspaceView) => `view-tab-${view}`;
export const viewPanelId = (view: WorkspaceView) => `view-${view}`;

/** `actions`: controls for the view on screen, at the bar's right end (the trading view's Reset layout). */
export function WorkspaceNav({ actions }: { actions?: ReactNode } = {}) {
  const view = useKeel((s) => s.workspaceView);
  const setView = useKeel((s) => s.setWorkspaceView);
  const counts = instanceCounts(useKeel((s) => s.strategies));
  const working = useKeel((s) => s.backtests.filter((b) => !isFinished(b.status)).length);
  const training = useKeel((s) => s.jobs.filter((j) => !isJobFinished(j.status)).length);
  const breaches = useMonitorBreaches();
  const listRef = useRef<HTMLDivElement>(null);

  function onKeyDown(e: KeyboardEvent<HTMLDivElement>): void {
    const i = VIEWS.findIndex((v) => v.id === view);
    const step = e.key === 'ArrowRight' ? 1 : e.key === 'ArrowLeft' ? -1 : 0;
    if (step === 0 || i < 0) return;
    e.preventDefault();
    const next = VIEWS[(i + step + VIEWS.length) % VIEWS.length];
    if (!next) return;
    setView(next.id);
    listRef.current?.querySelector<HTMLButtonElement>(`#${viewTabId(next.id)}`)?.focus();
  }

  const badge = (id: WorkspaceView): ReactNode => {
    if (id === 'strategies') {
      return (
        <>
          {counts.running > 0 && (
            <span className="count count-run" title={`${counts.running} running`}>
              {counts.running}
            </span>
          )}
          {counts.error > 0 && (
            <span className="count count-err" title={`${counts.error} in error`}>
              {counts.error}
            </span>
          )}
        </>
      );
    }
    if (id === 'reconciliation') return <ReconciliationBadge />;
    if (id === 'backtests' && working > 0) {
      return (
        <span className="count count-run" title={`${working} working`}>
          {working}
        </span>
      );
    }
    if (id === 'monitor' && breaches && breaches.length > 0) {
      return (
        <span className="count count-err" title={breaches.map((b) => b.label).join('\n')}>
          {breaches.length}
        </span>
      );
    }
    if (id === 'models' && training > 0) {
      return (
        <span className="count count-run" title={`${training} training`}>
          {training}
        </span>
      );
    }
    return null;
  };

  return (
    <div className="view-nav">
      <div className="view-tabs" role="tablist" aria-label="Views" ref={listRef} onKeyDown={onKeyDown}>
        {VIEWS.map((v) => (
          <button
            key={v.id}
            id={viewTabId(v.id)}
            type="button"
            role="tab"
            className="view-tab"
            aria-label={v.label}
            aria-selected={v.id === view}
            aria-controls={viewPanelId(v.id)}
            tabIndex={v.id === view ? 0 : -1}
            onClick={() => setView(v.id)}
          >
            {v.label}
            {badge(v.id)}
          </button>
        ))}
      </div>
      {actions && <div className="view-nav-actions">{actions}</div>}
    </div>
  );
}

/** A view that mounts the first time it is shown and then stays, hidden while another view is on screen. */
export function WorkspacePane({ view, className, children }: { view: WorkspaceView; className: string; children: ReactNode }) {
  const active = useKeel((s) => s.workspaceView === view);
  const [opened, setOpened] = useState(active);
  if (active && !opened) setOpened(true);
  if (!opened) return null;
  return (
    <main id={viewPanelId(view)} className={className} aria-labelledby={viewTabId(view)} hidden={!active}>
      {children}
    </main>
  );
}
