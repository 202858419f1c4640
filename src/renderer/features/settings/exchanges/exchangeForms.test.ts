import { describe, expect, it } from 'vitest';
import { KeelError } from '../../../../shared/errors';
import {
  checkAddVenue,
  checkKeyDraft,
  confirmationAsked,
  confirms,
  exchangeName,
  parseSymbols,
  permissionItems,
  stepOutcome,
  timingText,
  type AddVenueDraft,
} from './exchangeForms';

const draft: AddVenueDraft = { exchange: 'binanceusdm', mode: 'demo', label: '', symbols: '' };

describe('checkAddVenue', () => {
  it("sends only what was given: the exchange's defaults stand for an empty label and instrument list", () => {
    expect(checkAddVenue(draft)).toEqual({ ok: true, params: { exchange: 'binanceusdm', mode: 'demo' } });
  });

  it('reads instruments separated by commas, spaces or lines, upper-cased and once each', () => {
    const check = checkAddVenue({ ...draft, label: '  Main account ', symbols: 'btc/usdt:usdt, ETH/USDT:USDT\nBTC/USDT:USDT' });
    expect(check).toEqual({
      ok: true,
      params: { exchange: 'binanceusdm', mode: 'demo', label: 'Main account', symbols: ['BTC/USDT:USDT', 'ETH/USDT:USDT'] },
    });
  });

  it('names the instruments that are not unified symbols', () => {
    const check = checkAddVenue({ ...draft, symbols: 'BTCUSDT, ETH/USDT:USDT, SOL-PERP' });
    expect(check.ok).toBe(false);
    if (!check.ok) expect(check.errors.symbols).toMatch(/^BTCUSDT, SOL-PERP are not unified symbols/);
  });

  it('refuses a label longer than the engine keeps and more instruments than a venue takes', () => {
    const many = Array.from({ length: 51 }, (_, i) => `C${i}/USDT:USDT`).join(',');
    const check = checkAddVenue({ ...draft, label: 'x'.repeat(61), symbols: many });
    expect(check).toEqual({ ok: false, errors: { label: expect.stringMatching(/at most 60/), symbols: expect.stringMatching(/At most 50 .*51 given/) } });
  });

  it('parses nothing from blank text', () => {
    expect(parseSymbols(' ,\n ')).toEqual([]);
  });
});

describe('checkKeyDraft', () => {
  it('asks for every part the exchange needs: a passphrase only for OKX-style keys', () => {
    expect(checkKeyDraft({ apiKey: '', secret: '', passphrase: '' }, false)).toEqual({
      ok: false,
      errors: { apiKey: 'Enter the API key.', secret: 'Enter the API secret.' },
    });
    expect(checkKeyDraft({ apiKey: 'k', secret: 's', passphrase: '' }, true)).toEqual({ ok: false, errors: { passphrase: 'Enter the passphrase.' } });
  });

  it('drops spaces around what was pasted and sends no passphrase where none is needed', () => {
    expect(checkKeyDraft({ apiKey: ' key1234 ', secret: '\tsec\n', passphrase: 'ignored' }, false)).toEqual({ ok: true, values: { apiKey: 'key1234', secret: 'sec' } });
    expect(checkKeyDraft({ apiKey: 'k', secret: 's', passphrase: ' p ' }, true)).toEqual({ ok: true, values: { apiKey: 'k', secret: 's', passphrase: 'p' } });
  });

  it('refuses a space inside a key and one longer than the engine takes, without echoing it', () => {
    const check = checkKeyDraft({ apiKey: 'ab cd', secret: 'y'.repeat(513), passphrase: '' }, false);
    expect(check.ok).toBe(false);
    if (check.ok) return;
    expect(check.errors.apiKey).toBe('The API key has a space inside it; check what was pasted.');
    expect(check.errors.secret).toMatch(/longer than 512/);
    expect(JSON.stringify(check.errors)).not.toContain('ab cd');
  });
});

describe('typed confirmations', () => {
  it("reads what to type from the engine's CONFIRMATION_REQUIRED answer", () => {
    const error = new KeelError('CONFIRMATION_REQUIRED', 'Type the id', { venue: 'okx-demo', expected: 'okx-demo' });
    expect(confirmationAsked(error, 'fallback')).toEqual({ expected: 'okx-demo', message: 'Type the id' });
    expect(confirmationAsked(new KeelError('CONFIRMATION_REQUIRED', 'Type it'), 'okx-demo')).toEqual({ expected: 'okx-demo', message: 'Type it' });
  });

  it('is not fooled by any other failure', () => {
    expect(confirmationAsked(new KeelError('KEYCHAIN_UNAVAILABLE', 'no keychain'), 'x')).toBeNull();
    expect(confirmationAsked(new Error('CONFIRMATION_REQUIRED'), 'x')).toBeNull();
  });

  it('confirms on the exact id only', () => {
    expect(confirms(' okx-demo ', 'okx-demo')).toBe(true);
    expect(confirms('OKX-DEMO', 'okx-demo')).toBe(false);
    expect(confirms('okx-dem', 'okx-demo')).toBe(false);
    expect(confirms('', '')).toBe(false);
  });
});

describe('reading a key and a test', () => {
  it('marks each permission safe or not, and unknown when the exchange did not say', () => {
    expect(permissionItems({ read: true, trade: true, withdraw: true, ipRestricted: null })).toEqual([
      { name: 'Read', value: 'yes', good: true },
      { name: 'Trade', value: 'yes', good: true },
      { name: 'Withdraw', value: 'yes', good: false },
      { name: 'IP allow-list', value: 'unknown', good: null },
    ]);
    expect(permissionItems({ read: true, trade: false, withdraw: false, ipRestricted: false }).map((p) => p.good)).toEqual([true, false, true, false]);
  });

  it('says the latency and which way the clocks differ', () => {
    expect(timingText({ latencyMs: 42, clockSkewMs: -130 })).toBe('latency 42 ms · exchange clock 130 ms behind');
    expect(timingText({ latencyMs: null, clockSkewMs: 5 })).toBe('exchange clock 5 ms ahead');
    expect(timingText({ latencyMs: 3, clockSkewMs: 0 })).toBe('latency 3 ms · clocks agree');
    expect(timingText({ latencyMs: null, clockSkewMs: null })).toBeNull();
  });

  it('reads a failed step of a passing test as a warning, and of a failing one as a failure', () => {
    expect(stepOutcome({ ok: true }, { ok: false })).toBe('ok');
    expect(stepOutcome({ ok: false }, { ok: true })).toBe('warning');
    expect(stepOutcome({ ok: false }, { ok: false })).toBe('failed');
  });

  it('names exchanges as traders know them', () => {
    expect([exchangeName('binanceusdm'), exchangeName('okx'), exchangeName('paper')]).toEqual(['Binance USD-M', 'OKX', 'Paper']);
  });
});
