/**
 * Where venue execution reports wait until the venue call that produced them
 * has returned. A venue may report while `submit()` is still on the stack, or
 * inside its own store transaction; applying the report there would run
 * Keel's journal writes and every subscriber inside someone else's call.
 * Reports are queued instead and applied in arrival order:
 *
 * - right after the venue call returns, by the command that made it, so its
 *   answer reflects what the venue said (`drain`);
 * - otherwise as soon as the current stack unwinds (a microtask), for
 *   reports the venue sends on its own (a resting order filling).
 *
 * One drain is one journal transaction, each report inside it a savepoint: a
 * report that cannot be applied rolls back alone, and the events of the
 * others go out once the whole drain has committed.
 */
import type { ExecutionEvent } from '../ports/venue';
import type { EngineJournal } from '../ports/journal';
import type { Logger } from '../ports/logger';
import { errorText } from '../../../shared/errors';

export type ApplyReport = (venue: string, event: ExecutionEvent) => void;

export class ExecutionInbox {
  private readonly queue: Array<{ venue: string; event: ExecutionEvent }> = [];
  private draining = false;
  private scheduled = false;

  constructor(
    private readonly journal: EngineJournal,
    private readonly apply: ApplyReport,
    private readonly log: Logger,
    /** A report that could not be applied: Keel's books and the venue's may now differ (the venue is blocked until reconciled). */
    private readonly onFailure: (venue: string, why: string) => void = () => undefined,
  ) {}

  /** Takes a report from a venue; it is applied once the current stack has unwound, or at the next `drain`. */
  receive(venue: string, event: ExecutionEvent): void {
    this.queue.push({ venue, event });
    if (this.scheduled) return;
    this.scheduled = true;
    queueMicrotask(() => {
      this.scheduled = false;
      this.drain();
    });
  }

  get pending(): number {
    return this.queue.length;
  }

  /** Reports a failure; a failing handler is logged, never thrown into the microtask that drains. */
  private fail(venue: string, why: string): void {
    try {
      this.onFailure(venue, why);
    } catch (error) {
      this.log.error(`[orders] could not take ${venue} out of trading after: ${why}`, error);
    }
  }

  /** Applies every queued report, including those that arrive meanwhile. Not re-entrant: a nested call returns at once. */
  drain(): void {
    if (this.draining || this.queue.length === 0) return;
    this.draining = true;
    const taken: Array<{ venue: string; event: ExecutionEvent }> = [];
    try {
      this.journal.transaction(() => {
        for (let next = this.queue.shift(); next !== undefined; next = this.queue.shift()) {
          taken.push(next);
          const { venue, event } = next;
          try {
            this.journal.transaction(() => this.apply(venue, event));
          } catch (error) {
            // Rolled back alone; the others still apply. Keel may now disagree with the venue: fail closed there.
            const what = `${event.type} for ${event.type === 'FundingSettled' ? event.fundingId : event.clientOrderId}`;
            this.log.error(`[orders] ${what} on ${venue} could not be applied`, error);
            this.fail(venue, `${what} could not be recorded (${errorText(error)})`);
          }
        }
      });
    } catch (error) {
      // The transaction could not begin or commit: none of these reports is recorded, nor those still queued
      // (a BEGIN that fails takes none). Every venue they came from is blocked until reconciled.
      const lost = [...taken, ...this.queue.splice(0)];
      this.log.error('[orders] venue reports could not be recorded: the journal transaction did not begin or commit', error);
      for (const venue of new Set(lost.map((t) => t.venue))) this.fail(venue, `venue reports could not be recorded (${errorText(error)})`);
    } finally {
      this.draining = false;
    }
  }
}
