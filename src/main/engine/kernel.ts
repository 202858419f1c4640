/**
 * The one composition function: it builds the engine's components (bus and
 * outbox, command queue, order intake, risk stage, portfolio, market data,
 * venue lifecycle, emergency stop) around the parts a composition root
 * injects. Two roots call it: `createKeel` (live clock, SQLite journal,
 * random ids, real and paper venues) and `createBacktest` (simulated clock,
 * in-memory journal, sequential ids, a bar-fed exchange). Nothing inside
 * orders, risk, portfolio or market data knows which one it runs in.
 */
import { Engine, type Cadences } from './engine';
import type { Clock } from './ports/clock';
import type { IdGenerator } from './ports/ids';
import type { EngineJournal } from './ports/journal';
import type { Logger } from './ports/logger';
import type { VenuePort } from './ports/venue';
import type { VenueTimeouts } from './venueLifecycle';

export interface KernelParts {
  clock: Clock;
  journal: EngineJournal;
  ids: IdGenerator;
  venues: VenuePort[];
  cadences: Cadences;
  logger: Logger;
  /** The main thread's responsiveness, as the root can measure it; a backtest passes nothing. */
  eventLoopDelayMs?: () => number;
  venueTimeouts?: Partial<VenueTimeouts>;
  emergencyRetryDelaysMs?: readonly number[];
  emergencyFillWaitMs?: number;
}

export function composeKernel(parts: KernelParts): Engine {
  return new Engine({
    clock: parts.clock,
    journal: parts.journal,
    ids: parts.ids,
    venues: parts.venues,
    cadences: parts.cadences,
    logger: parts.logger,
    ...(parts.eventLoopDelayMs ? { eventLoopDelayMs: parts.eventLoopDelayMs } : {}),
    ...(parts.venueTimeouts ? { venueTimeouts: parts.venueTimeouts } : {}),
    ...(parts.emergencyRetryDelaysMs ? { emergencyRetryDelaysMs: parts.emergencyRetryDelaysMs } : {}),
    ...(parts.emergencyFillWaitMs === undefined ? {} : { emergencyFillWaitMs: parts.emergencyFillWaitMs }),
  });
}
