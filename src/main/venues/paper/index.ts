/**
 * The paper venue's public surface: the venue, its parts for composing one
 * (market sources, the exchange core, fill models, accounts), its store port
 * and its instruments. Test and benchmark helpers are imported from their
 * own modules, not from here.
 */
export { PaperVenue, DEFAULT_PAPER_BALANCE, DEFAULT_PAPER_SEED, type PaperVenueOptions } from './paperVenue';
export { PaperExchange, type PaperExchangeOptions } from './paperExchange';
export type { InstrumentMarket, Liquidity, MarketListing, MarketObserver, MarketScenario, MarketSource, MarketUpdate, TickBar, TradePrint } from './marketSource';
export { SyntheticMarketSource, type SyntheticMarketSourceOptions } from './syntheticMarketSource';
export { BarMarketSource, type BarInstrument, type BarMarketSourceOptions } from './barMarketSource';
export type { FillContext, FillModel, LiquidityRole, TradedInstrument } from './fillModel';
export { BookWalkFillModel } from './bookWalkFillModel';
export { NextBarOpenFillModel, type NextBarOpenFillModelOptions } from './nextBarOpenFillModel';
export { accountKindOf, type AccountFigures, type AccountKind, type ExchangeAccount } from './exchangeAccount';
export { MarginAccount } from './marginAccount';
export { CashAccount } from './cashAccount';
export {
  InMemoryPaperVenueStore,
  paperAccountRecordSchema,
  paperFillRecordSchema,
  paperMarketRecordSchema,
  paperOrderRecordSchema,
  type PaperAccountRecord,
  type PaperFillRecord,
  type PaperMarketRecord,
  type PaperOrderRecord,
  type PaperVenueStore,
} from './store';
export { PAPER_INSTRUMENTS, PAPER_VENUE_ID, instrumentMath, type InstrumentMath, type MarketParams, type PaperInstrumentSpec } from './instruments';
export { CONNECTION_DROPPED, INJECTED_FAILURE, NO_FAULTS, VenueConnectionError, type FaultConfig } from './faults';
