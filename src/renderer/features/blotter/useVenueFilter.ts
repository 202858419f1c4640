/**
 * A blotter's venue filter from the store, its rows narrowed by it, and
 * whether venues are shown at all: with a single venue (a fresh install on
 * paper) the column and the filter would only take width from the columns
 * that matter at 1280 px.
 */
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

/** Whether the blotters show a venue column and filter: only when there is more than one venue. */
export function useShowsVenues(): boolean {
  return useKeel((s) => s.venues.length > 1);
}
