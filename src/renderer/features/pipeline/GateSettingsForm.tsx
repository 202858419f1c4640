/**
 * The gate settings: what Discovery keeps, what Paper and Live need, and
 * whether cards move on their own. Saved as a whole through
 * `pipeline.gates.set`; the host refuses a value out of range and says why.
 */
import { useState } from 'react';
import type { GateSettings } from '../../../shared/contract';
import { errorMessage } from '../../api/client';
import { useKeel, useServices } from '../../stores/KeelProvider';

type Draft = Record<string, string | boolean>;

const NUMBERS: ReadonlyArray<{ key: string; label: string }> = [
  { key: 'discovery.minOosTrades', label: 'Discovery: min OOS trades' },
  { key: 'discovery.minDeflatedSharpe', label: 'Discovery: deflated Sharpe >' },
  { key: 'discovery.maxWorstFoldDrawdownPct', label: 'Discovery: worst fold DD < %' },
  { key: 'paper.minOosTrades', label: 'Paper: min OOS trades' },
  { key: 'paper.minDeflatedSharpe', label: 'Paper: deflated Sharpe >' },
  { key: 'paper.maxWorstFoldDrawdownPct', label: 'Paper: worst fold DD < %' },
  { key: 'live.minPaperDays', label: 'Live: min paper days' },
  { key: 'live.minPaperTrades', label: 'Live: min paper trades' },
  { key: 'live.maxTrackingError', label: 'Live: tracking error <' },
  { key: 'live.maxOpenDifferences', label: 'Live: open differences ≤' },
  { key: 'drawdownMultiple', label: 'Demote at backtest worst DD ×' },
  { key: 'liveSizeFactor', label: 'Live size factor' },
];
const SWITCHES: ReadonlyArray<{ key: string; label: string }> = [
  { key: 'discovery.requireChecks', label: 'Discovery needs the checks' },
  { key: 'paper.requireChecks', label: 'Paper needs the checks' },
  { key: 'autoPromote', label: 'Promote automatically' },
  { key: 'autoDemote', label: 'Demote automatically' },
];

function flatten(settings: GateSettings): Draft {
  const draft: Draft = {};
  for (const [key, value] of Object.entries(settings)) {
    if (value !== null && typeof value === 'object') for (const [inner, v] of Object.entries(value)) draft[`${key}.${inner}`] = typeof v === 'boolean' ? v : String(v);
    else draft[key] = typeof value === 'boolean' ? value : String(value ?? '');
  }
  return draft;
}

/** The draft as settings: numbers parsed, the live venue null when blank; the host validates the ranges. */
export function settingsOf(draft: Draft): Record<string, unknown> {
  const out: Record<string, Record<string, unknown> | unknown> = {};
  for (const [key, value] of Object.entries(draft)) {
    const parsed = typeof value === 'boolean' ? value : key === 'liveVenue' ? (value.trim() === '' ? null : value.trim()) : Number(value);
    const [outer, inner] = key.split('.') as [string, string | undefined];
    if (inner === undefined) out[outer] = parsed;
    else out[outer] = { ...((out[outer] as Record<string, unknown> | undefined) ?? {}), [inner]: parsed };
  }
  return out;
}

export function GateSettingsForm() {
  const gates = useKeel((s) => s.pipelineGates);
  // Settings saved elsewhere (another window) start a fresh draft.
  return gates ? <GateForm key={JSON.stringify(gates)} gates={gates} /> : null;
}

function GateForm({ gates }: { gates: GateSettings }) {
  const { client, store } = useServices();
  const [draft, setDraft] = useState<Draft>(() => flatten(gates));
  const [message, setMessage] = useState<string | null>(null);

  const save = (): void => {
    client.invoke('pipeline.gates.set', { settings: settingsOf(draft) as Partial<GateSettings> }).then(
      (saved) => {
        store.getState().setPipelineGates(saved);
        setMessage('Saved');
      },
      (err: unknown) => setMessage(errorMessage(err)),
    );
  };

  return (
    <section className="panel pl-gates" aria-label="Gate settings">
      <div className="panel-title">Gates</div>
      <form
        className="pl-form"
        onSubmit={(e) => {
          e.preventDefault();
          save();
        }}
      >
        {NUMBERS.map(({ key, label }) => (
          <label key={key}>
            <span>{label}</span>
            <input aria-label={label} inputMode="decimal" value={String(draft[key] ?? '')} onChange={(e) => setDraft({ ...draft, [key]: e.target.value })} />
          </label>
        ))}
        <label>
          <span>Live venue</span>
          <input aria-label="Live venue" value={String(draft.liveVenue ?? '')} placeholder="the only ready one" onChange={(e) => setDraft({ ...draft, liveVenue: e.target.value })} />
        </label>
        {SWITCHES.map(({ key, label }) => (
          <label key={key} className="pl-switch">
            <input type="checkbox" checked={draft[key] === true} onChange={(e) => setDraft({ ...draft, [key]: e.target.checked })} />
            <span>{label}</span>
          </label>
        ))}
        <button type="submit" className="btn btn-xs btn-primary">
          Save gates
        </button>
      </form>
      {message && (
        <p className="pl-note" role="status">
          {message}
        </p>
      )}
    </section>
  );
}
