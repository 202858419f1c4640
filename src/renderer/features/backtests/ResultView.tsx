/**
 * The selected run: what it was (strategy, parameters, data, costs), then
 * while it works its progress, once done a chart with the trades marked
 * (the prices it traded on, or its equity curve over its drawdown, one at a
 * time so the statistics and the trade list keep their room), every
 * statistic and the trade list; for an optimization, the trials and their
 * heat map. A failed run says why.
 */
import { useState } from 'react';
import type { BacktestResult, BacktestSummary } from '../../../shared/contract';
import { UNDER_ONE_LOT } from '../../../shared/contract/strategies';
import { fmtDateTime, fmtShortSpan } from '../../lib/format';
import { isFinished, progressOf } from '../../stores/backtests';
import { useKeel } from '../../stores/KeelProvider';
import { paramsSummary } from '../strategies/paramForm';
import { describeData } from './backtestForm';
import { EquityChartView } from './EquityChartView';
import { OptimizeView } from './OptimizeView';
import { PriceChartView } from './PriceChartView';
import { CancelRunButton, ProgressBar, RunStatus } from './RunsTable';
import { StatsTable } from './StatsTable';
import { TradesTable } from './TradesTable';
import { fmtNumber } from './statsFormat';

export function ResultView({ runId, error }: { runId: string; error: string | undefined }) {
  const run = useKeel((s) => s.backtests.find((b) => b.id === runId));
  const result = useKeel((s) => s.backtestResults[runId]);
  const live = useKeel((s) => s.backtestProgress[runId]);
  // Held here, not in the body, so the trader's choice stays while moving from run to run.
  const [chart, setChart] = useState<ResultChart>('equity');

  if (!run) return <div className="table-empty">This run is no longer listed.</div>;
  const ready = result && result.status === run.status ? result : null;

  return (
    <div className="bt-result">
      <RunHeader run={run} />
      {!isFinished(run.status) && (
        <div className="bt-working">
          <RunStatus status={run.status} />
          <ProgressBar id={`${run.id}-detail`} progress={progressOf(run, live)} wide />
          <CancelRunButton run={run} testId={`backtest-cancel-${run.id}-detail`} />
          <span className="muted">Results appear here when the run finishes.</span>
        </div>
      )}
      {run.status === 'failed' && (
        <div className="form-error bt-failed" role="alert">
          <span className="form-error-message">The run failed: {run.error ?? 'no reason given'}</span>
        </div>
      )}
      {run.status === 'canceled' && <div className="bt-note muted">Canceled before it finished.</div>}
      {isFinished(run.status) && !ready && !error && <div className="table-empty">Loading the result…</div>}
      {error && (
        <div className="form-error" role="alert">
          Could not load the result: {error}
        </div>
      )}
      {ready && run.status === 'done' && ready.warnings && ready.warnings.length > 0 && <RunWarningsNote run={ready} warnings={ready.warnings} />}
      {ready && run.status === 'done' && <ResultBody result={ready} chart={chart} onChart={setChart} />}
    </div>
  );
}

/**
 * What the strategy could not do during the run (orders not sent, refused),
 * each kind once with how often: live these are the activity feed's
 * warnings, and a run of few or no trades is not explained without them.
 */
function RunWarningsNote({ run, warnings }: { run: BacktestResult; warnings: NonNullable<BacktestResult['warnings']> }) {
  const total = warnings.reduce((n, w) => n + w.count, 0);
  const undersized = warnings.some((w) => w.message.includes(UNDER_ONE_LOT));
  return (
    <details className="bt-warnings" data-testid="backtest-warnings">
      <summary>
        {fmtNumber(total, 0)} {total === 1 ? 'order' : 'orders'} not sent or refused
        {undersized && (
          <span className="muted">
            {' '}
            · sizes are whole multiples of the size unit ({String(run.settings.fractionalUnit)}): a smaller unit or more cash lets the strategy trade
          </span>
        )}
      </summary>
      <ul>
        {warnings.map((w) => (
          <li key={w.message}>
            <span className="num-left">{fmtNumber(w.count, 0)}×</span> {w.message}
          </li>
        ))}
      </ul>
    </details>
  );
}

