/**
 * How the order modules call a venue. A venue call has three outcomes:
 * refused, answered, or unknown (it threw, timed out, lost its answer). An
 * unknown outcome is resolved by asking the venue about the order, never by
 * sending the request again; `ResolveUnknown` is that question.
 */
export { errorText } from '../../../shared/errors';

/** Brings an order whose fate is unknown in line with the venue's own report of it. */
export type ResolveUnknown = (orderId: string, why: string) => Promise<void>;

/** Calls a venue; a venue that throws instead of rejecting is treated the same way. */
export function callVenue(request: () => Promise<void>): Promise<void> {
  try {
    return request();
  } catch (error) {
    return Promise.reject(error);
  }
}

