import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec } from '../../../shared/decimal';
import type { Instrument } from '../../../shared/domain';
import { KeelError } from '../../../shared/errors';
import type { BreachAction, RiskConfig } from '../../../shared/risk';
import { openJournalDatabase } from '../../journal/database';
import { SqliteJournal } from '../../journal/sqliteJournal';
import { ActivityLog } from '../activity';
import { EventBus } from '../bus';
import { SimulatedClock } from '../ports/clock';
import { tradingDayStart } from './dailyReset';
import { defaultRiskConfig } from './profiles';
import { RiskGovernor } from './riskGovernor';

const d = Dec.parse;
const START = Date.parse('2026-11-20T12:00:00Z');

function setup(journal = new SqliteJournal(openJournalDatabase(':memory:')), clock = new SimulatedClock(START)) {
  const bus = new EventBus();
  const breaches: Array<{ action: BreachAction; reason: string }> = [];
  const states: string[] = [];
  bus.subscribe((topic, payload) => {
    if (topic === 'risk.state') states.push((payload as { state: string }).state);
  });
  const governor = new RiskGovernor({
    clock,
    journal,
    bus,
    activity: new ActivityLog(journal, bus, clock),
    instrument: (_v, symbol) => (symbol === 'BTC/USDT:USDT' ? ({ base: 'BTC', quote: 'USDT' } as Instrument) : undefined),
    onBreach: (action, reason) => breaches.push({ action, reason }),
  });
  governor.addVenue('paper', 'USDT');
  return { governor, journal, clock, breaches, states };
}

function config(account: Partial<RiskConfig['account']>, extra: Partial<RiskConfig> = {}): RiskConfig {
  const base = defaultRiskConfig('paper');
  return { ...base, account: { ...base.account, ...account }, ...extra };
}

describe('RiskGovernor state', () => {
  it('escalates, refuses to de-escalate without re-arm, and journals every change with its reason', () => {
    const { governor, states } = setup();
    expect(governor.state().state).toBe('ACTIVE');
    governor.escalate('REDUCING', 'manual', 'cooling off');
    expect(() => governor.escalate('REDUCING', 'manual', 'again')).not.toThrow();
    governor.escalate('HALTED', 'manual', 'done for the day');
    expect(() => governor.escalate('REDUCING', 'manual', 'x')).toThrow(KeelError);
    expect(governor.rearm().state).toBe('ACTIVE');
    expect(states).toEqual(['REDUCING', 'HALTED', 'ACTIVE']);
    expect(governor.history(10).map((c) => `${c.from}>${c.to}:${c.source}`)).toEqual([
      'HALTED>ACTIVE:rearm',
      'REDUCING>HALTED:manual',
      'ACTIVE>REDUCING:manual',
    ]);
  });

  it('HALTED survives a restart', () => {
    const first = setup();
    first.governor.latchHalted('emergency', 'Emergency stop (hotkey)');
    const second = setup(first.journal);
    expect(second.governor.state()).toMatchObject({ state: 'HALTED', reason: 'Emergency stop (hotkey)' });
  });

  it('refuses a config naming an instrument the venue does not trade', () => {
    const { governor } = setup();
    expect(() => governor.setConfig(config({}, { instruments: { 'DOGE/USDT:USDT': { maxOrderQuantity: '1', maxOrderNotional: null, maxPositionNotional: null, priceBandPercent: null } } }))).toThrow(/not traded/);
  });
});

