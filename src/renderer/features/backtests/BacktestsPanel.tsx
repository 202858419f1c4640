/**
 * The Backtests view, full width under the header: the new-run form down the
 * left; the runs and the datasets across the top; underneath, the selected
 * run's result, or the ticked runs compared side by side.
 */
import { useState } from 'react';
import { useKeel } from '../../stores/KeelProvider';
import { BacktestForm } from './BacktestForm';
import { CompareView } from './CompareView';
import { DatasetsPanel } from './DatasetsPanel';
import { ResultView } from './ResultView';
import { RunsTable } from './RunsTable';
import { useBacktestResults } from './useBacktestResults';

type Pane = 'result' | 'compare';

export function BacktestsPanel() {
  return (
    <div className="bv" data-testid="backtests-panel">
      <BacktestForm />
      <RunsTable />
      <DatasetsPanel />
      <ResultArea />
    </div>
  );
}

function ResultArea() {
  const selected = useKeel((s) => s.selectedBacktest);
  const compare = useKeel((s) => s.compareBacktests);
  const clearCompare = useKeel((s) => s.clearCompare);
  const [pane, setPane] = useState<Pane>('result');
  const [seen, setSeen] = useState({ selected, compared: compare.length });

  // Follow the trader: ticking a second (or further) run shows the comparison; choosing a run shows its result.
  if (seen.selected !== selected || seen.compared !== compare.length) {
    setSeen({ selected, compared: compare.length });
    if (seen.selected !== selected && selected !== null) setPane('result');
    else if (compare.length >= 2 && compare.length > seen.compared) setPane('compare');
    else if (compare.length < 2) setPane('result');
  }

  const shown: Pane = pane === 'compare' && compare.length >= 2 ? 'compare' : 'result';
  const errors = useBacktestResults(shown === 'compare' ? compare : selected ? [selected] : []);

  return (
    <section className="panel bt-result-panel" aria-label="Backtest result">
      <div className="panel-title">
        <div className="seg" role="group" aria-label="Show">
          <button type="button" className="seg-btn" aria-pressed={shown === 'result'} onClick={() => setPane('result')}>
            Result
          </button>
          <button
            type="button"
            className="seg-btn"
            aria-pressed={shown === 'compare'}
            disabled={compare.length < 2}
            title={compare.length < 2 ? 'Tick two or more finished runs to compare them' : undefined}
            onClick={() => setPane('compare')}
          >
            Compare {compare.length > 0 && <span className="count">{compare.length}</span>}
          </button>
        </div>
        {compare.length > 0 && (
          <button type="button" className="btn btn-xs btn-ghost" onClick={clearCompare}>
            Clear comparison
          </button>
        )}
      </div>
      <div className="bt-result-scroll">
        {shown === 'compare' ? (
          <CompareView ids={compare} errors={errors} />
        ) : selected ? (
          <ResultView runId={selected} error={errors[selected]} />
        ) : (
          <div className="table-empty">Run a backtest, or choose a run above to see its result.</div>
        )}
      </div>
    </section>
  );
}
