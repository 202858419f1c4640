/**
 * An optimization's result: every trial ranked by the objective (the best
 * highlighted), the deflated Sharpe ratio that says how much of the best
 * result luck explains given how many were tried, the objective mapped over
 * two parameters (a click on a cell or a row chooses that trial), and for the
 * chosen trial: run it as a full backtest, or create a live strategy with its
 * parameters.
 */
import { useMemo, useState } from 'react';
import type { BacktestResult, OptimizeResult, OptimizeTrial, StrategyParams } from '../../../shared/contract';
import { VirtualTable, type Column } from '../../components/VirtualTable';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { toShownError } from '../strategies/FormError';
import { fmtParamValue } from '../strategies/paramForm';
import { METHOD_LABEL, OBJECTIVE_LABEL } from './backtestForm';
import { sortTrials, varyingParams } from './heatmap';
import { OptimizeHeatmap } from './OptimizeHeatmap';
import { fmtNumber, fmtPct } from './statsFormat';
import { CHART_EQUITY_POINTS } from './equityData';

interface Ranked {
  trial: OptimizeTrial;
  rank: number;
  best: boolean;
}

/** The deflated Sharpe ratio as a probability, with a word on what it means. */
function deflatedText(p: number | null): { text: string; tone: string; hint: string } {
  if (p === null) return { text: '—', tone: '', hint: 'Not available for this search' };
  const text = fmtNumber(p, 3);
  if (p >= 0.95) return { text, tone: 'pos', hint: 'The best Sharpe ratio is unlikely to be luck alone' };
  if (p >= 0.5) return { text, tone: 'warn', hint: 'Part of the best result may be luck: be sceptical' };
  return { text, tone: 'neg', hint: 'The best result is likely the luck of many trials' };
}