describe('RiskGovernor loss monitors', () => {
  it('daily loss: just under passes, at the limit moves to the configured state', () => {
    const { governor } = setup();
    governor.setConfig(config({ dailyLossPercent: '5' }, { breachAction: 'REDUCING' }));
    governor.observeEquity('paper', d('10000'));
    governor.observeEquity('paper', d('9500.01'));
    expect(governor.state().state).toBe('ACTIVE');
    governor.observeEquity('paper', d('9500'));
    expect(governor.state()).toMatchObject({ state: 'REDUCING' });
    expect(governor.state().reason).toMatch(/Daily loss limit reached: down 500\.00 USDT \(5\.00%\) since 00:00 UTC; the limit is 5%/);
  });

  it('never moves the trading day back: a reset time moved earlier keeps the day being counted and its loss', () => {
    const clock = new SimulatedClock(Date.parse('2026-11-20T18:00:00Z'));
    const { governor } = setup(undefined, clock);
    governor.setConfig(config({ dailyLossAmount: '300' }, { dailyReset: { time: '17:00', timeZone: 'UTC' }, breachAction: 'HALTED' }));
    governor.observeEquity('paper', d('10000'));
    governor.observeEquity('paper', d('9800'));
    // 09:00 today is earlier than the 17:00 start being counted: still the same day, 200 down.
    governor.setConfig(config({ dailyLossAmount: '300' }, { dailyReset: { time: '09:00', timeZone: 'UTC' }, breachAction: 'HALTED' }));
    expect(governor.observeEquity('paper', d('9800')).dayStartEquity).toBe('10000');
    governor.observeEquity('paper', d('9700'));
    expect(governor.state().state).toBe('HALTED');
    // The next 09:00 starts a new day.
    clock.advanceTo(Date.parse('2026-11-21T09:00:00Z'));
    expect(governor.observeEquity('paper', d('9700')).dayStartEquity).toBe('9700');
  });

  it('daily loss counts from the reset time in the configured time zone', () => {
    const clock = new SimulatedClock(Date.parse('2026-11-20T21:00:00Z')); // 16:00 in New York
    const { governor } = setup(undefined, clock);
    governor.setConfig(config({ dailyLossAmount: '300' }, { dailyReset: { time: '17:00', timeZone: 'America/New_York' }, breachAction: 'HALTED' }));
    governor.observeEquity('paper', d('10000'));
    clock.advanceTo(Date.parse('2026-11-20T21:59:00Z'));
    governor.observeEquity('paper', d('9800'));
    // 17:00 New York = 22:00 UTC: a new trading day starts from 9800.
    clock.advanceTo(Date.parse('2026-11-20T22:00:00Z'));
    expect(governor.observeEquity('paper', d('9800')).dayStartEquity).toBe('9800');
    governor.observeEquity('paper', d('9501'));
    expect(governor.state().state).toBe('ACTIVE'); // 299 down today, though 499 down since yesterday
    governor.observeEquity('paper', d('9500'));
    expect(governor.state().state).toBe('HALTED');
  });

  it('trailing drawdown is measured from a high-water mark that never falls', () => {
    const { governor, breaches } = setup();
    governor.setConfig(config({ maxDrawdownPercent: '10' }, { breachAction: 'HALTED_FLATTEN' }));
    for (const e of ['10000', '11000', '10500', '12000', '11000']) governor.observeEquity('paper', d(e));
    expect(governor.usage('paper').highWaterMark).toBe('12000');
    governor.observeEquity('paper', d('10800.01'));
    expect(breaches).toHaveLength(0);
    governor.observeEquity('paper', d('10800'));
    expect(breaches).toHaveLength(1);
    expect(breaches[0]!.reason).toMatch(/10\.00% below the peak of 12000\.00/);
    governor.observeEquity('paper', d('10000'));
    expect(breaches).toHaveLength(1); // acted on once
  });

  it('will not re-arm into a limit that is still breached', () => {
    const { governor } = setup();
    governor.setConfig(config({ dailyLossAmount: '100' }, { breachAction: 'HALTED' }));
    governor.observeEquity('paper', d('1000'));
    governor.observeEquity('paper', d('850'));
    expect(governor.state().state).toBe('HALTED');
    expect(() => governor.rearm()).toThrow(/Cannot re-arm paper: Daily loss limit reached/);
    governor.setConfig(config({ dailyLossAmount: '500' }, { breachAction: 'HALTED' }));
    expect(governor.rearm().state).toBe('ACTIVE');
  });

  it('matches a reference implementation over random equity paths (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: -400, max: 400 }), fc.integer({ min: 1, max: 7_200_000 })), { minLength: 1, maxLength: 60 }),
        fc.integer({ min: 1, max: 20 }),
        fc.integer({ min: 1, max: 30 }),
        (steps, dailyPct, ddPct) => {
          const clock = new SimulatedClock(START);
          const { governor, breaches } = setup(undefined, clock);
          const reset = { time: '00:00', timeZone: 'UTC' };
          governor.setConfig(config({ dailyLossPercent: String(dailyPct), maxDrawdownPercent: String(ddPct) }, { breachAction: 'HALTED_FLATTEN' }));

          // Reference: plain numbers in cents, written independently.
          let equity = 1_000_000;
          let hwm = equity;
          let dayStart = tradingDayStart(clock.now(), reset);
          let dayEquity = equity;
          let expectedBreaches = 0;
          let handledDay: number | null = null;
          governor.observeEquity('paper', Dec.fromBigInt(BigInt(equity)).div(Dec.parse('100')));
          for (const [change, dt] of steps) {
            clock.advanceBy(dt);
            equity = Math.max(1, equity + change * 100);
            const day = tradingDayStart(clock.now(), reset);
            if (day !== dayStart) {
              dayStart = day;
              dayEquity = equity;
              handledDay = null;
            }
            hwm = Math.max(hwm, equity);
            const breached = (dayEquity - equity) * 100 >= dailyPct * dayEquity || (hwm - equity) * 100 >= ddPct * hwm;
            if (breached && handledDay !== dayStart) {
              expectedBreaches += 1;
              handledDay = dayStart;
            }
            const usage = governor.observeEquity('paper', Dec.fromBigInt(BigInt(equity)).div(Dec.parse('100')));
            expect(Number(usage.highWaterMark) * 100).toBeCloseTo(hwm, 6);
            expect(Number(usage.dayStartEquity) * 100).toBeCloseTo(dayEquity, 6);
          }
          expect(breaches.length).toBe(expectedBreaches);
        },
      ),
      { numRuns: 200 },
    );
  });
});
