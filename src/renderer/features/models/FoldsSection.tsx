/**
 * The walk-forward folds: one row per fold (rows trained on, the block it
 * was tested on, its metrics); for a direction model, each fold's ML-scored
 * backtest on its block, net of fees (the blocks chained for all folds), or
 * for a version trained before those, its calls traded gross of costs; precision and recall
 * per class and the calibration table (how often the model was right when
 * it was this sure), for all folds together or the fold chosen.
 */
import { useState } from 'react';
import type { ModelTarget } from '../../../shared/models';
import { fmtNumber, fmtPct } from '../backtests/statsFormat';
import { fmtMetric, fmtShare, fmtWindow, metricFieldsFor } from './modelFormat';
import { backtestRows, calibrationRows, foldFigure, legacyBacktestRows, perClassRows, type Fold, type LegacyFoldBacktest } from './modelMetrics';

export function FoldsSection({ folds, target }: { folds: readonly Fold[]; target: ModelTarget }) {
  const [chosen, setChosen] = useState<number | 'all'>('all');
  const fold = chosen === 'all' || folds.some((f) => f.fold === chosen) ? chosen : 'all';
  const fields = metricFieldsFor(target);
  if (folds.length === 0) return <p className="muted">No walk-forward folds recorded.</p>;
  const classes = target.kind === 'direction' ? perClassRows(folds, fold) : [];
  const bins = target.kind === 'direction' ? calibrationRows(folds, fold) : [];

  return (
    <>
      <div className="table-scroll mv-table-box">
        <table className="grid mv-folds" aria-label="Folds">
          <thead>
            <tr>
              <th scope="col">Fold</th>
              <th scope="col" className="num" title="Rows the fold trained on / rows it was tested on">
                Rows train / test
              </th>
              <th scope="col">Tested on</th>
              {fields.map((f) => (
                <th key={f.key} scope="col" className="num" title={f.help}>
                  {f.label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {folds.map((f) => (
              <tr key={f.fold}>
                <th scope="row">{f.fold}</th>
                <td className="num">
                  {fmtNumber(f.trainRows, 0)} / {fmtNumber(f.testRows, 0)}
                </td>
                <td className="muted">{fmtWindow({ from: f.from, to: f.to }, true)}</td>
                {fields.map((field) => (
                  <td key={field.key} className="num">
                    {fmtMetric(field, foldFigure(f, field.key))}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      {target.kind === 'direction' ? <FoldBacktests folds={folds} /> : <p className="muted">No fold backtests: the ML-scored strategy trades direction models only.</p>}
      <LegacyFoldBacktests folds={folds} />

      {target.kind === 'direction' && (
        <>
          <div className="seg mv-fold-pick" role="group" aria-label="Folds shown">
            <button type="button" className="seg-btn" aria-pressed={fold === 'all'} onClick={() => setChosen('all')}>
              All folds
            </button>
            {folds.map((f) => (
              <button key={f.fold} type="button" className="seg-btn" aria-pressed={fold === f.fold} onClick={() => setChosen(f.fold)}>
                Fold {f.fold}
              </button>
            ))}
          </div>
          <div className="mv-two">
            <div>
              <h4 className="mv-h4">Precision and recall{fold === 'all' ? ' (mean of folds)' : ''}</h4>
              <table className="grid mv-small" aria-label="Precision and recall by class">
                <thead>
                  <tr>
                    <th scope="col">Class</th>
                    <th scope="col" className="num" title="Of the bars called this class, the share that were">
                      Precision
                    </th>
                    <th scope="col" className="num" title="Of the bars of this class, the share called so">
                      Recall
                    </th>
                    <th scope="col" className="num" title="Bars of this class">
                      Support
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {classes.map((c) => (
                    <tr key={c.label}>
                      <th scope="row">{c.label}</th>
                      <td className="num">{c.precision === null ? <span className="muted" title="Never predicted">—</span> : fmtShare(c.precision)}</td>
                      <td className="num">{fmtShare(c.recall)}</td>
                      <td className="num">{fmtNumber(c.support, 0)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <div>
              <h4 className="mv-h4">Calibration</h4>
              <table className="grid mv-small" aria-label="Calibration">
                <thead>
                  <tr>
                    <th scope="col" title="The model's probability for the class it chose">
                      Confidence
                    </th>
                    <th scope="col" className="num">
                      Mean
                    </th>
                    <th scope="col" className="num" title="How often the chosen class was right">
                      Hit rate
                    </th>
                    <th scope="col" className="num" title="Hit rate minus mean confidence: above zero, the model undersells itself">
                      Gap
                    </th>
                    <th scope="col" className="num">
                      Rows
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {bins.map((b) => {
                    const gap = (b.hitRate - b.confidence) * 100;
                    return (
                      <tr key={b.from}>
                        <th scope="row">
                          {fmtNumber(b.from * 100, 0)}–{fmtNumber(b.to * 100, 0)}%
                        </th>
                        <td className="num">{fmtShare(b.confidence)}</td>
                        <td className="num">{fmtShare(b.hitRate)}</td>
                        <td className={`num ${Math.abs(gap) >= 10 ? 'mv-gap-warn' : 'muted'}`}>
                          {gap >= 0 ? '+' : ''}
                          {fmtNumber(gap, 1)} pp
                        </td>
                        <td className="num">{fmtNumber(b.rows, 0)}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
          </div>
        </>
      )}
    </>
  );
}

function BacktestCells({ backtest }: { backtest: LegacyFoldBacktest }) {
  return (
    <>
      <td className={`num ${backtest.returnPct > 0 ? 'pos' : backtest.returnPct < 0 ? 'neg' : ''}`}>{fmtPct(backtest.returnPct)}</td>
      <td className="num muted">{fmtPct(backtest.buyHoldReturnPct)}</td>
      <td className="num">{fmtNumber(backtest.maxDrawdownPct, 2)}%</td>
      <td className="num">{fmtNumber(backtest.trades, 0)}</td>
      <td className="num">{fmtShare(backtest.exposure)}</td>
      <td className="num">{fmtShare(backtest.hitRate)}</td>
    </>
  );
}

const signed = (v: number) => (v > 0 ? 'pos' : v < 0 ? 'neg' : '');

/** Each fold's ML-scored backtest on its test block, net of fees; the blocks follow each other, so they chain. */
function FoldBacktests({ folds }: { folds: readonly Fold[] }) {
  const rows = backtestRows(folds);
  if (!rows) return <p className="muted">No fold backtests recorded.</p>;
  const first = rows.folds[0]!.backtest;
  return (
    <>
      <h4
        className="mv-h4"
        title={`Each fold's model traded on its test block by the ML-scored strategy with its default parameters (confidence above ${fmtNumber(first.threshold * 100, 0)} %), through the backtest kernel: market orders at the next bar's open, ${fmtNumber(first.commission * 100, 2)} % fees on every fill, from 10,000 of cash`}
      >
        ML-scored strategy on each test block (after fees)
      </h4>
      <div className="table-scroll mv-table-box">
        <table className="grid mv-folds" aria-label="Fold backtests">
          <thead>
            <tr>
              <th scope="col">Fold</th>
              <th scope="col" className="num" title="Closed round trips">
                Trades
              </th>
              <th scope="col" className="num" title="The trades' profit net of fees, in the quote currency">
                Net PnL
              </th>
              <th scope="col" className="num" title="Equity change over the block">
                Return
              </th>
              <th scope="col" className="num" title="Holding the instrument over the same bars">
                Buy &amp; hold
              </th>
              <th scope="col" className="num" title="Largest fall of equity from its peak">
                Max DD
              </th>
              <th scope="col" className="num" title="Annualised Sharpe ratio">
                Sharpe
              </th>
              <th scope="col" className="num" title="Share of trades that gained">
                Win rate
              </th>
              <th scope="col" className="num" title="Fees paid">
                Fees
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.folds.map(({ fold, backtest: b }) => (
              <tr key={fold} title={`${fmtNumber(b.bars, 0)} bars decided on, ${fmtNumber(b.signals, 0)} signals, ${fmtNumber(b.acted, 0)} acted on; ${fmtShare(b.exposurePct / 100)} of bars in a position`}>
                <th scope="row">{fold}</th>
                <td className="num">{fmtNumber(b.trades, 0)}</td>
                <td className={`num ${signed(b.netPnl)}`}>{fmtNumber(b.netPnl, 2)}</td>
                <td className={`num ${signed(b.returnPct)}`}>{fmtPct(b.returnPct)}</td>
                <td className="num muted">{fmtPct(b.buyHoldReturnPct)}</td>
                <td className="num">{fmtPct(b.maxDrawdownPct)}</td>
                <td className="num">{fmtNumber(b.sharpeRatio, 2)}</td>
                <td className="num">{b.winRatePct === null ? <span className="muted">—</span> : `${fmtNumber(b.winRatePct, 1)}%`}</td>
                <td className="num muted">{fmtNumber(b.fees, 2)}</td>
              </tr>
            ))}
            {rows.folds.length > 1 && (
              <tr className="mv-fold-all">
                <th scope="row" title="The test blocks one after the other, equity carried over">
                  All
                </th>
                <td className="num">{fmtNumber(rows.trades, 0)}</td>
                <td className={`num ${signed(rows.netPnl)}`}>{fmtNumber(rows.netPnl, 2)}</td>
                <td className={`num ${signed(rows.chainedReturnPct)}`}>{fmtPct(rows.chainedReturnPct)}</td>
                <td className="num muted">{fmtPct(rows.chainedBuyHoldPct)}</td>
                <td colSpan={3} />
                <td className="num muted">{fmtNumber(rows.fees, 2)}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}

/** A version trained before folds ran the strategy: each fold's calls traded on its test block, gross of costs. */
function LegacyFoldBacktests({ folds }: { folds: readonly Fold[] }) {
  const rows = legacyBacktestRows(folds);
  if (!rows) return null;
  return (
    <>
      <h4 className="mv-h4" title="At each test bar's close the position is the model's call (long, short, or flat for neutral), held to the next close; gross of fees and slippage">
        Calls traded on each test block (before costs; trained before folds ran the ML-scored strategy)
      </h4>
      <div className="table-scroll mv-table-box">
        <table className="grid mv-folds" aria-label="Fold calls traded">
          <thead>
            <tr>
              <th scope="col">Fold</th>
              <th scope="col" className="num" title="Equity change trading the calls">
                Return
              </th>
              <th scope="col" className="num" title="Holding the instrument over the same bars">
                Buy &amp; hold
              </th>
              <th scope="col" className="num" title="Largest fall of equity from its peak">
                Max DD
              </th>
              <th scope="col" className="num" title="Positions opened">
                Trades
              </th>
              <th scope="col" className="num" title="Share of bars with a position">
                In market
              </th>
              <th scope="col" className="num" title="Of the bars in a position that moved, the share that gained">
                Hits
              </th>
            </tr>
          </thead>
          <tbody>
            {rows.folds.map((f) => (
              <tr key={f.fold}>
                <th scope="row">{f.fold}</th>
                <BacktestCells backtest={f.backtest} />
              </tr>
            ))}
            {rows.folds.length > 1 && (
              <tr className="mv-fold-all">
                <th scope="row" title="The test blocks one after the other, equity carried over">
                  All
                </th>
                <td className={`num ${rows.chainedReturnPct > 0 ? 'pos' : rows.chainedReturnPct < 0 ? 'neg' : ''}`}>{fmtPct(rows.chainedReturnPct)}</td>
                <td className="num muted">{fmtPct(rows.chainedBuyHoldPct)}</td>
                <td colSpan={4} />
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
