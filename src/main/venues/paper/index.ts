/**
 * The paper venue's public surface: the venue itself, its store port, its
 * instruments, and the pure matching core (for benchmarks and tests).
 */
export { PaperVenue, DEFAULT_PAPER_BALANCE, DEFAULT_PAPER_SEED, type PaperVenueOptions } from './paperVenue';
export { PaperAccount, type AccountFigures } from './paperAccount';
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
export { INJECTED_FAILURE, NO_FAULTS, type FaultConfig } from './faults';
export { MatchingBook, MatchingEngine, marketLimit, type BookOrder } from './matchingEngine';
export { PriceLadder, LadderLevel, type LadderNode } from './priceLadder';
export { FillBuffer, SyntheticBook, levelOffsets, type SyntheticBookParams } from './syntheticBook';
export { Prng, hashSeed } from './prng';
export { formatSteps, stepOf, toSteps, type Step } from './fixedPoint';
export { createMatchingBench, type MatchingBench, type MatchingBenchResult } from './matchingBench';
