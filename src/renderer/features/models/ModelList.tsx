/**
 * The registry grouped by model name: a heading per name (how many versions,
 * which is active), then its versions newest first with algorithm, status
 * badges, when it was made and its key metric. Clicking a version shows it;
 * ticking two compares them.
 */
import type { ModelRecord } from '../../../shared/models';
import { rowActivation } from '../../components/rowActivation';
import { fmtDateTime } from '../../lib/format';
import { useNow } from '../../lib/useNow';
import { useKeel } from '../../stores/KeelProvider';
import { fmtWhen } from '../backtests/statsFormat';
import { ALGORITHM_LABEL, ALGORITHM_SHORT, keyMetric } from './modelFormat';
import { groupModels } from './modelList';
import { readMetrics } from './modelMetrics';
import { ModelBadges } from './ModelBadges';

function VersionRow({ model, now }: { model: ModelRecord; now: number }) {
  const selected = useKeel((s) => s.selectedModel === model.id);
  const compared = useKeel((s) => s.compareModels.includes(model.id));
  const select = useKeel((s) => s.selectModel);
  const toggle = useKeel((s) => s.toggleModelCompare);
  const metric = keyMetric(model.target, readMetrics(model.metrics).summary);
  const name = `${model.name} v${model.version}`;
  return (
    <tr
      aria-label={name}
      aria-selected={selected}
      className={`row-activatable ${selected ? 'row-selected' : ''}`}
      {...rowActivation(() => select(model.id), 'Press Enter to show this version')}
    >
      <td className="bt-check">
        <input type="checkbox" aria-label={`Compare ${name}`} title="Tick two versions to compare them" checked={compared} onChange={() => toggle(model.id)} />
      </td>
      <td className="mv-version">v{model.version}</td>
      <td className="muted" title={ALGORITHM_LABEL[model.algorithm]}>
        {ALGORITHM_SHORT[model.algorithm]}
      </td>
      <td>
        <ModelBadges model={model} now={now} />
      </td>
      <td className="num muted" title={fmtDateTime(model.createdAt)}>
        {fmtWhen(model.createdAt, now)}
      </td>
      <td className="num" title={metric.field.help}>
        <span className="muted mv-metric-label">{metric.field.short}</span> {metric.text}
      </td>
    </tr>
  );
}

export function ModelList() {
  const models = useKeel((s) => s.models);
  const loaded = useKeel((s) => s.modelsLoaded);
  const error = useKeel((s) => s.modelsError);
  const compared = useKeel((s) => s.compareModels.length);
  const groups = groupModels(models);
  const now = useNow();

  return (
    <section className="panel mv-list" aria-label="Models">
      <div className="panel-title">
        <span>
          Models <span className="count">{groups.length}</span>
        </span>
        <span className="muted">{compared > 0 ? `${compared} of 2 ticked to compare` : 'Tick two versions to compare'}</span>
      </div>
      {error && (
        <div className="risk-error" role="alert">
          Could not load models or jobs: {error}
        </div>
      )}
      <div className="table-scroll">
        <table className="grid mv-models-table" aria-label="Model versions">
          <thead>
            <tr>
              <th scope="col" className="bt-check">
                <span className="sr-only">Compare</span>
              </th>
              <th scope="col">Version</th>
              <th scope="col">Algorithm</th>
              <th scope="col">Status</th>
              <th scope="col" className="num">
                Created
              </th>
              <th scope="col" className="num">
                Key metric
              </th>
            </tr>
          </thead>
          {groups.map((g) => (
            <tbody key={g.name} className="mv-group">
              <tr className="mv-group-head">
                <th scope="rowgroup" colSpan={6}>
                  <span className="mv-group-name">{g.name}</span>
                  <span className="muted">
                    {g.versions.length} version{g.versions.length === 1 ? '' : 's'}
                    {g.active ? ` · v${g.active.version} active` : ' · none active'}
                  </span>
                </th>
              </tr>
              {g.versions.map((m) => (
                <VersionRow key={m.id} model={m} now={now} />
              ))}
            </tbody>
          ))}
        </table>
        {groups.length === 0 && <div className="table-empty">{loaded ? 'No models yet: train one on the left.' : 'Loading models…'}</div>}
      </div>
    </section>
  );
}
