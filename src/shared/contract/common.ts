/**
 * What every fragment of the contract declares methods with: the scheduling
 * kind, the `method` constructor, and the small param and result shapes
 * several domains share (empty params, `{ ok: true }`, venue + symbol, pages).
 */
import { z } from 'zod';
import { symbol, venueId } from '../domain';

/**
 * How the host schedules a method: queries run at once; commands run one at a
 * time in arrival order; urgent commands (the emergency stop, escalating the
 * trading state) run at once, ahead of queued commands, because they only
 * ever stop trading and must not wait behind a slow venue.
 */
export type MethodKind = 'command' | 'query' | 'urgent';

export function method<P extends z.ZodType, R extends z.ZodType>(kind: MethodKind, params: P, result: R) {
  return { kind, params, result };
}

export const empty = z.object({}).strict();
export const ok = z.object({ ok: z.literal(true) });
export const venueSymbol = z.object({ venue: venueId, symbol }).strict();

/** Every page of a list answers at most this many rows; `nextCursor` fetches the next. */
export const MAX_PAGE_ROWS = 10_000;

/**
 * An opaque position in a list, returned as `nextCursor` and handed back to
 * continue after it. Keel makes them; clients only pass them on.
 */
export const cursorSchema = z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be a cursor returned by an earlier page');
