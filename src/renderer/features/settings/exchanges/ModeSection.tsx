/**
 * Switches a venue between the exchange's demo account and live trading.
 * Going live asks the trader to type the venue's id (the engine refuses it
 * otherwise); going back to demo asks a plain confirmation. Either way the
 * venue is reconnected and reconciled before it trades again.
 */
import { useState } from 'react';
import type { VenueView } from '../../../../shared/contract';
import { ConfirmDialog } from '../../../components/ConfirmDialog';
import { TypedConfirmDialog } from '../../../components/TypedConfirmDialog';
import { useServices } from '../../../stores/KeelProvider';
import { confirms } from './exchangeForms';
import { ErrorNote } from './ErrorNote';
import { useAction } from './useAction';

export function ModeSection({ view }: { view: VenueView }) {
  const { client, store } = useServices();
  const [asking, setAsking] = useState(false);
  const action = useAction();
  const target = view.mode === 'live' ? 'demo' : 'live';

  async function switchMode(confirm?: string): Promise<void> {
    const error = await action.run(async () => {
      const next = await client.invoke('venues.setMode', { venue: view.id, mode: target, ...(confirm ? { confirm } : {}) });
      store.getState().upsertVenue(next);
      store.getState().notify(target === 'live' ? 'error' : 'info', `${view.id} now trades ${target === 'live' ? 'LIVE, with real money' : "on the exchange's demo account"}.`);
    });
    if (error === null) setAsking(false);
  }

  const open = () => {
    action.clear();
    setAsking(true);
  };

  return (
    <section className="exch-section" aria-label="Mode">
      <div className="exch-section-head">
        <h4>Mode</h4>
        <button type="button" className={target === 'live' ? 'btn btn-danger-outline' : 'btn'} onClick={open}>
          {target === 'live' ? 'Switch to live…' : 'Switch to demo…'}
        </button>
      </div>
      <p className="field-help">
        {view.mode === 'live'
          ? 'Live: orders on this venue use real money.'
          : "Demo: orders go to the exchange's demo account; no real money."}
      </p>
      <TypedConfirmDialog
        open={asking && target === 'live'}
        title={`Switch ${view.id} to live trading?`}
        expected={view.id}
        confirmLabel="Switch to live"
        busy={action.busy}
        error={action.error?.message ?? null}
        matches={confirms}
        onConfirm={(typed) => void switchMode(typed)}
        onCancel={() => setAsking(false)}
      >
        <p className="dialog-warn">
          From now on every order on {view.id}, from the ticket, a strategy or the emergency stop, uses real money on the exchange.
        </p>
        <p>The venue reconnects with its live account and is reconciled before it trades.</p>
      </TypedConfirmDialog>
      <ConfirmDialog
        open={asking && target === 'demo'}
        title={`Switch ${view.id} to demo?`}
        confirmLabel="Switch to demo"
        busy={action.busy}
        onCancel={() => setAsking(false)}
        onConfirm={() => void switchMode()}
      >
        <p>The venue reconnects to the exchange&apos;s demo account and is reconciled before it trades. Live orders stay on the exchange.</p>
        <ErrorNote error={action.error} />
      </ConfirmDialog>
    </section>
  );
}
