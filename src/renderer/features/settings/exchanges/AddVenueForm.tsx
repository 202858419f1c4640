/**
 * Adds an exchange account as a venue: which exchange, demo or live, a label
 * and the instruments to trade. The venue comes up blocked until a key is
 * stored; its detail opens next, where the key goes.
 */
import { useId, useState } from 'react';
import { useServices } from '../../../stores/KeelProvider';
import { ErrorNote } from './ErrorNote';
import { EXCHANGE_CHOICES, checkAddVenue, type AddVenueDraft, type AddVenueField } from './exchangeForms';
import { useAction } from './useAction';

const EMPTY: AddVenueDraft = { exchange: 'binanceusdm', mode: 'demo', label: '', symbols: '' };

export function AddVenueForm({ onAdded, onCancel }: { onAdded(venue: string): void; onCancel(): void }) {
  const { client, store } = useServices();
  const [draft, setDraft] = useState<AddVenueDraft>(EMPTY);
  const [tried, setTried] = useState(false);
  const action = useAction();
  const ids = useId();
  const check = checkAddVenue(draft);
  const fieldError = (field: AddVenueField) => (tried && !check.ok ? check.errors[field] : undefined);
  const edit = (patch: Partial<AddVenueDraft>) => {
    setDraft((d) => ({ ...d, ...patch }));
    action.clear();
  };

  async function submit(): Promise<void> {
    setTried(true);
    if (!check.ok || action.busy) return;
    const { params } = check;
    await action.run(async () => {
      const view = await client.invoke('venues.add', params);
      store.getState().upsertVenue(view);
      store.getState().notify('success', `Added ${view.label} as ${view.id}. Store its API key to trade.`);
      onAdded(view.id);
    });
  }

  return (
    <form
      className="exch-form"
      aria-label="Add an exchange"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
      noValidate
      autoComplete="off"
    >
      <h3 className="exch-title">Add an exchange</h3>
      <div className="field-row">
        <div className="field">
          <label htmlFor={`${ids}-exchange`}>Exchange</label>
          <select id={`${ids}-exchange`} value={draft.exchange} onChange={(e) => edit({ exchange: e.target.value as AddVenueDraft['exchange'] })}>
            {EXCHANGE_CHOICES.map((x) => (
              <option key={x.id} value={x.id}>
                {x.label}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="field mode-choice">
          <legend>Mode</legend>
          <label className={`mode-option mode-option-demo ${draft.mode === 'demo' ? 'checked' : ''}`}>
            <input type="radio" name={`${ids}-mode`} value="demo" checked={draft.mode === 'demo'} onChange={() => edit({ mode: 'demo' })} />
            Demo
          </label>
          <label className={`mode-option mode-option-live ${draft.mode === 'live' ? 'checked' : ''}`}>
            <input type="radio" name={`${ids}-mode`} value="live" checked={draft.mode === 'live'} onChange={() => edit({ mode: 'live' })} />
            Live
          </label>
        </fieldset>
      </div>
      <p className={`field-help ${draft.mode === 'live' ? 'warn' : ''}`}>
        {draft.mode === 'demo'
          ? "Demo trades the exchange's demo account: its prices, no real money."
          : 'Live trades real money on the exchange as soon as a key is stored. Start on demo unless you mean it.'}
      </p>
      <div className="field">
        <label htmlFor={`${ids}-label`}>Label (optional)</label>
        <input
          id={`${ids}-label`}
          type="text"
          autoComplete="off"
          placeholder="the exchange's name"
          value={draft.label}
          aria-invalid={fieldError('label') !== undefined}
          aria-describedby={fieldError('label') ? `${ids}-label-error` : undefined}
          onChange={(e) => edit({ label: e.target.value })}
        />
        {fieldError('label') && (
          <p id={`${ids}-label-error`} className="field-error">
            {fieldError('label')}
          </p>
        )}
      </div>
      <div className="field">
        <label htmlFor={`${ids}-symbols`}>Instruments (optional)</label>
        <input
          id={`${ids}-symbols`}
          type="text"
          autoComplete="off"
          spellCheck={false}
          placeholder="BTC/USDT:USDT, ETH/USDT:USDT — empty for the usual perpetuals"
          value={draft.symbols}
          aria-invalid={fieldError('symbols') !== undefined}
          aria-describedby={fieldError('symbols') ? `${ids}-symbols-error` : `${ids}-symbols-help`}
          onChange={(e) => edit({ symbols: e.target.value })}
        />
        {fieldError('symbols') ? (
          <p id={`${ids}-symbols-error`} className="field-error">
            {fieldError('symbols')}
          </p>
        ) : (
          <p id={`${ids}-symbols-help`} className="field-help">
            Unified symbols, separated by commas. Empty: BTC, ETH, SOL and XRP perpetuals (and BNB on Binance).
          </p>
        )}
      </div>
      <ErrorNote error={action.error} />
      <div className="exch-actions">
        <button type="button" className="btn" onClick={onCancel} disabled={action.busy}>
          Cancel
        </button>
        <button type="submit" className="btn btn-primary" disabled={action.busy}>
          {action.busy ? 'Adding…' : 'Add venue'}
        </button>
      </div>
    </form>
  );
}
