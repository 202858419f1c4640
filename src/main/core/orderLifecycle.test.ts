import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { ORDER_STATUSES, isTerminalStatus, type OrderStatus } from '../../shared/domain';
import {
  applyOrderEvent,
  statusFromReport,
  type OrderLifecycleEdge,
  type OrderLifecycleEvent,
  type OrderLifecycleOutcome,
  type ReportedOrderStatus,
} from './orderLifecycle';

// The events, one per distinct shape the table must answer.
const cancelRequested: OrderLifecycleEvent = { type: 'OrderCancelRequested' };
const accepted: OrderLifecycleEvent = { type: 'OrderAccepted' };
const rejected: OrderLifecycleEvent = { type: 'OrderRejected' };
const triggered: OrderLifecycleEvent = { type: 'OrderTriggered' };
const partialFill: OrderLifecycleEvent = { type: 'OrderFilled', complete: false };
const completingFill: OrderLifecycleEvent = { type: 'OrderFilled', complete: true };
const canceled: OrderLifecycleEvent = { type: 'OrderCanceled' };
const expired: OrderLifecycleEvent = { type: 'OrderExpired' };
const cancelRefusedUnfilled: OrderLifecycleEvent = { type: 'OrderCancelRejected', anyFilled: false };
const cancelRefusedFilled: OrderLifecycleEvent = { type: 'OrderCancelRejected', anyFilled: true };
const amendRequested: OrderLifecycleEvent = { type: 'OrderAmendRequested' };
const amended: OrderLifecycleEvent = { type: 'OrderAmended', complete: false };
const amendedToFilled: OrderLifecycleEvent = { type: 'OrderAmended', complete: true };
const amendRefused: OrderLifecycleEvent = { type: 'OrderAmendRejected' };

const EVENTS = [
  cancelRequested,
  accepted,
  rejected,
  triggered,
  partialFill,
  completingFill,
  canceled,
  expired,
  cancelRefusedUnfilled,
  cancelRefusedFilled,
  amendRequested,
  amended,
  amendedToFilled,
  amendRefused,
];

type Expected = { to: OrderStatus; edge?: OrderLifecycleEdge } | 'ignore' | 'anomaly';

function label(event: OrderLifecycleEvent): string {
  if (event.type === 'OrderFilled') return event.complete ? 'a completing fill' : 'a partial fill';
  if (event.type === 'OrderCancelRejected') return event.anyFilled ? 'OrderCancelRejected (some filled)' : 'OrderCancelRejected (nothing filled)';
  if (event.type === 'OrderAmended') return event.complete ? 'OrderAmended (quantity all filled)' : 'OrderAmended';
  return event.type;
}

function check(outcome: OrderLifecycleOutcome, expected: Expected): void {
  if (expected === 'ignore' || expected === 'anomaly') {
    expect(outcome.kind).toBe(expected);
    if (outcome.kind !== 'apply') expect(outcome.reason.length).toBeGreaterThan(20);
  } else {
    expect(outcome).toEqual({ kind: 'apply', status: expected.to, edge: expected.edge ?? null });
  }
}

const answeredEvents = new Set<string>();

/** One scenario: each case names a status, an event and what must happen, written out here by hand. */
function scenario(name: string, cases: [OrderStatus, OrderLifecycleEvent, Expected][]): void {
  describe(name, () => {
    for (const [status, event, expected] of cases) {
      answeredEvents.add(`${status}|${label(event)}`);
      const shown = typeof expected === 'string' ? expected : `-> ${expected.to}${expected.edge ? ` (${expected.edge})` : ''}`;
      it(`${status} + ${label(event)}: ${shown}`, () => check(applyOrderEvent(status, event), expected));
    }
  });
}

