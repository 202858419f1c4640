/**
 * A blotter's venue filter: every venue, or one. A filter naming a venue
 * that has gone (removed in Settings → Exchanges) shows every venue again
 * rather than an empty table that looks like nothing is open.
 */

/** The filter in force: the chosen venue while it exists, else null (every venue). */
export function effectiveVenueFilter(chosen: string | null, venues: readonly string[]): string | null {
  return chosen !== null && venues.includes(chosen) ? chosen : null;
}

/** The rows of one venue, or all of them (the same array) when the filter is null. */
export function rowsOfVenue<T extends { venue: string }>(rows: readonly T[], venue: string | null): readonly T[] {
  return venue === null ? rows : rows.filter((r) => r.venue === venue);
}
