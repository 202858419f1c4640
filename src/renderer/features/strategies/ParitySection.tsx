/**
 * The Parity section of a strategy's page: choose one of its instances,
 * ask for its parity report, and read where the live run and its replay
 * through the backtest differed, trade by trade, coloured by how much it
 * matters (same, information, warning, error).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import type { ParityReport } from '../../../shared/contract/parity';
import { useKeel, useServices } from '../../stores/KeelProvider';
import { FormError, toShownError, type ShownError } from './FormError';
import { PARITY_REASON_LABEL, fmtLag, fmtParityOrder, fmtRowBar, fmtSlippage, parityCandidates, summaryLines } from './parityView';
import './parity.css';

export function ParitySection({ type }: { type: string }) {
  const { client } = useServices();
  const strategies = useKeel((s) => s.strategies);
  const instances = useMemo(() => parityCandidates(strategies, type), [strategies, type]);
  const [chosen, setChosen] = useState<string>('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ShownError | null>(null);
  const [report, setReport] = useState<ParityReport | null>(null);
  const id = instances.some((s) => s.id === chosen) ? chosen : (instances[0]?.id ?? '');

  async function compare(): Promise<void> {
    setBusy(true);
    setError(null);
    try {
      setReport(await client.invoke('strategies.parity', { id }));
    } catch (err) {
      setReport(null);
      setError(toShownError(err));
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="parity" data-testid="parity-section">
      <h3 className="sv-subtitle">Parity</h3>
      <p className="muted parity-lead">Replays an instance&apos;s period through the backtest with the venue&apos;s fill model and compares the two trade by trade.</p>
      {instances.length === 0 ? (
        <p className="muted">No instance of this strategy yet.</p>
      ) : (
        <div className="parity-controls">
          <label>
            <span className="sr-only">Instance</span>
            <select aria-label="Instance to compare" value={id} onChange={(e) => setChosen(e.target.value)} disabled={busy}>
              {instances.map((s) => (
                <option key={s.id} value={s.id}>
                  {s.name} · {s.venue} {s.symbol} {s.timeframe}
                </option>
              ))}
            </select>
          </label>
          <button type="button" className="btn btn-xs" onClick={() => void compare()} disabled={busy || id === ''}>
            {busy ? 'Replaying…' : 'Parity'}
          </button>
        </div>
      )}
      <FormError error={error} testId="parity-error" />
      {report && report.summary.instanceId === id && <ParityReportView report={report} />}
    </div>
  );
}

function ParityReportView({ report }: { report: ParityReport }) {
  const ref = useRef<HTMLDivElement>(null);
  // The section sits below the strategy's explanation: a new report is brought into view.
  useEffect(() => ref.current?.scrollIntoView?.({ block: 'nearest' }), [report]);
  return (
    <div className="parity-report" data-testid="parity-report" ref={ref}>
      <dl className="parity-summary">
        {summaryLines(report).map((line) => (
          <div key={line.label} title={line.title}>
            <dt>{line.label}</dt>
            <dd>{line.value}</dd>
          </div>
        ))}
      </dl>
      <p className="muted parity-model">{report.summary.fillModel}</p>
      {report.summary.replayFailure && (
        <p className="form-error" role="alert">
          The replay stopped early: {report.summary.replayFailure}
        </p>
      )}
      {report.rows.length === 0 ? (
        <p className="muted">No decision in the period on either side.</p>
      ) : (
        <div className="table-scroll parity-scroll">
          <table className="grid parity-table" aria-label="Parity rows">
            <thead>
              <tr>
                <th scope="col">Bar</th>
                <th scope="col">Reason</th>
                <th scope="col">Live</th>
                <th scope="col">Replay</th>
                <th scope="col" className="num" title="Live average fill against the replay's; positive: live did worse">
                  Slippage
                </th>
                <th scope="col" className="num" title="How long after its bar closed the live order went out">
                  Lag
                </th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody>
              {report.rows.map((row, i) => (
                <tr key={`${row.barTime}-${i}`} className={`parity-row parity-${row.severity}`} data-reason={row.reason}>
                  <td className="num-left">{fmtRowBar(row)}</td>
                  <td>
                    <span className={`parity-badge parity-badge-${row.severity}`}>{PARITY_REASON_LABEL[row.reason]}</span>
                  </td>
                  <td className="num-left">{fmtParityOrder(row.live)}</td>
                  <td className="num-left">{fmtParityOrder(row.replay)}</td>
                  <td className="num">{fmtSlippage(row)}</td>
                  <td className="num">{fmtLag(row)}</td>
                  <td className="wrap">{row.note}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