describe('applyOrderEvent', () => {
  scenario('an order that is acknowledged, trades and ends', [
    ['pending_new', accepted, { to: 'open' }],
    ['open', partialFill, { to: 'partially_filled' }],
    ['partially_filled', partialFill, { to: 'partially_filled' }],
    ['partially_filled', completingFill, { to: 'filled' }],
    ['open', completingFill, { to: 'filled' }],
    ['open', cancelRequested, { to: 'pending_cancel' }],
    ['partially_filled', cancelRequested, { to: 'pending_cancel' }],
    ['pending_cancel', canceled, { to: 'canceled' }],
    ['open', expired, { to: 'expired' }],
    ['partially_filled', expired, { to: 'expired' }],
  ]);

  scenario('the venue answers before acknowledging', [
    ['pending_new', partialFill, { to: 'partially_filled' }],
    ['pending_new', completingFill, { to: 'filled' }],
    ['pending_new', rejected, { to: 'rejected' }],
    ['pending_new', canceled, { to: 'canceled' }], // IOC/FOK with nothing to trade
    ['pending_new', expired, { to: 'expired' }],
  ]);

  scenario('late or repeated acknowledgements change nothing', [
    ['open', accepted, 'ignore'],
    ['partially_filled', accepted, 'ignore'],
    ['pending_cancel', accepted, 'ignore'],
    ['filled', accepted, 'ignore'],
    ['canceled', accepted, 'ignore'],
    ['expired', accepted, 'ignore'],
  ]);

  scenario('a fill races a cancel request', [
    ['pending_cancel', partialFill, { to: 'partially_filled', edge: 'fill_during_cancel' }],
    ['pending_cancel', completingFill, { to: 'filled', edge: 'fill_during_cancel' }],
  ]);

  scenario('a fill arrives after the order ended', [
    ['canceled', partialFill, { to: 'canceled', edge: 'late_fill' }],
    ['canceled', completingFill, { to: 'filled', edge: 'late_fill' }],
    ['expired', partialFill, { to: 'expired', edge: 'late_fill' }],
    ['expired', completingFill, { to: 'filled', edge: 'late_fill' }],
    // After a report said "filled" the fills catch up; the last one completes the count.
    ['filled', partialFill, { to: 'filled' }],
    ['filled', completingFill, { to: 'filled' }],
  ]);

  scenario('cancel requests', [
    ['pending_cancel', cancelRequested, 'ignore'],
    ['pending_new', cancelRequested, 'anomaly'],
    ['filled', cancelRequested, 'anomaly'],
    ['canceled', cancelRequested, 'anomaly'],
    ['expired', cancelRequested, 'anomaly'],
    ['rejected', cancelRequested, 'anomaly'],
  ]);

  scenario('the venue refuses a cancel', [
    ['pending_cancel', cancelRefusedUnfilled, { to: 'open', edge: 'cancel_refused' }],
    ['pending_cancel', cancelRefusedFilled, { to: 'partially_filled', edge: 'cancel_refused' }],
    // Nothing waits for these refusals (e.g. "unknown order" after the order filled).
    ['pending_new', cancelRefusedUnfilled, 'ignore'],
    ['pending_new', cancelRefusedFilled, 'ignore'],
    ['open', cancelRefusedUnfilled, 'ignore'],
    ['open', cancelRefusedFilled, 'ignore'],
    ['partially_filled', cancelRefusedUnfilled, 'ignore'],
    ['partially_filled', cancelRefusedFilled, 'ignore'],
    ['filled', cancelRefusedUnfilled, 'ignore'],
    ['filled', cancelRefusedFilled, 'ignore'],
    ['canceled', cancelRefusedUnfilled, 'ignore'],
    ['canceled', cancelRefusedFilled, 'ignore'],
    ['expired', cancelRefusedUnfilled, 'ignore'],
    ['expired', cancelRefusedFilled, 'ignore'],
    ['rejected', cancelRefusedUnfilled, 'ignore'],
    ['rejected', cancelRefusedFilled, 'ignore'],
  ]);

  scenario('the venue cancels or expires an order on its own', [
    ['open', canceled, { to: 'canceled', edge: 'canceled_unrequested' }],
    ['partially_filled', canceled, { to: 'canceled', edge: 'canceled_unrequested' }],
    ['pending_cancel', expired, { to: 'expired' }],
  ]);

  scenario('rejections', [
    ['open', rejected, { to: 'rejected', edge: 'rejected_after_accept' }],
    ['pending_cancel', rejected, { to: 'rejected', edge: 'rejected_after_accept' }],
    ['partially_filled', rejected, 'anomaly'],
    ['filled', rejected, 'anomaly'],
    ['canceled', rejected, 'ignore'],
    ['expired', rejected, 'ignore'],
    ['rejected', rejected, 'ignore'],
  ]);

  scenario('a rejection is overturned by the venue', [
    ['rejected', accepted, { to: 'open', edge: 'reopened' }],
    ['rejected', partialFill, { to: 'partially_filled', edge: 'reopened' }],
    ['rejected', completingFill, { to: 'filled', edge: 'late_fill' }],
    ['rejected', canceled, { to: 'canceled' }],
    ['rejected', expired, { to: 'expired' }],
  ]);

  scenario('an order that ended stays ended', [
    ['filled', canceled, 'ignore'],
    ['filled', expired, 'ignore'],
    ['canceled', canceled, 'ignore'],
    ['canceled', expired, 'ignore'],
    ['expired', canceled, 'ignore'],
    ['expired', expired, 'ignore'],
  ]);

  scenario('a trigger never changes the status', [
    ['pending_new', triggered, { to: 'pending_new' }],
    ['open', triggered, { to: 'open' }],
    ['partially_filled', triggered, { to: 'partially_filled' }],
    ['pending_cancel', triggered, { to: 'pending_cancel' }],
    ['filled', triggered, { to: 'filled' }],
    ['canceled', triggered, { to: 'canceled' }],
    ['expired', triggered, { to: 'expired' }],
    ['rejected', triggered, { to: 'rejected' }],
  ]);

  scenario('amends of a working order keep its status', [
    ['open', amendRequested, { to: 'open' }],
    ['partially_filled', amendRequested, { to: 'partially_filled' }],
    ['open', amended, { to: 'open' }],
    ['partially_filled', amended, { to: 'partially_filled' }],
    ['open', amendRefused, { to: 'open' }],
    ['partially_filled', amendRefused, { to: 'partially_filled' }],
  ]);

  scenario('an amend that cuts the quantity to what has filled completes the order', [
    ['open', amendedToFilled, { to: 'filled' }],
    ['partially_filled', amendedToFilled, { to: 'filled' }],
    ['pending_cancel', amendedToFilled, { to: 'filled' }],
    ['pending_new', amendedToFilled, { to: 'filled' }],
  ]);

  scenario('an amend meets an order that is not working yet, or being cancelled', [
    ['pending_new', amendRequested, 'anomaly'],
    ['pending_cancel', amendRequested, 'anomaly'],
    ['pending_new', amended, { to: 'pending_new' }],
    ['pending_cancel', amended, { to: 'pending_cancel' }],
    ['pending_new', amendRefused, { to: 'pending_new' }],
    ['pending_cancel', amendRefused, { to: 'pending_cancel' }],
  ]);

  scenario('an amend of an order that ended changes nothing', [
    ['filled', amendRequested, 'anomaly'],
    ['canceled', amendRequested, 'anomaly'],
    ['expired', amendRequested, 'anomaly'],
    ['rejected', amendRequested, 'anomaly'],
    ['filled', amended, 'ignore'],
    ['canceled', amended, 'ignore'],
    ['expired', amended, 'ignore'],
    ['rejected', amended, 'ignore'],
    ['filled', amendedToFilled, 'ignore'],
    ['canceled', amendedToFilled, 'ignore'],
    ['expired', amendedToFilled, 'ignore'],
    ['rejected', amendedToFilled, 'ignore'],
    ['filled', amendRefused, 'ignore'],
    ['canceled', amendRefused, 'ignore'],
    ['expired', amendRefused, 'ignore'],
    ['rejected', amendRefused, 'ignore'],
  ]);

  it('the scenarios above answer every (status, event) pair', () => {
    const missing: string[] = [];
    for (const status of ORDER_STATUSES) {
      for (const event of EVENTS) if (!answeredEvents.has(`${status}|${label(event)}`)) missing.push(`${status} + ${label(event)}`);
    }
    expect(missing).toEqual([]);
    expect(answeredEvents.size).toBe(ORDER_STATUSES.length * EVENTS.length);
  });

  it('says in words which event met which status when it ignores or refuses', () => {
    const outcome = applyOrderEvent('filled', cancelRequested);
    expect(outcome).toEqual({ kind: 'anomaly', reason: 'OrderCancelRequested for a filled order: there is nothing left to cancel' });
    const late = applyOrderEvent('partially_filled', accepted);
    expect(late.kind === 'ignore' && late.reason).toBe('OrderAccepted for a partially filled order: a late acknowledgement: the venue reported a fill first');
  });
});

