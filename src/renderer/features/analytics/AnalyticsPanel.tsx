/**
 * The Analytics view, full width under the header: the filters and exports
 * along the top, the headline figures, the equity curve with its drawdown,
 * beside it the daily PnL bars, the calendar of daily results, the
 * distribution of trade returns and the weekday and hour tables, and the
 * trade journal underneath.
 */
import { useKeel } from '../../stores/KeelProvider';
import { AnalyticsToolbar } from './AnalyticsToolbar';
import { BucketTables } from './BucketTables';
import { CalendarView } from './CalendarView';
import { DailyPnl, EquityPanel } from './EquityPanel';
import { figureCards } from './figureCards';
import { ReturnDistribution } from './ReturnDistribution';
import { TradeJournal } from './TradeJournal';
import { useAnalytics } from './useAnalytics';
import './analytics.css';

export function AnalyticsPanel() {
  const { reload } = useAnalytics();
  const error = useKeel((s) => s.analyticsError);
  return (
    <div className="av" data-testid="analytics-panel">
      <AnalyticsToolbar onReload={reload} />
      {error && (
        <div className="av-error" role="alert">
          {error}
        </div>
      )}
      <HeadlineFigures />
      <EquityPanel />
      <section className="panel av-side" aria-label="Daily results and distribution">
        <div className="av-side-scroll">
          <DailyPnl />
          <CalendarView />
          <ReturnDistribution />
          <BucketTables />
        </div>
      </section>
      <TradeJournal />
    </div>
  );
}

function HeadlineFigures() {
  const summary = useKeel((s) => s.analytics?.summary);
  const loaded = useKeel((s) => s.analytics !== null);
  if (!summary) {
    return (
      <section className="panel av-figures" aria-label="Headline figures">
        <div className="table-empty">{loaded ? 'No figures.' : 'Loading the figures…'}</div>
      </section>
    );
  }
  return (
    <section className="panel av-figures" aria-label="Headline figures">
      <dl className="av-cards">
        {figureCards(summary.figures, summary.currency).map((c) => (
          <div key={c.key} className="av-card" title={c.help} data-testid={`figure-${c.key}`}>
            <dt>{c.label}</dt>
            <dd className={`num ${c.tone}`}>{c.value}</dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
