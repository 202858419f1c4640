/**
 * Values per instrument (venue, symbol) for the engine's hot paths: marks,
 * tickers, live candles. Two map lookups, no key string built per access and
 * no validation: the venue and symbol come from instruments the engine
 * already holds (ids are checked where they enter, by the contract).
 */
export class InstrumentMap<T> {
  private readonly byVenue = new Map<string, Map<string, T>>();

  get(venue: string, symbol: string): T | undefined {
    return this.byVenue.get(venue)?.get(symbol);
  }

  set(venue: string, symbol: string, value: T): void {
    let symbols = this.byVenue.get(venue);
    if (!symbols) {
      symbols = new Map();
      this.byVenue.set(venue, symbols);
    }
    symbols.set(symbol, value);
  }

  /** Forgets everything held for a venue (it was removed). */
  deleteVenue(venue: string): void {
    this.byVenue.delete(venue);
  }
}