/** Folds events from `pending_new` the way an order manager would: only `apply` moves the status. */
function run(events: OrderLifecycleEvent[], from: OrderStatus = 'pending_new'): { status: OrderStatus; outcomes: OrderLifecycleOutcome[] } {
  let status = from;
  const outcomes: OrderLifecycleOutcome[] = [];
  for (const event of events) {
    const outcome = applyOrderEvent(status, event);
    outcomes.push(outcome);
    if (outcome.kind === 'apply') status = outcome.status;
  }
  return { status, outcomes };
}

describe('real-world edges', () => {
  it('a fill after a cancel request counts, and the cancel confirmation for the rest ends the order', () => {
    const { status, outcomes } = run([accepted, cancelRequested, partialFill, canceled]);
    expect(outcomes.map((o) => o.kind === 'apply' && o.status)).toEqual(['open', 'pending_cancel', 'partially_filled', 'canceled']);
    expect(status).toBe('canceled');
  });

  it('a fill that completes the order while the cancel is on its way makes it filled; the late cancel changes nothing', () => {
    const { status, outcomes } = run([accepted, cancelRequested, completingFill, canceled]);
    expect(outcomes[2]).toEqual({ kind: 'apply', status: 'filled', edge: 'fill_during_cancel' });
    expect(outcomes[3]?.kind).toBe('ignore');
    expect(status).toBe('filled');
  });

  it('a fill after the cancel was confirmed counts; the order is filled only if that completes it', () => {
    expect(run([accepted, cancelRequested, canceled, partialFill]).status).toBe('canceled');
    expect(run([accepted, cancelRequested, canceled, completingFill]).status).toBe('filled');
    expect(run([accepted, expired, completingFill]).outcomes[2]).toEqual({ kind: 'apply', status: 'filled', edge: 'late_fill' });
  });

  it('a late or duplicate acknowledgement after a fill leaves the fill standing', () => {
    const { status, outcomes } = run([partialFill, accepted, accepted, completingFill, accepted]);
    expect(outcomes.map((o) => o.kind)).toEqual(['apply', 'ignore', 'ignore', 'apply', 'ignore']);
    expect(status).toBe('filled');
  });

  it('repeated cancel requests keep one pending cancel', () => {
    const { status, outcomes } = run([accepted, cancelRequested, cancelRequested, cancelRequested]);
    expect(outcomes.slice(2).map((o) => o.kind)).toEqual(['ignore', 'ignore']);
    expect(status).toBe('pending_cancel');
  });

  it('a refused cancel puts the order back where its fills say', () => {
    expect(run([accepted, cancelRequested, cancelRefusedUnfilled]).status).toBe('open');
    expect(run([accepted, partialFill, cancelRequested, cancelRefusedFilled]).status).toBe('partially_filled');
    // A fill that raced the cancel already moved it; the refusal that follows changes nothing.
    const raced = run([accepted, cancelRequested, partialFill, cancelRefusedFilled]);
    expect(raced.status).toBe('partially_filled');
    expect(raced.outcomes[3]?.kind).toBe('ignore');
  });

  it('the venue canceling an open order nobody asked it to cancel is applied and named', () => {
    expect(run([accepted, canceled]).outcomes[1]).toEqual({ kind: 'apply', status: 'canceled', edge: 'canceled_unrequested' });
    expect(run([accepted, cancelRequested, canceled]).outcomes[2]).toEqual({ kind: 'apply', status: 'canceled', edge: null });
  });

  it('an order that expires while a cancel is waiting is expired', () => {
    expect(run([accepted, cancelRequested, expired]).status).toBe('expired');
  });

  it('a venue may reject an acknowledged order that has not traded, never one that has', () => {
    expect(run([accepted, triggered, rejected]).status).toBe('rejected');
    const traded = run([accepted, partialFill, rejected]);
    expect(traded.status).toBe('partially_filled');
    expect(traded.outcomes[2]?.kind).toBe('anomaly');
  });

  it('an acknowledgement while a cancel is waiting keeps the cancel waiting', () => {
    expect(run([accepted, cancelRequested, accepted]).status).toBe('pending_cancel');
  });

  it('a fill that races an amend counts; the amend that lands after it keeps the fill', () => {
    const { status, outcomes } = run([accepted, amendRequested, partialFill, amended]);
    expect(outcomes.map((o) => o.kind === 'apply' && o.status)).toEqual(['open', 'open', 'partially_filled', 'partially_filled']);
    expect(status).toBe('partially_filled');
    // A fill that completes the order before the amend lands: the amend changes nothing.
    expect(run([accepted, amendRequested, completingFill, amended]).outcomes[3]?.kind).toBe('ignore');
  });

  it('a rejection Keel inferred from a missing report is overturned when the venue acknowledges the order', () => {
    const inferred = statusFromReport('pending_new', undefined);
    expect(inferred).toEqual({ kind: 'apply', status: 'rejected', edge: 'never_received' });
    expect(run([accepted], 'rejected').outcomes[0]).toEqual({ kind: 'apply', status: 'open', edge: 'reopened' });
  });
});

