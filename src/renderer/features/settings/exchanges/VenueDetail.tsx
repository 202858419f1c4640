/**
 * One venue in Settings → Exchanges: what it is (exchange, label, id, demo
 * or live), its state and the reason, whether it talks to a test server
 * instead of the exchange, and its key, connection test, mode and removal.
 * The built-in paper venue has none of those.
 */
import type { VenueView } from '../../../../shared/contract';
import { SCHEME_BADGE, SCHEME_TITLE, VENUE_STATE_LABEL } from '../../../lib/venueScheme';
import { useKeel } from '../../../stores/KeelProvider';
import { ConnectionTestSection } from './ConnectionTestSection';
import { DeleteKey } from './DeleteKey';
import { exchangeChoice, exchangeName } from './exchangeForms';
import { KeyForm } from './KeyForm';
import { KeyStatus } from './KeyStatus';
import { ModeSection } from './ModeSection';
import { RemoveVenue } from './RemoveVenue';

export function VenueDetail({ view, onRemoved }: { view: VenueView; onRemoved(): void }) {
  const credentials = useKeel((s) => s.credentials[view.id]);
  // The list's status is as of the last change; health events keep the state current between changes.
  const status = useKeel((s) => s.venues.find((v) => v.venue === view.id)) ?? view.status;
  const exchange = exchangeName(view.exchange);
  return (
    <section className={`exch-detail exch-detail-${view.mode}`} aria-label={`Venue ${view.id}`}>
      <header className="exch-detail-head">
        <div className="exch-detail-name">
          <h3 className="exch-title">{view.label}</h3>
          <div className="muted">
            {exchange} · <span className="mono-id">{view.id}</span>
          </div>
        </div>
        <span className={`scheme-badge scheme-badge-${view.mode}`} title={SCHEME_TITLE[view.mode]}>
          {SCHEME_BADGE[view.mode]}
        </span>
      </header>
      {view.overrideUrl && (
        <div className="exch-override" role="note" aria-label="Test server">
          <strong>Test server, not {exchange}:</strong> this venue talks to <code>{view.overrideUrl}</code> instead of the exchange
          (started with --venue-url). Nothing it does reaches the real exchange.
        </div>
      )}
      <div className="exch-status" role="status" aria-label="Venue state">
        <span className={`venue-state venue-${status.state}`}>{VENUE_STATE_LABEL[status.state]}</span>
        <span className="exch-reason">{status.reason ?? (status.state === 'ready' ? 'Reconciled and open for trading.' : '')}</span>
      </div>
      <p className="exch-symbols">
        <span className="muted">Instruments </span>
        {view.symbols.join(', ')}
      </p>
      {view.exchange === 'paper' ? (
        <p className="field-help">The built-in simulated market: no exchange, no API key, no real money. It cannot be removed.</p>
      ) : (
        <>
          <section className="exch-section" aria-label="API key">
            <div className="exch-section-head">
              <h4>API key</h4>
              {credentials?.stored && <DeleteKey venue={view.id} />}
            </div>
            <KeyStatus status={credentials} />
            <KeyForm venue={view.id} needsPassphrase={exchangeChoice(view.exchange)?.needsPassphrase ?? false} replacing={credentials?.stored ?? false} />
          </section>
          <ConnectionTestSection venue={view.id} />
          <ModeSection view={view} />
          <RemoveVenue view={view} onRemoved={onRemoved} />
        </>
      )}
    </section>
  );
}
