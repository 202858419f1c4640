/** A blotter's venue filter from the store, and its rows narrowed by it. */
import { useMemo } from 'react';
import { useKeel } from '../../stores/KeelProvider';
import { selectVenueIds } from '../../stores/selectors';
import type { VenueFilteredBlotter } from '../../stores/ui';
import { effectiveVenueFilter, rowsOfVenue } from './venueFilter';

export function useVenueFilter(blotter: VenueFilteredBlotter): string | null {
  const chosen = useKeel((s) => s.blotterVenues[blotter]);
  const venues = useKeel(selectVenueIds);
  return effectiveVenueFilter(chosen, venues);
}

export function useVenueRows<T extends { venue: string }>(blotter: VenueFilteredBlotter, rows: readonly T[]): readonly T[] {
  const venue = useVenueFilter(blotter);
  return useMemo(() => rowsOfVenue(rows, venue), [rows, venue]);
}