describe('the order of events never revives an ended order, except a rejection overturned', () => {
  const anyEvent = fc.constantFrom(...EVENTS);

  it('over random event sequences', () => {
    fc.assert(
      fc.property(fc.array(anyEvent, { maxLength: 30 }), (events) => {
        let status: OrderStatus = 'pending_new';
        for (const event of events) {
          const outcome = applyOrderEvent(status, event);
          if (outcome.kind !== 'apply') continue;
          const next = outcome.status;
          if (isTerminalStatus(status) && !isTerminalStatus(next)) {
            expect(status).toBe('rejected');
            expect(outcome.edge).toBe('reopened');
          }
          if (status === 'filled') expect(next).toBe('filled');
          if (isTerminalStatus(status) && isTerminalStatus(next) && next !== status) {
            // One end replaces another only when a trade completes the order or the venue's word replaces a rejection.
            expect(next === 'filled' || status === 'rejected').toBe(true);
          }
          status = next;
        }
      }),
      { numRuns: 500, seed: 20240611 },
    );
  });

  it('from every status, for every event', () => {
    for (const status of ORDER_STATUSES) {
      for (const event of EVENTS) {
        const outcome = applyOrderEvent(status, event);
        if (outcome.kind === 'apply' && outcome.edge === 'reopened') expect(status).toBe('rejected');
        if (outcome.kind === 'apply' && isTerminalStatus(status) && !isTerminalStatus(outcome.status)) expect(outcome.edge).toBe('reopened');
      }
    }
  });
});

