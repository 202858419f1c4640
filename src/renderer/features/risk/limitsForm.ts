/**
 * The risk-limits editor's model, kept pure so it is unit tested: the form
 * holds what the trader typed (strings; empty means the limit is off), is
 * filled from a config or a profile, and is checked and turned back into a
 * RiskConfig. The checks mirror the contract's (amounts and counts above
 * zero, percentages at most 100, a real time and time zone) so a mistake is
 * caught at the field before anything is sent; the host checks again.
 */
import type { AccountLimits, BreachAction, InstrumentLimits, RiskConfig, RiskProfile } from '../../../shared/risk';
import { parseUserDecimal } from '../../lib/numberInput';

type FieldKind = 'amount' | 'count' | 'percent';

export interface AccountField {
  key: keyof AccountLimits;
  label: string;
  kind: FieldKind;
  /** Suffix shown in the field; `$` stands for the settlement currency. */
  unit: string;
  help: string;
}

export const ACCOUNT_FIELDS: readonly AccountField[] = [
  { key: 'maxOrderNotional', label: 'Max order notional', kind: 'amount', unit: '$', help: 'Largest value of one order' },
  { key: 'maxPositionNotional', label: 'Max position notional', kind: 'amount', unit: '$', help: 'Largest position value per instrument, counting resting orders on the same side as filled' },
  { key: 'maxOpenOrders', label: 'Max open orders', kind: 'count', unit: 'orders', help: 'Working orders at once' },
  { key: 'maxOrdersPerSecond', label: 'Max orders per second', kind: 'count', unit: '/s', help: 'Order rate, per second' },
  { key: 'maxOrdersPerMinute', label: 'Max orders per minute', kind: 'count', unit: '/min', help: 'Order rate, per minute' },
  { key: 'priceBandPercent', label: 'Price band %', kind: 'percent', unit: '%', help: 'Limit or stop price this far from the mark is refused unless overridden' },
  { key: 'dailyLossPercent', label: 'Daily loss limit %', kind: 'percent', unit: '%', help: 'Loss since the daily reset, as a share of equity at the reset' },
  { key: 'dailyLossAmount', label: 'Daily loss limit amount', kind: 'amount', unit: '$', help: 'Loss since the daily reset, in the settlement currency' },
  { key: 'maxDrawdownPercent', label: 'Max drawdown %', kind: 'percent', unit: '%', help: 'Fall from the equity high-water mark' },
];

export interface InstrumentField {
  key: keyof InstrumentLimits;
  /** Column header. */
  column: string;
  kind: FieldKind;
  /**
   * Accessible name of the field for one symbol. Worded so it never contains
   * an account field's label ("Max order notional"), so a look-up by that
   * label finds exactly one field.
   */
  label(symbol: string): string;
}

export const INSTRUMENT_FIELDS: readonly InstrumentField[] = [
  { key: 'maxOrderQuantity', column: 'Max order qty', kind: 'amount', label: (s) => `Max order qty for ${s}` },
  { key: 'maxOrderNotional', column: 'Max order notional', kind: 'amount', label: (s) => `Max notional per order for ${s}` },
  { key: 'maxPositionNotional', column: 'Max position notional', kind: 'amount', label: (s) => `Max position value for ${s}` },
  { key: 'priceBandPercent', column: 'Price band %', kind: 'percent', label: (s) => `Price band for ${s} (%)` },
];

export const BREACH_ACTION_LABEL: Record<BreachAction, string> = {
  REDUCING: 'Reduce only — accept only orders that reduce exposure',
  HALTED: 'Halt — stop trading, accept only cancels',
  HALTED_FLATTEN: 'Halt and flatten — stop trading and close every position',
};

export type AccountForm = Record<keyof AccountLimits, string>;
export type InstrumentForm = Record<keyof InstrumentLimits, string>;

export interface LimitsForm {
  venue: string;
  profile: string;
  account: AccountForm;
  /** Every instrument shown in the editor, by symbol; all-empty rows are no override. */
  instruments: Record<string, InstrumentForm>;
  breachAction: BreachAction;
  resetTime: string;
  timeZone: string;
}

/** Field keys as errors are reported: "account.maxOpenOrders", "instrument.BTC/USDT.priceBandPercent", "resetTime", "timeZone". */
export type FieldErrors = Record<string, string>;

export const accountKey = (k: keyof AccountLimits) => `account.${k}`;
export const instrumentKey = (symbol: string, k: keyof InstrumentLimits) => `instrument.${symbol}.${k}`;

const text = (v: string | number | null | undefined): string => (v === null || v === undefined ? '' : String(v));

function accountForm(limits: AccountLimits): AccountForm {
  const out = {} as AccountForm;
  for (const f of ACCOUNT_FIELDS) out[f.key] = text(limits[f.key]);
  return out;
}

const EMPTY_INSTRUMENT: InstrumentForm = { maxOrderQuantity: '', maxOrderNotional: '', maxPositionNotional: '', priceBandPercent: '' };

/** The form for a config, with a row for every listed symbol (and any symbol the config already overrides). */
export function formFromConfig(config: RiskConfig, symbols: readonly string[]): LimitsForm {
  const instruments: Record<string, InstrumentForm> = {};
  for (const symbol of [...symbols, ...Object.keys(config.instruments)]) {
    const limits = config.instruments[symbol];
    const row = { ...EMPTY_INSTRUMENT };
    if (limits) for (const f of INSTRUMENT_FIELDS) row[f.key] = text(limits[f.key]);
    instruments[symbol] = row;
  }
  return {
    venue: config.venue,
    profile: config.profile,
    account: accountForm(config.account),
    instruments,
    breachAction: config.breachAction,
    resetTime: config.dailyReset.time,
    timeZone: config.dailyReset.timeZone,
  };
}

