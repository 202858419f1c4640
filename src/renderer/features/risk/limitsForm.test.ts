import { describe, expect, it } from 'vitest';
import { NO_ACCOUNT_LIMITS } from '../../../shared/risk';
import { riskConfigSchema, type RiskConfig, type RiskProfile } from '../../../shared/risk';
import {
  ACCOUNT_FIELDS,
  INSTRUMENT_FIELDS,
  accountKey,
  applyProfile,
  checkField,
  checkLimitsForm,
  findProfile,
  formFromConfig,
  instrumentKey,
  isEditedFromProfile,
  normalizeTime,
} from './limitsForm';

const off = NO_ACCOUNT_LIMITS;

const config: RiskConfig = {
  venue: 'paper',
  profile: 'moderate',
  account: { ...off, maxOrderNotional: '50000', maxOpenOrders: 50, priceBandPercent: '5', dailyLossPercent: '3' },
  instruments: { 'BTC/USDT:USDT': { maxOrderQuantity: '2', maxOrderNotional: null, maxPositionNotional: null, priceBandPercent: '2.5' } },
  breachAction: 'HALTED',
  dailyReset: { time: '00:00', timeZone: 'UTC' },
};

const profiles: RiskProfile[] = [
  { id: 'moderate', name: 'Moderate', description: '', account: config.account, breachAction: 'HALTED' },
  {
    id: 'conservative',
    name: 'Conservative',
    description: '',
    account: { ...off, maxOrderNotional: '10000', maxOpenOrders: 20, dailyLossPercent: '1' },
    breachAction: 'HALTED_FLATTEN',
  },
];

describe('formFromConfig / checkLimitsForm', () => {
  it('round-trips a config through the form, with a row for every listed symbol', () => {
    const form = formFromConfig(config, ['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    expect(form.account.maxOrderNotional).toBe('50000');
    expect(form.account.maxOpenOrders).toBe('50');
    expect(form.account.maxDrawdownPercent).toBe('');
    expect(Object.keys(form.instruments)).toEqual(['BTC/USDT:USDT', 'ETH/USDT:USDT']);
    const check = checkLimitsForm(form);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    // Empty override rows are not sent; the config satisfies the contract's own schema.
    expect(check.config).toEqual(config);
    expect(riskConfigSchema.safeParse(check.config).success).toBe(true);
  });

  it('turns typed values into contract values: commas dropped, counts as integers, empty as off', () => {
    const form = formFromConfig(config, []);
    form.account.maxPositionNotional = ' 1,000,000 ';
    form.account.maxOrdersPerSecond = '5';
    form.account.priceBandPercent = '';
    form.instruments['BTC/USDT:USDT']!.maxOrderQuantity = '';
    form.instruments['BTC/USDT:USDT']!.priceBandPercent = '';
    form.resetTime = '9:30';
    form.timeZone = 'America/New_York';
    const check = checkLimitsForm(form);
    expect(check.ok).toBe(true);
    if (!check.ok) return;
    expect(check.config.account.maxPositionNotional).toBe('1000000');
    expect(check.config.account.maxOrdersPerSecond).toBe(5);
    expect(check.config.account.priceBandPercent).toBeNull();
    expect(check.config.instruments).toEqual({});
    expect(check.config.dailyReset).toEqual({ time: '09:30', timeZone: 'America/New_York' });
    expect(riskConfigSchema.safeParse(check.config).success).toBe(true);
  });

  it('refuses zero, negatives, words, fractional counts and percentages over 100, field by field, and sends nothing', () => {
    const form = formFromConfig(config, ['ETH/USDT:USDT']);
    form.account.maxOrderNotional = '0';
    form.account.maxOpenOrders = '2.5';
    form.account.dailyLossPercent = '101';
    form.account.dailyLossAmount = '-5';
    form.account.maxDrawdownPercent = 'ten';
    form.instruments['ETH/USDT:USDT']!.priceBandPercent = '150';
    form.resetTime = '24:00';
    form.timeZone = 'Mars/Olympus';
    const check = checkLimitsForm(form);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(Object.keys(check.errors).sort()).toEqual(
      [
        accountKey('maxOrderNotional'),
        accountKey('maxOpenOrders'),
        accountKey('dailyLossPercent'),
        accountKey('dailyLossAmount'),
        accountKey('maxDrawdownPercent'),
        instrumentKey('ETH/USDT:USDT', 'priceBandPercent'),
        'resetTime',
        'timeZone',
      ].sort(),
    );
    expect(check.errors[accountKey('dailyLossPercent')]).toMatch(/at most 100/);
    expect(check.errors[accountKey('maxOrderNotional')]).toMatch(/greater than 0/);
  });

  it('accepts exactly 100% and rejects anything above', () => {
    expect(checkField('percent', '100')).toEqual({ ok: true, value: '100' });
    expect(checkField('percent', '100.01').ok).toBe(false);
    expect(checkField('amount', '100.01')).toEqual({ ok: true, value: '100.01' });
    expect(checkField('count', '1,000')).toEqual({ ok: true, value: 1000 });
    expect(checkField('count', '0').ok).toBe(false);
  });
});

describe('profiles', () => {
  it('fills account limits and breach action from the chosen profile, keeping overrides and reset', () => {
    const form = applyProfile(formFromConfig(config, []), profiles[1]!);
    expect(form.profile).toBe('Conservative');
    expect(form.breachAction).toBe('HALTED_FLATTEN');
    expect(form.account.maxOrderNotional).toBe('10000');
    expect(form.account.priceBandPercent).toBe('');
    expect(form.instruments['BTC/USDT:USDT']?.maxOrderQuantity).toBe('2');
    expect(form.resetTime).toBe('00:00');
  });

  it('knows when the limits no longer match the profile they started from', () => {
    const form = formFromConfig(config, []);
    const moderate = findProfile(profiles, form.profile);
    expect(moderate?.name).toBe('Moderate');
    expect(findProfile(profiles, 'Conservative')?.id).toBe('conservative');
    expect(isEditedFromProfile(form, moderate)).toBe(false);
    // Same number written differently is not an edit.
    expect(isEditedFromProfile({ ...form, account: { ...form.account, maxOrderNotional: '50,000.0' } }, moderate)).toBe(false);
    expect(isEditedFromProfile({ ...form, account: { ...form.account, maxOpenOrders: '51' } }, moderate)).toBe(true);
    expect(isEditedFromProfile({ ...form, breachAction: 'REDUCING' }, moderate)).toBe(true);
    expect(isEditedFromProfile(form, undefined)).toBe(false);
  });
});

describe('labels', () => {
  it('never lets an instrument field name contain an account field label (one field per look-up)', () => {
    for (const f of INSTRUMENT_FIELDS) {
      for (const a of ACCOUNT_FIELDS) {
        expect(f.label('BTC/USDT:USDT').toLowerCase()).not.toContain(a.label.toLowerCase());
      }
    }
  });

  it('normalizes times of day', () => {
    expect(normalizeTime('7:05')).toBe('07:05');
    expect(normalizeTime('23:59')).toBe('23:59');
    expect(normalizeTime('23:60')).toBeNull();
    expect(normalizeTime('noon')).toBeNull();
  });
});
