/**
 * Administration that only paper venues have: starting the account again
 * from a clean balance, and fault injection for testing the emergency stop
 * against a misbehaving venue. The composition root registers its paper
 * venues here; the engine itself knows nothing of paper accounts, it only
 * starts a venue's books again when told the venue's account was reset.
 */
import { Dec } from '../../shared/decimal';
import type { AccountSummary } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import type { Engine } from '../engine/engine';

export interface PaperFaults {
  orderFailureRate?: number;
  cancelFailureRate?: number;
  latencyMs?: number;
  disconnected?: boolean;
}

/** What a paper venue offers for administration. */
export interface AdministeredPaperVenue {
  readonly id: string;
  resetAccount(balance: string): Promise<void>;
  setFaults(faults: PaperFaults): void;
}

export const DEFAULT_PAPER_BALANCE = Dec.parse('10000');

export class PaperAdmin {
  private readonly venues = new Map<string, AdministeredPaperVenue>();

  constructor(
    private readonly engine: Engine,
    venues: readonly AdministeredPaperVenue[],
  ) {
    for (const venue of venues) this.venues.set(venue.id, venue);
  }

  /** Cancels every order on the paper venue and starts its account again; a real venue is refused. */
  async reset(venue: string | undefined, balance: Dec = DEFAULT_PAPER_BALANCE): Promise<AccountSummary> {
    const target = this.paperVenue(venue, 'only paper accounts can be reset');
    const result = await this.engine.cancelAll({ venue: target.id });
    if (result.failed.length > 0) {
      throw new KeelError('VENUE_UNAVAILABLE', `Could not cancel ${result.failed.length} order(s); the account was not reset.`, {
        failed: result.failed,
      });
    }
    await target.resetAccount(balance.toString());
    return this.engine.resetBooks(target.id, balance, `Paper account on ${target.id} reset`);
  }

  setFaults(faults: PaperFaults, venue?: string): void {
    const target = this.paperVenue(venue, 'fault injection is for paper venues');
    target.setFaults(faults);
    this.engine.activity.record('warning', 'system', `Paper venue ${target.id} fault injection set: ${JSON.stringify(faults)}`);
  }

  private paperVenue(venue: string | undefined, why: string): AdministeredPaperVenue {
    if (venue === undefined) {
      const [first] = this.venues.values();
      if (!first) throw new KeelError('INVALID_STATE', 'There is no paper venue.');
      return first;
    }
    const target = this.venues.get(venue);
    if (target) return target;
    // An unknown venue is NOT_FOUND; a real one is refused.
    if (!this.engine.venueStatuses().some((v) => v.venue === venue)) throw new KeelError('NOT_FOUND', `Unknown venue "${venue}".`, { venue });
    throw new KeelError('INVALID_STATE', `${venue} is a real venue; ${why}.`, { venue });
  }
}