/** Choosing a profile fills the account limits and breach action; overrides and the daily reset stay. */
export function applyProfile(form: LimitsForm, profile: RiskProfile): LimitsForm {
  // The engine names a config's profile by the profile's name ("Standard"); ids are looked up too.
  return { ...form, profile: profile.name, account: accountForm(profile.account), breachAction: profile.breachAction };
}

/** The profile a config or form names (by id, or by name for configs saved with the name). */
export function findProfile(profiles: readonly RiskProfile[], name: string): RiskProfile | undefined {
  return profiles.find((p) => p.id === name) ?? profiles.find((p) => p.name === name);
}

/** True when the account limits or breach action differ from the named profile's. */
export function isEditedFromProfile(form: Pick<LimitsForm, 'account' | 'breachAction'>, profile: RiskProfile | undefined): boolean {
  if (!profile) return false;
  if (form.breachAction !== profile.breachAction) return true;
  const base = accountForm(profile.account);
  return ACCOUNT_FIELDS.some((f) => !sameValue(form.account[f.key], base[f.key]));
}

function sameValue(a: string, b: string): boolean {
  if (a.trim() === '' || b.trim() === '') return a.trim() === b.trim();
  const x = parseUserDecimal(a);
  const y = parseUserDecimal(b);
  return x !== null && y !== null ? x.eq(y) : a.trim() === b.trim();
}

const HUNDRED = parseUserDecimal('100')!;
const MAX_COUNT = 1_000_000;

/** One field's value: null (off), the value to send, or why it is refused. */
export function checkField(kind: FieldKind, raw: string): { ok: true; value: string | number | null } | { ok: false; error: string } {
  const t = raw.trim();
  if (t === '') return { ok: true, value: null };
  if (kind === 'count') {
    const n = Number(t.replace(/,/g, ''));
    if (!/^\d[\d,]*$/.test(t) || !Number.isSafeInteger(n)) return { ok: false, error: 'Must be a whole number greater than 0 (or empty for off).' };
    if (n <= 0) return { ok: false, error: 'Must be greater than 0 (or empty for off).' };
    if (n > MAX_COUNT) return { ok: false, error: `Must be at most ${MAX_COUNT.toLocaleString('en-US')}.` };
    return { ok: true, value: n };
  }
  const d = parseUserDecimal(t);
  if (!d) return { ok: false, error: 'Must be a number such as 2.5 (or empty for off).' };
  if (!d.isPositive()) return { ok: false, error: 'Must be greater than 0 (or empty for off).' };
  if (kind === 'percent' && d.gt(HUNDRED)) return { ok: false, error: 'A percentage must be at most 100.' };
  return { ok: true, value: d.toString() };
}

/** "9:30" -> "09:30"; null when it is not a time of day. */
export function normalizeTime(raw: string): string | null {
  const m = /^(\d{1,2}):(\d{2})$/.exec(raw.trim());
  if (!m) return null;
  const h = Number(m[1]);
  const min = Number(m[2]);
  if (h > 23 || min > 59) return null;
  return `${String(h).padStart(2, '0')}:${m[2]}`;
}

export function isTimeZone(zone: string): boolean {
  if (zone.trim() === '') return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone.trim() });
    return true;
  } catch {
    return false;
  }
}

export type LimitsCheck = { ok: true; config: RiskConfig } | { ok: false; errors: FieldErrors };

/** Checks every field; the config to send only when all pass (a refused form sends nothing). */
export function checkLimitsForm(form: LimitsForm): LimitsCheck {
  const errors: FieldErrors = {};
  const account = {} as Record<keyof AccountLimits, string | number | null>;
  for (const f of ACCOUNT_FIELDS) {
    const r = checkField(f.kind, form.account[f.key]);
    if (r.ok) account[f.key] = r.value;
    else errors[accountKey(f.key)] = r.error;
  }
  const instruments: Record<string, InstrumentLimits> = {};
  for (const [symbol, row] of Object.entries(form.instruments)) {
    const limits = {} as Record<keyof InstrumentLimits, string | null>;
    let any = false;
    for (const f of INSTRUMENT_FIELDS) {
      const r = checkField(f.kind, row[f.key]);
      if (!r.ok) {
        errors[instrumentKey(symbol, f.key)] = r.error;
        continue;
      }
      limits[f.key] = r.value === null ? null : String(r.value);
      if (r.value !== null) any = true;
    }
    if (any) instruments[symbol] = limits as InstrumentLimits;
  }
  const time = normalizeTime(form.resetTime);
  if (!time) errors.resetTime = 'Must be a time of day such as 00:00 or 17:30.';
  if (!isTimeZone(form.timeZone)) errors.timeZone = 'Must be an IANA time zone such as UTC or Europe/London.';
  if (Object.keys(errors).length > 0 || !time) return { ok: false, errors };
  return {
    ok: true,
    config: {
      venue: form.venue,
      profile: form.profile.slice(0, 64),
      account: account as AccountLimits,
      instruments,
      breachAction: form.breachAction,
      dailyReset: { time, timeZone: form.timeZone.trim() },
    },
  };
}