export function OptimizeView({ run, optimize }: { run: BacktestResult; optimize: OptimizeResult }) {
  const { client, store } = useServices();
  const catalogEntry = useKeel((s) => s.strategyCatalog.find((e) => e.type === run.strategy.type));
  const [busy, setBusy] = useState(false);
  const [chosenRank, setChosenRank] = useState(1);

  const ranked: Ranked[] = useMemo(
    () => sortTrials(optimize.trials).map((trial, i) => ({ trial, rank: i + 1, best: i === 0 && trial.objective !== null })),
    [optimize.trials],
  );
  const params = useMemo(() => varyingParams(optimize.trials), [optimize.trials]);
  const scored = optimize.trials.filter((t) => t.objective !== null).length;
  // Trials that made no trade because their orders could not be sent (a size under one unit, a refusal).
  const blocked = optimize.trials.filter((t) => t.trades === 0 && (t.notSent ?? 0) > 0).length;
  const objectiveLabel = OBJECTIVE_LABEL[optimize.objective];
  const deflated = deflatedText(optimize.deflatedSharpe);
  const chosen = ranked.find((r) => r.rank === chosenRank) ?? ranked[0] ?? null;
  const label = (p: string) => catalogEntry?.params.find((s) => s.name === p)?.label ?? p;
  const describe = (t: OptimizeTrial) => params.map((p) => `${label(p)} ${fmtParamValue(t.params[p])}`).join(' · ');

  const fullParams = (t: OptimizeTrial): StrategyParams => ({ ...run.strategy.params, ...t.params });

  async function openAsBacktest(r: Ranked): Promise<void> {
    setBusy(true);
    try {
      const { id } = await client.invoke('backtests.run', {
        name: `${run.name} · trial #${r.rank}`.slice(0, 80),
        strategy: { type: run.strategy.type, params: fullParams(r.trial) },
        data: run.data,
        settings: run.settings,
      });
      store.getState().selectBacktest(id);
      store.getState().notify('info', `Backtest of trial #${r.rank} started`);
      // The run's summary arrives with backtests.updated; fetch it too in case that event is slow.
      client.invoke('backtests.get', { id, equityPoints: CHART_EQUITY_POINTS }).then(
        (result) => store.getState().setBacktestResult(result),
        () => undefined,
      );
    } catch (err) {
      store.getState().notify('error', `Could not start the backtest: ${toShownError(err).message}`);
    } finally {
      setBusy(false);
    }
  }

  function createStrategy(r: Ranked): void {
    const venueData = 'venue' in run.data ? run.data : null;
    store.getState().draftStrategy({
      type: run.strategy.type,
      params: fullParams(r.trial),
      venue: venueData?.venue ?? null,
      symbol: venueData?.symbol ?? null,
      timeframe: venueData?.timeframe ?? null,
    });
  }

  const columns: Column<Ranked>[] = [
    { key: 'rank', header: '#', className: 'num', width: 40, render: (r) => (r.best ? <span title="Best trial">★ 1</span> : r.rank) },
    ...params.map(
      (p): Column<Ranked> => ({
        key: `p-${p}`,
        header: label(p),
        className: 'num',
        render: (r) => fmtParamValue(r.trial.params[p]),
      }),
    ),
    {
      key: 'objective',
      header: objectiveLabel,
      className: 'num bt-objective',
      render: (r) => (r.trial.objective === null ? <span className="muted">not scored</span> : fmtNumber(r.trial.objective, 3)),
    },
    // The objective's own figure is already in the objective column.
    ...(optimize.objective === 'return'
      ? []
      : [{ key: 'return', header: 'Return', className: 'num', render: (r: Ranked) => <span className={tone(r.trial.returnPct)}>{fmtPct(r.trial.returnPct)}</span> }]),
    ...(optimize.objective === 'sharpe' ? [] : [{ key: 'sharpe', header: 'Sharpe', className: 'num', render: (r: Ranked) => fmtNumber(r.trial.sharpeRatio, 2) }]),
    {
      key: 'dd',
      header: 'Max. DD',
      className: 'num',
      render: (r) => (r.trial.maxDrawdownPct === null ? '—' : `${fmtNumber(r.trial.maxDrawdownPct, 2)}%`),
    },
    ...(optimize.objective === 'profitFactor'
      ? []
      : [{ key: 'pf', header: 'PF', className: 'num', render: (r: Ranked) => fmtNumber(r.trial.profitFactor, 2) }]),
    {
      key: 'trades',
      header: 'Trades',
      className: 'num',
      render: (r) =>
        r.trial.notSent ? <span title={`${r.trial.notSent} orders not sent or refused: open it as a backtest to see why`}>{r.trial.trades}*</span> : r.trial.trades,
    },
    {
      key: 'bars',
      header: 'Bars',
      className: 'num',
      render: (r) => <span title="Bars scored on (successive halving scores early trials on a prefix)">{fmtNumber(r.trial.bars, 0)}</span>,
    },
  ];

  return (
    <div className="bt-optimize">
      <div className="bt-opt-head">
        <span>
          <span className="muted">Objective</span> {objectiveLabel}
        </span>
        <span>
          <span className="muted">Method</span> {METHOD_LABEL[optimize.method]}
        </span>
        <span>
          <span className="muted">Trials</span> {optimize.trials.length}
          {scored !== optimize.trials.length && <span className="muted"> ({scored} scored)</span>}
        </span>
        <span title={deflated.hint} data-testid="optimize-deflated-sharpe">
          <span className="muted">Deflated Sharpe</span> <b className={`num-left ${deflated.tone}`}>{deflated.text}</b>
        </span>
      </div>
      {blocked > 0 && (
        <div className="bt-warnings" data-testid="optimize-blocked">
          {blocked} of {optimize.trials.length} trials made no trade: their orders were not sent or were refused (sizes are whole multiples of the size unit,{' '}
          {String(run.settings.fractionalUnit)}). Open one as a backtest to see why.
        </div>
      )}
      {chosen && (
        <div className={`bt-opt-chosen ${chosen.best ? 'is-best' : ''}`}>
          <span className="bt-opt-chosen-text">
            <b>{chosen.best ? '★ Best trial' : `Trial #${chosen.rank}`}</b> <span className="num-left">{describe(chosen.trial)}</span>{' '}
            <span className="muted">→ {objectiveLabel}</span> <b className="num-left">{fmtNumber(chosen.trial.objective, 3)}</b>
          </span>
          <button
            type="button"
            className="btn btn-xs"
            disabled={busy}
            title="Run a full backtest with these parameters on the same data and settings"
            onClick={() => void openAsBacktest(chosen)}
          >
            {busy ? 'Starting…' : 'Open as backtest'}
          </button>
          <button
            type="button"
            className="btn btn-xs btn-primary"
            title="Open the strategies' create form filled with these parameters"
            onClick={() => createStrategy(chosen)}
          >
            Create strategy
          </button>
        </div>
      )}
      <div className="bt-opt-body">
        <div className="bt-trials">
          <VirtualTable
            label="Trials"
            rows={ranked}
            columns={columns}
            rowKey={(r) => r.rank}
            rowClassName={(r) => `${r.best ? 'row-best' : ''} ${r.rank === chosen?.rank ? 'row-selected' : ''}`}
            onRowActivate={(r) => setChosenRank(r.rank)}
            activateHint="Press Enter to choose this trial"
            empty="No trials"
          />
        </div>
        <OptimizeHeatmap
          trials={optimize.trials}
          params={params}
          objectiveLabel={objectiveLabel}
          selected={chosen?.trial ?? null}
          onSelect={(index) => {
            const r = ranked.find((x) => x.trial === optimize.trials[index]);
            if (r) setChosenRank(r.rank);
          }}
        />
      </div>
    </div>
  );
}

function tone(v: number | null): string {
  return v === null ? '' : v > 0 ? 'pos' : v < 0 ? 'neg' : '';
}
