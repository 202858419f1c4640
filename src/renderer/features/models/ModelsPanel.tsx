/**
 * The Models view, full width under the header: the train form down the
 * left; the training jobs and the registry (grouped by name) in the middle;
 * on the right, the chosen version in full, two ticked versions compared
 * side by side, a batch prediction, or the ONNX import form (both kept
 * while the other panes show, so what they hold is still there on the way
 * back). An import, once accepted, is chosen and shown.
 */
import { useState } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useKeel } from '../../stores/KeelProvider';
import { BatchPrediction } from './BatchPrediction';
import { CompareModels } from './CompareModels';
import { ImportOnnxForm } from './ImportOnnxForm';
import { JobsPanel } from './JobsPanel';
import { ModelDetail } from './ModelDetail';
import { ModelList } from './ModelList';
import { TrainForm } from './TrainForm';
import './models.css';

type Pane = 'detail' | 'compare' | 'batch' | 'import';

export function ModelsPanel() {
  return (
    <div className="mv" data-testid="models-panel">
      <TrainForm />
      <JobsPanel />
      <ModelList />
      <DetailArea />
    </div>
  );
}

function DetailArea() {
  const selected = useKeel((s) => (s.selectedModel ? s.models.find((m) => m.id === s.selectedModel) : undefined));
  const compared = useKeel(useShallow((s) => s.compareModels.flatMap((id) => s.models.filter((m) => m.id === id))));
  const clearCompare = useKeel((s) => s.clearModelCompare);
  const [pane, setPane] = useState<Pane>('detail');
  const [seen, setSeen] = useState({ selected: selected?.id, compared: compared.length });

  // Follow the trader: ticking a second version shows the comparison; choosing a version shows it.
  if (seen.selected !== selected?.id || seen.compared !== compared.length) {
    setSeen({ selected: selected?.id, compared: compared.length });
    if (seen.selected !== selected?.id && selected) setPane('detail');
    else if (compared.length === 2 && seen.compared < 2) setPane('compare');
  }
  const shown: Pane = pane === 'batch' || pane === 'import' ? pane : pane === 'compare' && compared.length === 2 ? 'compare' : 'detail';

  return (
    <section className="panel mv-detail-panel" aria-label="Model detail">
      <div className="panel-title">
        <div className="seg" role="group" aria-label="Show">
          <button type="button" className="seg-btn" aria-pressed={shown === 'detail'} onClick={() => setPane('detail')}>
            Version
          </button>
          <button
            type="button"
            className="seg-btn"
            aria-pressed={shown === 'compare'}
            disabled={compared.length < 2}
            title={compared.length < 2 ? 'Tick two versions in the list to compare them' : undefined}
            onClick={() => setPane('compare')}
          >
            Compare {compared.length > 0 && <span className="count">{compared.length}</span>}
          </button>
          <button type="button" className="seg-btn" aria-pressed={shown === 'batch'} onClick={() => setPane('batch')}>
            Batch prediction
          </button>
          <button type="button" className="seg-btn" aria-pressed={shown === 'import'} onClick={() => setPane('import')}>
            Import ONNX
          </button>
        </div>
        {compared.length > 0 && (
          <button type="button" className="btn btn-xs btn-ghost" onClick={clearCompare}>
            Clear comparison
          </button>
        )}
      </div>
      <div className="mv-detail-scroll">
        <div hidden={shown !== 'batch'}>
          <BatchPrediction />
        </div>
        <div hidden={shown !== 'import'}>
          <ImportOnnxForm />
        </div>
        {shown === 'compare' ? (
          <CompareModels models={compared} />
        ) : shown === 'batch' || shown === 'import' ? null : selected ? (
          <ModelDetail model={selected} />
        ) : (
          <div className="table-empty">Train a model, or choose a version in the list to see it here.</div>
        )}
      </div>
    </section>
  );
}
