/** The venue filter of one blotter: every venue, or one. */
import { useKeel } from '../../stores/KeelProvider';
import { selectVenueIds } from '../../stores/selectors';
import type { VenueFilteredBlotter } from '../../stores/ui';
import { useVenueFilter } from './useVenueFilter';

export function VenueFilter({ blotter, name }: { blotter: VenueFilteredBlotter; name: string }) {
  const venue = useVenueFilter(blotter);
  const venues = useKeel(selectVenueIds);
  const setVenue = useKeel((s) => s.setBlotterVenue);
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
