/**
 * Settings → Exchanges: the venues Keel runs (the built-in paper venue and
 * the exchange accounts added here) in a list, the chosen one's detail
 * beside it, and the form that adds an exchange.
 */
import { useState } from 'react';
import type { VenueView } from '../../../../shared/contract';
import { SCHEME_BADGE, VENUE_STATE_LABEL } from '../../../lib/venueScheme';
import { useKeel } from '../../../stores/KeelProvider';
import { AddVenueForm } from './AddVenueForm';
import { VenueDetail } from './VenueDetail';

const ADD = Symbol('add');

export function ExchangesSettings({ onClose }: { onClose(): void }) {
  const list = useKeel((s) => s.venueList);
  const [chosen, setChosen] = useState<string | typeof ADD | null>(null);
  const current = chosen === ADD ? ADD : (list.find((v) => v.id === chosen) ?? list.find((v) => v.removable) ?? list[0]);

  return (
    <div className="exchanges">
      <div className="exch-body">
        <nav className="exch-nav" aria-label="Venues">
          <ul className="exch-list">
            {list.map((v) => (
              <li key={v.id}>
                <VenueListItem view={v} current={current !== ADD && current?.id === v.id} onChoose={() => setChosen(v.id)} />
              </li>
            ))}
          </ul>
          <button type="button" className="btn exch-add" aria-pressed={current === ADD} onClick={() => setChosen(ADD)}>
            + Add exchange
          </button>
        </nav>
        <div className="exch-main">
          {current === ADD ? (
            <AddVenueForm onAdded={(id) => setChosen(id)} onCancel={() => setChosen(null)} />
          ) : current ? (
            <VenueDetail key={current.id} view={current} onRemoved={() => setChosen(null)} />
          ) : (
            <p className="muted">The host has not listed its venues yet (or does not serve Settings → Exchanges).</p>
          )}
        </div>
      </div>
      <div className="dialog-actions">
        <button type="button" className="btn" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}

function VenueListItem({ view, current, onChoose }: { view: VenueView; current: boolean; onChoose(): void }) {
  const state = useKeel((s) => s.venues.find((v) => v.venue === view.id)?.state) ?? view.status.state;
  return (
    <button type="button" className={`exch-item ${current ? 'current' : ''}`} aria-current={current ? 'true' : undefined} onClick={onChoose}>
      <span className="exch-item-top">
        <span className={`scheme-tag scheme-tag-${view.mode}`}>{SCHEME_BADGE[view.mode]}</span>
        <span className="exch-item-label">{view.label}</span>
      </span>
      <span className="exch-item-bottom">
        <span className="mono-id">{view.id}</span>
        <span className={`exch-item-state venue-${state}`}>{VENUE_STATE_LABEL[state]}</span>
      </span>
      {view.overrideUrl && <span className="exch-item-override">test server</span>}
    </button>
  );
}