type ResultChart = 'price' | 'equity';

function ResultBody({ result, chart, onChart }: { result: BacktestResult; chart: ResultChart; onChart: (chart: ResultChart) => void }) {
  // The price chart fetches its bars when first shown, then stays mounted (hidden) so switching back is instant.
  const [priceShown, setPriceShown] = useState(chart === 'price');
  if (chart === 'price' && !priceShown) setPriceShown(true);
  if (result.kind === 'optimize' && result.optimize) return <OptimizeView run={result} optimize={result.optimize} />;
  const switcher = <ChartSwitch chart={chart} onChart={onChart} />;
  return (
    <div className="bt-result-body">
      <div className="bt-result-main">
        <div className="bt-charts">
          {priceShown && <PriceChartView run={result} switcher={switcher} hidden={chart !== 'price'} />}
          <EquityChartView equity={result.equity} total={result.equityTotal} trades={result.trades} switcher={switcher} hidden={chart !== 'equity'} />
        </div>
        <div className="bt-subhead">
          Trades <span className="count">{result.trades.length}</span>
        </div>
        <TradesTable trades={result.trades} />
      </div>
      <div className="bt-result-side">
        <div className="bt-subhead">Statistics</div>
        {result.stats ? <StatsTable stats={result.stats} /> : <div className="table-empty">No statistics for this run</div>}
      </div>
    </div>
  );
}

function ChartSwitch({ chart, onChart }: { chart: ResultChart; onChart: (chart: ResultChart) => void }) {
  return (
    <div className="seg bt-chart-switch" role="group" aria-label="Result chart">
      <button type="button" className="seg-btn" aria-pressed={chart === 'price'} title="The run's prices, with its entries and exits" onClick={() => onChart('price')}>
        Price
      </button>
      <button type="button" className="seg-btn" aria-pressed={chart === 'equity'} title="The run's equity curve over its drawdown" onClick={() => onChart('equity')}>
        Equity
      </button>
    </div>
  );
}

function RunHeader({ run }: { run: BacktestSummary }) {
  const entry = useKeel((s) => s.strategyCatalog.find((e) => e.type === run.strategy.type));
  const datasets = useKeel((s) => s.datasets);
  const draft = useKeel((s) => s.draftBacktest);
  const s = run.settings;
  const costs = [
    `cash ${fmtNumber(s.cash, 0)}`,
    `commission ${fmtNumber(s.commission * 100, 3)}%`,
    s.spread > 0 ? `spread ${fmtNumber(s.spread * 100, 3)}%` : null,
    s.margin < 1 ? `margin ${s.margin} (${fmtNumber(1 / s.margin, 1)}×)` : null,
    s.fillModel === 'intrabar' ? `intrabar, ${s.slippageTicks} ticks slippage` : 'bar fills',
    s.tradeOnClose ? 'trade on close' : null,
    s.exclusiveOrders ? 'exclusive orders' : null,
    s.finalizeTrades ? 'finalize trades' : null,
  ].filter((x): x is string => x !== null);
  const took = run.finishedAt !== null ? fmtShortSpan(run.finishedAt - run.createdAt) : null;
  return (
    <div className="bt-result-head">
      <div className="bt-result-title">
        <span className="bt-run-name">{run.name}</span>
        <RunStatus status={run.status} />
        <span className="tag">{run.kind === 'optimize' ? 'OPTIMIZATION' : 'BACKTEST'}</span>
        <button
          type="button"
          className="btn btn-xs bt-load"
          title="Fill the new-backtest form with this run's strategy, parameters, data and settings"
          onClick={() => draft(run)}
        >
          Load into form
        </button>
      </div>
      <div className="bt-result-meta">
        <span>
          <b>{entry?.name ?? run.strategy.type}</b> {paramsSummary(run.strategy.params, entry?.params)}
        </span>
        <span>{describeData(run.data, datasets)}</span>
        <span className="muted">{costs.join(' · ')}</span>
        <span className="muted">
          {fmtDateTime(run.createdAt)}
          {took && ` · took ${took}`}
        </span>
      </div>
    </div>
  );
}
