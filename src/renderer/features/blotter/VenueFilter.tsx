/** The venue filter of one blotter: every venue, or one (not shown while there is only one venue). */
import { useKeel } from '../../stores/KeelProvider';
import { selectVenueIds } from '../../stores/selectors';
import type { VenueFilteredBlotter } from '../../stores/ui';
import { useShowsVenues, useVenueFilter } from './useVenueFilter';

export function VenueFilter({ blotter, name }: { blotter: VenueFilteredBlotter; name: string }) {
  const venue = useVenueFilter(blotter);
  const venues = useKeel(selectVenueIds);
  const setVenue = useKeel((s) => s.setBlotterVenue);
  if (!useShowsVenues()) return null;
  return (
    <select
      className="venue-filter"
      aria-label={`${name}: venue`}
      title="Show every venue, or one"
      value={venue ?? ''}
      onChange={(e) => setVenue(blotter, e.target.value === '' ? null : e.target.value)}
    >
      <option value="">All venues</option>
      {venues.map((v) => (
        <option key={v} value={v}>
          {v}
        </option>
      ))}
    </select>
  );
}