type ReportCase = [OrderStatus, ReportedOrderStatus | 'not found', Expected];
const answeredReports = new Set<string>();

function reportScenario(name: string, cases: ReportCase[], anyFilled = false): void {
  describe(name, () => {
    for (const [status, reported, expected] of cases) {
      answeredReports.add(`${status}|${reported}|${anyFilled}`);
      const shown = typeof expected === 'string' ? expected : `-> ${expected.to}${expected.edge ? ` (${expected.edge})` : ''}`;
      it(`${status} + ${reported}${anyFilled ? ' (some filled)' : ''}: ${shown}`, () =>
        check(statusFromReport(status, reported === 'not found' ? undefined : { status: reported, anyFilled }), expected));
    }
  });
}

describe('statusFromReport', () => {
  reportScenario('the venue answers for an order Keel has not heard back about', [
    ['pending_new', 'open', { to: 'open' }],
    ['pending_new', 'partially_filled', { to: 'partially_filled' }],
    ['pending_new', 'filled', { to: 'filled' }],
    ['pending_new', 'canceled', { to: 'canceled' }],
    ['pending_new', 'rejected', { to: 'rejected' }],
    ['pending_new', 'expired', { to: 'expired' }],
    ['pending_new', 'not found', { to: 'rejected', edge: 'never_received' }],
  ]);

  reportScenario('the venue agrees', [
    ['open', 'open', 'ignore'],
    ['partially_filled', 'partially_filled', 'ignore'],
    ['filled', 'filled', 'ignore'],
    ['canceled', 'canceled', 'ignore'],
    ['expired', 'expired', 'ignore'],
    ['rejected', 'rejected', 'ignore'],
  ]);

  reportScenario('a working order follows the venue', [
    ['open', 'partially_filled', { to: 'partially_filled' }],
    ['open', 'filled', { to: 'filled' }],
    ['open', 'canceled', { to: 'canceled', edge: 'canceled_unrequested' }],
    ['open', 'rejected', { to: 'rejected', edge: 'rejected_after_accept' }],
    ['open', 'expired', { to: 'expired' }],
    ['partially_filled', 'open', 'ignore'],
    ['partially_filled', 'filled', { to: 'filled' }],
    ['partially_filled', 'canceled', { to: 'canceled', edge: 'canceled_unrequested' }],
    ['partially_filled', 'rejected', 'anomaly'],
    ['partially_filled', 'expired', { to: 'expired' }],
  ]);

  reportScenario('an order Keel asked to cancel', [
    ['pending_cancel', 'open', { to: 'open', edge: 'cancel_lost' }],
    ['pending_cancel', 'partially_filled', { to: 'partially_filled', edge: 'cancel_lost' }],
    ['pending_cancel', 'filled', { to: 'filled', edge: 'fill_during_cancel' }],
    ['pending_cancel', 'canceled', { to: 'canceled' }],
    ['pending_cancel', 'rejected', { to: 'rejected', edge: 'rejected_after_accept' }],
    ['pending_cancel', 'expired', { to: 'expired' }],
  ]);

  reportScenario('the venue has no record', [
    ['open', 'not found', 'anomaly'],
    ['partially_filled', 'not found', 'anomaly'],
    ['pending_cancel', 'not found', 'anomaly'],
    ['filled', 'not found', 'ignore'],
    ['canceled', 'not found', 'ignore'],
    ['expired', 'not found', 'ignore'],
    ['rejected', 'not found', 'ignore'],
  ]);

  reportScenario('an order the venue said had ended', [
    ['filled', 'open', 'anomaly'],
    ['filled', 'partially_filled', 'anomaly'],
    ['filled', 'canceled', 'ignore'],
    ['filled', 'rejected', 'anomaly'],
    ['filled', 'expired', 'ignore'],
    ['canceled', 'open', 'anomaly'],
    ['canceled', 'partially_filled', 'anomaly'],
    ['canceled', 'filled', { to: 'filled', edge: 'late_fill' }],
    ['canceled', 'rejected', 'ignore'],
    ['canceled', 'expired', 'ignore'],
    ['expired', 'open', 'anomaly'],
    ['expired', 'partially_filled', 'anomaly'],
    ['expired', 'filled', { to: 'filled', edge: 'late_fill' }],
    ['expired', 'canceled', 'ignore'],
    ['expired', 'rejected', 'ignore'],
  ]);

  reportScenario('a rejection the venue does not confirm', [
    ['rejected', 'open', { to: 'open', edge: 'reopened' }],
    ['rejected', 'partially_filled', { to: 'partially_filled', edge: 'reopened' }],
    ['rejected', 'filled', { to: 'filled', edge: 'late_fill' }],
    ['rejected', 'canceled', { to: 'canceled' }],
    ['rejected', 'expired', { to: 'expired' }],
  ]);

  reportScenario(
    'a venue that calls a partly filled order "open"',
    [
      ['pending_new', 'open', { to: 'partially_filled' }],
      ['open', 'open', { to: 'partially_filled' }],
      ['partially_filled', 'open', 'ignore'],
      ['pending_cancel', 'open', { to: 'partially_filled', edge: 'cancel_lost' }],
      ['filled', 'open', 'anomaly'],
      ['canceled', 'open', 'anomaly'],
      ['expired', 'open', 'anomaly'],
      ['rejected', 'open', { to: 'partially_filled', edge: 'reopened' }],
    ],
    true,
  );

  it('the scenarios above answer every (status, report) pair, and every status reported "open" with fills', () => {
    const reports: (ReportedOrderStatus | 'not found')[] = ['open', 'partially_filled', 'filled', 'canceled', 'rejected', 'expired', 'not found'];
    const missing: string[] = [];
    for (const status of ORDER_STATUSES) {
      for (const reported of reports) if (!answeredReports.has(`${status}|${reported}|false`)) missing.push(`${status} + ${reported}`);
      if (!answeredReports.has(`${status}|open|true`)) missing.push(`${status} + open (some filled)`);
    }
    expect(missing).toEqual([]);
  });

  it('knowing about fills changes only how an "open" report is read', () => {
    const others: ReportedOrderStatus[] = ['partially_filled', 'filled', 'canceled', 'rejected', 'expired'];
    for (const status of ORDER_STATUSES) {
      for (const reported of others) {
        expect(statusFromReport(status, { status: reported, anyFilled: true })).toEqual(
          statusFromReport(status, { status: reported, anyFilled: false }),
        );
      }
    }
  });

  it('a report never revives an order the venue itself ended', () => {
    for (const status of ['filled', 'canceled', 'expired'] as const) {
      for (const reported of ['open', 'partially_filled'] as const) {
        for (const anyFilled of [false, true]) {
          expect(statusFromReport(status, { status: reported, anyFilled }).kind).toBe('anomaly');
        }
      }
    }
  });

  it('says in words what the venue reported', () => {
    expect(statusFromReport('open', undefined)).toEqual({
      kind: 'anomaly',
      reason: 'no record at the venue for an open order: the venue has no record of an order it acknowledged; ask again, then look on the venue',
    });
  });
});
