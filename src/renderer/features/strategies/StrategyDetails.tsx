/**
 * The chosen strategy's page: how it decides and sizes, when it suits and its
 * risks (the catalog's explanation, paragraph by paragraph), then every
 * parameter with its type, default, bounds and description, and the rules
 * between parameters; then the parity of its instances against a replay.
 */
import { useKeel } from '../../stores/KeelProvider';
import { PARAM_TYPE_LABEL, describeRange, fmtParamValue } from './paramForm';
import { ParitySection } from './ParitySection';
import { paragraphs } from './strategyForm';

export function StrategyDetails() {
  const entry = useKeel((s) => s.strategyCatalog.find((e) => e.type === s.selectedStrategyType));

  if (!entry) {
    return (
      <section className="panel sv-details" aria-label="Strategy details">
        <div className="panel-title">
          <span>Strategy</span>
        </div>
        <div className="table-empty">Choose a strategy in the catalog to read how it works.</div>
      </section>
    );
  }

  return (
    <section className="panel sv-details" aria-label="Strategy details">
      <div className="panel-title">
        <span>{entry.name}</span>
        <span className="muted">
          {entry.type} · {entry.origin === 'builtin' ? 'built in' : (entry.file ?? 'user file')}
        </span>
      </div>
      <div className="sv-details-body">
        <div className="explanation">
          {entry.summary && <p className="explanation-lead">{entry.summary}</p>}
          {paragraphs(entry.explanation).map((p, i) => (
            <p key={i}>{p}</p>
          ))}
        </div>
        <h3 className="sv-subtitle">Parameters</h3>
        {entry.params.length === 0 ? (
          <p className="muted">No parameters.</p>
        ) : (
          <table className="grid param-table" aria-label={`${entry.name} parameters`}>
            <thead>
              <tr>
                <th scope="col">Parameter</th>
                <th scope="col" className="num">
                  Default
                </th>
                <th scope="col">Allowed</th>
                <th scope="col">Description</th>
              </tr>
            </thead>
            <tbody>
              {entry.params.map((p) => (
                <tr key={p.name}>
                  <td>
                    <span className="param-label">{p.label}</span>
                    <span className="param-kind">
                      {p.label !== p.name && <span className="mono-id">{p.name} · </span>}
                      {PARAM_TYPE_LABEL[p.type]}
                    </span>
                  </td>
                  <td className="num">{fmtParamValue(p.default)}</td>
                  <td className="num-left">{describeRange(p)}</td>
                  <td className="wrap">{p.description}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
        {entry.constraints.length > 0 && (
          <>
            <h3 className="sv-subtitle">Rules between parameters</h3>
            <ul className="constraint-list">
              {entry.constraints.map((c) => (
                <li key={c} className="num-left">
                  {c}
                </li>
              ))}
            </ul>
          </>
        )}
        <ParitySection type={entry.type} />
      </div>
    </section>
  );
}
