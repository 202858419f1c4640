/**
 * The ticket's venue: which venue the order goes to, with its PAPER / DEMO /
 * LIVE badge beside it. Picking one selects it for the whole workstation
 * (header, chart, book and watchlist follow), keeping the symbol when the
 * venue trades it.
 */
import { SCHEME_BADGE, SCHEME_TITLE } from '../../lib/venueScheme';
import { useKeel } from '../../stores/KeelProvider';
import { selectVenueIds, selectVenueScheme } from '../../stores/selectors';

export function TicketVenue() {
  const venues = useKeel(selectVenueIds);
  const venue = useKeel((s) => s.venue);
  const scheme = useKeel(selectVenueScheme);
  const chooseVenue = useKeel((s) => s.chooseVenue);
  return (
    <span className="ticket-venue">
      <select aria-label="Venue" value={venue ?? ''} onChange={(e) => chooseVenue(e.target.value)}>
        {venues.length === 0 && <option value="">—</option>}
        {venues.map((v) => (
          <option key={v} value={v}>
            {v}
          </option>
        ))}
      </select>
      {scheme && (
        <span className={`scheme-tag scheme-tag-${scheme}`} title={SCHEME_TITLE[scheme]}>
          {SCHEME_BADGE[scheme]}
        </span>
      )}
    </span>
  );
}
