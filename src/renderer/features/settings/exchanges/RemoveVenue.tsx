/**
 * Removes a venue after a confirmation. The engine refuses while the venue
 * holds open orders or positions, and says so; that refusal is shown as it
 * is written.
 */
import type { VenueView } from '../../../../shared/contract';
import { useServices } from '../../../stores/KeelProvider';
import { ConfirmedAction } from './ConfirmedAction';

export function RemoveVenue({ view, onRemoved }: { view: VenueView; onRemoved(): void }) {
  const { client, store } = useServices();
  return (
    <section className="exch-section exch-danger-zone" aria-label="Remove venue">
      <div className="exch-section-head">
        <h4>Remove</h4>
        <ConfirmedAction
          label="Remove venue…"
          title={`Remove ${view.id}?`}
          confirmLabel="Remove venue"
          run={async () => {
            await client.invoke('venues.remove', { venue: view.id });
            store.getState().dropVenue(view.id);
            store.getState().notify('info', `Removed ${view.id}.`);
            onRemoved();
          }}
        >
          <p>
            {view.label} stops trading in Keel and its API key is deleted from the keychain. Refused while it holds open orders or
            positions. Its history stays in the journal.
          </p>
        </ConfirmedAction>
      </div>
    </section>
  );
}
