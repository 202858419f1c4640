/**
 * The walk-forward folds: one row per fold (rows trained on, the block it
 * was tested on, its metrics); for a direction model, each fold's ML-scored
 * backtest on its block, net of fees (the blocks chained for all folds), or
 * for a version trained before those, its calls traded gross of costs; precision and recall
 * per class and the calibration table (how often the model was right when
 * it was this sure), for all folds together or the fold chosen.
 */
import { useState, type ReactNode } from 'react';
import type { ModelTarget } from '../../../shared/models';
import { fmtNumber, fmtPct } from '../backtests/statsFormat';
import { fmtMetric, fmtShare, fmtWindow, metricFieldsFor } from './modelFormat';
import { backtestRows, calibrationRows, foldFigure, legacyBacktestRows, perClassRows, type Fold, type LegacyFoldBacktest } from './modelMetrics';

const signed = (v: number) => (v > 0 ? 'pos' : v < 0 ? 'neg' : '');

/** A figure's column: its heading, and what it means (shown on hover). */
type NumColumn = readonly [label: string, title?: string];

/** The right-aligned column headings of a figures table. */
function NumHeads({ columns }: { columns: readonly NumColumn[] }) {
  return (
    <>
      {columns.map(([label, title]) => (
        <th key={label} scope="col" className="num" title={title}>
          {label}
        </th>
      ))}
    </>
  );
}

const CLASS_COLUMNS: readonly NumColumn[] = [
  ['Precision', 'Of the bars called this class, the share that were'],
  ['Recall', 'Of the bars of this class, the share called so'],
  ['Support', 'Bars of this class'],
];

const CALIBRATION_COLUMNS: readonly NumColumn[] = [
  ['Mean'],
  ['Hit rate', 'How often the chosen class was right'],
  ['Gap', 'Hit rate minus mean confidence: above zero, the model undersells itself'],
  ['Rows'],
];

const BACKTEST_COLUMNS: readonly NumColumn[] = [
  ['Trades', 'Closed round trips'],
  ['Net PnL', "The trades' profit net of fees, in the quote currency"],
  ['Return', 'Equity change over the block'],
  ['Buy & hold', 'Holding the instrument over the same bars'],
  ['Max DD', 'Largest fall of equity from its peak'],
  ['Sharpe', 'Annualised Sharpe ratio'],
  ['Win rate', 'Share of trades that gained'],
  ['Fees', 'Fees paid'],
];

const LEGACY_BACKTEST_COLUMNS: readonly NumColumn[] = [
  ['Return', 'Equity change trading the calls'],
  ['Buy & hold', 'Holding the instrument over the same bars'],
  ['Max DD', 'Largest fall of equity from its peak'],
  ['Trades', 'Positions opened'],
  ['In market', 'Share of bars with a position'],
  ['Hits', 'Of the bars in a position that moved, the share that gained'],
];

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
                    <NumHeads columns={CLASS_COLUMNS} />
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
                    <NumHeads columns={CALIBRATION_COLUMNS} />
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

/** A table of each fold's backtest, a row per fold (and one for all folds chained). */
function FoldBacktestTable({ label, columns, children }: { label: string; columns: readonly NumColumn[]; children: ReactNode }) {
  return (
    <div className="table-scroll mv-table-box">
      <table className="grid mv-folds" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Fold</th>
            <NumHeads columns={columns} />
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

function AllFoldsHead() {
  return (
    <th scope="row" title="The test blocks one after the other, equity carried over">
      All
    </th>
  );
}

function BacktestCells({ backtest }: { backtest: LegacyFoldBacktest }) {
  return (
    <>
      <td className={`num ${signed(backtest.returnPct)}`}>{fmtPct(backtest.returnPct)}</td>
      <td className="num muted">{fmtPct(backtest.buyHoldReturnPct)}</td>
      <td className="num">{fmtNumber(backtest.maxDrawdownPct, 2)}%</td>
      <td className="num">{fmtNumber(backtest.trades, 0)}</td>
      <td className="num">{fmtShare(backtest.exposure)}</td>
      <td className="num">{fmtShare(backtest.hitRate)}</td>
    </>
  );
}

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
      <FoldBacktestTable label="Fold backtests" columns={BACKTEST_COLUMNS}>
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
            <AllFoldsHead />
            <td className="num">{fmtNumber(rows.trades, 0)}</td>
            <td className={`num ${signed(rows.netPnl)}`}>{fmtNumber(rows.netPnl, 2)}</td>
            <td className={`num ${signed(rows.chainedReturnPct)}`}>{fmtPct(rows.chainedReturnPct)}</td>
            <td className="num muted">{fmtPct(rows.chainedBuyHoldPct)}</td>
            <td colSpan={3} />
            <td className="num muted">{fmtNumber(rows.fees, 2)}</td>
          </tr>
        )}
      </FoldBacktestTable>
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
      <FoldBacktestTable label="Fold calls traded" columns={LEGACY_BACKTEST_COLUMNS}>
        {rows.folds.map((f) => (
          <tr key={f.fold}>
            <th scope="row">{f.fold}</th>
            <BacktestCells backtest={f.backtest} />
          </tr>
        ))}
        {rows.folds.length > 1 && (
          <tr className="mv-fold-all">
            <AllFoldsHead />
            <td className={`num ${signed(rows.chainedReturnPct)}`}>{fmtPct(rows.chainedReturnPct)}</td>
            <td className="num muted">{fmtPct(rows.chainedBuyHoldPct)}</td>
            <td colSpan={4} />
          </tr>
        )}
      </FoldBacktestTable>
    </>
  );
}
