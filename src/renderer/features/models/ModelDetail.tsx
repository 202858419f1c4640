/**
 * One model version in full: what it is (algorithm, target, features and
 * their hash, the bars it learned from), how it did out of sample (the
 * folds' averages, then each fold, per class and calibration), what it
 * leans on (feature importance: the trees' gain, or a permutation
 * importance measured for an import), how it does on live bars (drift, with
 * retrain, roll back and a retrain schedule), how its training went (log
 * and errors), and what to do with it (activate or roll back, delete).
 */
import { useShallow } from 'zustand/react/shallow';
import type { ModelRecord } from '../../../shared/models';
import { fmtDateTime } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { useKeel } from '../../stores/KeelProvider';
import { FoldsSection } from './FoldsSection';
import { ImportanceSection } from './ImportanceSection';
import { ModelActions } from './ModelActions';
import { ModelBadges } from './ModelBadges';
import { DriftSection } from './DriftSection';
import { ALGORITHM_LABEL, fmtBytes, fmtMaxAge, fmtMetric, fmtTarget, fmtWindow, metricField, metricFieldsFor } from './modelFormat';
import { versionName } from './modelList';
import { readMetrics } from './modelMetrics';

export function ModelDetail({ model }: { model: ModelRecord }) {
  const versions = useKeel(useShallow((s) => s.models.filter((m) => m.name === model.name)));
  const parent = useKeel((s) => (model.parentId ? s.models.find((m) => m.id === model.parentId) : undefined));
  const now = useNow();
  const { summary, folds } = readMetrics(model.metrics);
  const rows = metricField('rows');

  const facts: [string, string, string?][] = [
    ['Algorithm', ALGORITHM_LABEL[model.algorithm]],
    ['Target', fmtTarget(model.target)],
    ['Features', `${model.features.length} · hash ${model.featuresHash}`, model.features.join(', ')],
    ['Training window', fmtWindow(model.trainingWindow)],
    ['Rows', fmtMetric(rows, summary.rows), rows.help],
    ['Data hash', model.dataHash ?? '—', 'The same hash means the same bars'],
    ['Created', fmtDateTime(model.createdAt)],
    ['Maximum age', fmtMaxAge(model)],
    ['Trained after', parent ? versionName(parent) : model.parentId ? 'a deleted version' : '—'],
    ['Size', fmtBytes(model.sizeBytes)],
  ];

  return (
    <article className="mv-detail" aria-label={`Model ${versionName(model)}`}>
      <header className="mv-detail-head">
        <h2 className="mv-detail-title">{versionName(model)}</h2>
        <ModelBadges model={model} now={now} />
        <ModelActions model={model} versions={versions} now={now} />
      </header>

      <dl className="mv-facts">
        {facts.map(([label, value, help]) => (
          <div key={label} className="mv-fact" title={help}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>

      <section className="mv-section" aria-label="Metrics">
        <h3 className="mv-h3">Out-of-sample metrics{folds.length > 0 ? ` (mean of ${folds.length} walk-forward folds)` : ''}</h3>
        <div className="mv-cards">
          {metricFieldsFor(model.target).map((f) => (
            <div key={f.key} className="mv-card" title={f.help}>
              <span className="mv-card-label">{f.label}</span>
              <span className="mv-card-value num">{fmtMetric(f, summary[f.key])}</span>
            </div>
          ))}
        </div>
        <FoldsSection key={model.id} folds={folds} target={model.target} />
      </section>

      <DriftSection model={model} versions={versions} now={now} />

      <ImportanceSection model={model} />

      <section className="mv-section" aria-label="Training log">
        <h3 className="mv-h3">Training log</h3>
        {model.errors.length > 0 && (
          <ul className="mv-errors" aria-label="Errors">
            {model.errors.map((e, i) => (
              <li key={i}>{e}</li>
            ))}
          </ul>
        )}
        {model.trainingLog.length > 0 ? (
          <ol className="mv-log">
            {model.trainingLog.map((line, i) => (
              <li key={i}>{line}</li>
            ))}
          </ol>
        ) : (
          <p className="muted">No log recorded.</p>
        )}
      </section>
    </article>
  );
}
