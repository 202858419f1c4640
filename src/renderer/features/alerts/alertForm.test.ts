import { describe, expect, it } from 'vitest';
import type { PriceAlert } from '../../../shared/contract';
import type { Instrument } from '../../../shared/domain';
import { EMPTY_ALERT_DRAFT, parseAlertForm } from './alertForm';
import { alertLineTitle, alertNotice, describeAlert } from './alertText';

const BTC = 'BTC/USDT:USDT';

describe('the alert form', () => {
  it('turns a crossing into params, the direction left to the engine unless chosen', () => {
    expect(parseAlertForm({ ...EMPTY_ALERT_DRAFT, price: ' 80,000.50 ' }, 'paper', BTC)).toEqual({
      ok: true,
      params: { kind: 'cross', venue: 'paper', symbol: BTC, price: '80000.5' },
    });
    expect(parseAlertForm({ ...EMPTY_ALERT_DRAFT, price: '79000', crossDirection: 'down', note: ' support ' }, 'paper', BTC)).toEqual({
      ok: true,
      params: { kind: 'cross', venue: 'paper', symbol: BTC, price: '79000', direction: 'down', note: 'support' },
    });
  });

  it('turns a move into params', () => {
    expect(parseAlertForm({ ...EMPTY_ALERT_DRAFT, kind: 'move', percent: '2.50', windowMinutes: '30', moveDirection: 'up' }, 'paper', BTC)).toEqual({
      ok: true,
      params: { kind: 'move', venue: 'paper', symbol: BTC, percent: '2.5', windowMinutes: 30, direction: 'up' },
    });
  });

  it('says what is wrong with each field', () => {
    expect(parseAlertForm({ ...EMPTY_ALERT_DRAFT, price: '-5' }, 'paper', BTC)).toEqual({ ok: false, problems: { price: expect.stringMatching(/above zero/) } });
    expect(parseAlertForm({ ...EMPTY_ALERT_DRAFT, price: '' }, 'paper', BTC)).toMatchObject({ ok: false });
    const move = parseAlertForm({ ...EMPTY_ALERT_DRAFT, kind: 'move', percent: '101', windowMinutes: '1.5', note: 'x'.repeat(201) }, 'paper', BTC);
    expect(move).toEqual({
      ok: false,
      problems: { percent: 'Move is at most 100 %', windowMinutes: expect.stringMatching(/whole number/), note: expect.stringMatching(/at most 200/) },
    });
    expect(parseAlertForm({ ...EMPTY_ALERT_DRAFT, kind: 'move', percent: 'abc', windowMinutes: '0' }, 'paper', BTC)).toMatchObject({
      ok: false,
      problems: { percent: expect.any(String), windowMinutes: expect.any(String) },
    });
  });
});

describe('alerts in words', () => {
  const inst = { tickSize: '0.1', lotSize: '0.001' } as Instrument;
  const base: PriceAlert = {
    id: 'a',
    venue: 'paper',
    symbol: BTC,
    kind: 'cross',
    direction: 'up',
    price: '80000',
    percent: null,
    windowMinutes: null,
    note: '',
    status: 'active',
    createdAt: 1,
    triggeredAt: null,
    triggerPrice: null,
    message: null,
  };

  it('describe what an alert waits for', () => {
    expect(describeAlert(base, inst)).toBe('Crosses up 80,000.0');
    expect(describeAlert({ ...base, kind: 'move', direction: 'either', price: null, percent: '2.5', windowMinutes: 15 }, inst)).toBe('Moves 2.5 % either way within 15 min');
    expect(alertLineTitle({ ...base, direction: 'down' })).toBe('ALERT ↓');
  });

  it('announce one that fired, with its note', () => {
    expect(alertNotice({ ...base, status: 'triggered', message: 'BTC/USDT:USDT rose to 80000 (last 80001.5)', note: 'breakout' })).toBe(
      'Price alert: BTC/USDT:USDT rose to 80000 (last 80001.5) — breakout',
    );
  });
});
