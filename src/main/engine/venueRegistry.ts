/**
 * The venues the engine trades on, with their readiness. A venue accepts
 * orders only once it has been reconciled; until then, or when it cannot be,
 * it stays blocked with a reason the trader sees (fail closed).
 */
import type { Instrument, VenueStatus } from '../../shared/domain';
import { KeelError } from '../../shared/errors';
import type { VenuePort } from './ports/venue';

interface Entry {
  port: VenuePort;
  status: VenueStatus;
  instruments: Map<string, Instrument>;
}

export class VenueRegistry {
  private readonly entries = new Map<string, Entry>();

  add(port: VenuePort): void {
    this.entries.set(port.id, {
      port,
      status: { venue: port.id, state: 'connecting', reason: null, paper: port.paper },
      instruments: new Map(),
    });
  }

  /** A new connection for a venue already added: its instruments and status stay until the new one reports. */
  replacePort(port: VenuePort): void {
    const entry = this.entry(port.id);
    entry.port = port;
    entry.status = { ...entry.status, paper: port.paper };
  }

  remove(venue: string): void {
    this.entries.delete(venue);
  }

  ids(): string[] {
    return [...this.entries.keys()];
  }

  port(venue: string): VenuePort {
    return this.entry(venue).port;
  }

  setInstruments(venue: string, instruments: Instrument[]): void {
    this.entry(venue).instruments = new Map(instruments.map((i) => [i.symbol, i]));
  }

  instrument(venue: string, symbol: string): Instrument | undefined {
    return this.entries.get(venue)?.instruments.get(symbol);
  }

  requireInstrument(venue: string, symbol: string): Instrument {
    const instrument = this.instrument(venue, symbol);
    if (!instrument) throw new KeelError('NOT_FOUND', `${symbol} is not traded on ${venue}.`, { venue, symbol });
    return instrument;
  }

  instruments(venue?: string): Instrument[] {
    const entries = venue ? [this.entry(venue)] : [...this.entries.values()];
    return entries.flatMap((e) => [...e.instruments.values()]);
  }

  setStatus(venue: string, state: VenueStatus['state'], reason: string | null = null): VenueStatus {
    const entry = this.entry(venue);
    entry.status = { ...entry.status, state, reason };
    return entry.status;
  }

  status(venue: string): VenueStatus {
    return this.entry(venue).status;
  }

  statuses(): VenueStatus[] {
    return [...this.entries.values()].map((e) => e.status);
  }

  /** Throws unless the venue is reconciled and ready to trade. */
  requireReady(venue: string): VenuePort {
    const entry = this.entry(venue);
    if (entry.status.state !== 'ready') {
      const why = entry.status.reason ? `: ${entry.status.reason}` : '';
      throw new KeelError('VENUE_UNAVAILABLE', `${venue} is not ready for trading (${entry.status.state})${why}.`, {
        venue,
        state: entry.status.state,
      });
    }
    return entry.port;
  }

  private entry(venue: string): Entry {
    const entry = this.entries.get(venue);
    if (!entry) throw new KeelError('NOT_FOUND', `Unknown venue "${venue}".`, { venue });
    return entry;
  }
}
