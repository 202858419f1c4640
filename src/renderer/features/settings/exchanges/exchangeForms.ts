/**
 * Settings → Exchanges, the pure part: the exchanges offered, the add-venue
 * and store-key forms' checks, the typed confirmations, and how a
 * connection test and a key's permissions read. The engine checks
 * everything again (the renderer is untrusted); these checks only catch
 * typing mistakes before anything is sent.
 */
import type { ConnectionTest, ExchangeIdName, KeyPermissions, MethodParams, VenueView } from '../../../../shared/contract';
import { symbol as symbolSchema } from '../../../../shared/domain';
import { KeelError } from '../../../../shared/errors';

export interface ExchangeChoice {
  id: ExchangeIdName;
  label: string;
  /** OKX keys come with a passphrase; the engine refuses one stored without it. */
  needsPassphrase: boolean;
}

export const EXCHANGE_CHOICES: readonly ExchangeChoice[] = [
  { id: 'binanceusdm', label: 'Binance USD-M', needsPassphrase: false },
  { id: 'bybit', label: 'Bybit', needsPassphrase: false },
  { id: 'okx', label: 'OKX', needsPassphrase: true },
];

export function exchangeChoice(id: VenueView['exchange']): ExchangeChoice | undefined {
  return EXCHANGE_CHOICES.find((e) => e.id === id);
}

/** The exchange's name as a trader knows it ("Paper" for the built-in venue). */
export function exchangeName(id: VenueView['exchange']): string {
  return exchangeChoice(id)?.label ?? 'Paper';
}

// ---- add a venue ------------------------------------------------------------

export interface AddVenueDraft {
  exchange: ExchangeIdName;
  mode: 'demo' | 'live';
  label: string;
  /** Unified symbols separated by commas, spaces or new lines; empty for the exchange's defaults. */
  symbols: string;
}

export type AddVenueField = 'label' | 'symbols';

export type AddVenueCheck =
  | { ok: true; params: MethodParams<'venues.add'> }
  | { ok: false; errors: Partial<Record<AddVenueField, string>> };

const MAX_LABEL = 60;
const MAX_SYMBOLS = 50;

/** The instruments as typed: upper-cased (ccxt's unified symbols are), duplicates dropped. */
export function parseSymbols(text: string): string[] {
  return [...new Set(text.split(/[\s,;]+/).filter(Boolean).map((s) => s.toUpperCase()))];
}

export function checkAddVenue(draft: AddVenueDraft): AddVenueCheck {
  const errors: Partial<Record<AddVenueField, string>> = {};
  const label = draft.label.trim();
  if (label.length > MAX_LABEL) errors.label = `A label is at most ${MAX_LABEL} characters (this one has ${label.length}).`;
  const symbols = parseSymbols(draft.symbols);
  const wrong = symbols.filter((s) => !symbolSchema.safeParse(s).success);
  if (wrong.length > 0) {
    errors.symbols = `${wrong.join(', ')} ${wrong.length === 1 ? 'is not a unified symbol' : 'are not unified symbols'}: write a perpetual as BTC/USDT:USDT.`;
  } else if (symbols.length > MAX_SYMBOLS) {
    errors.symbols = `At most ${MAX_SYMBOLS} instruments per venue (${symbols.length} given).`;
  }
  if (errors.label || errors.symbols) return { ok: false, errors };
  return {
    ok: true,
    params: { exchange: draft.exchange, mode: draft.mode, ...(label ? { label } : {}), ...(symbols.length > 0 ? { symbols } : {}) },
  };
}

// ---- store a key --------------------------------------------------------------

export interface KeyDraft {
  apiKey: string;
  secret: string;
  passphrase: string;
}

export type KeyField = keyof KeyDraft;

/** What the engine accepts for each part of a key (the contract's limit). */
const MAX_SECRET = 512;

const FIELD_NAME: Record<KeyField, string> = { apiKey: 'the API key', secret: 'the API secret', passphrase: 'the passphrase' };

/**
 * What is wrong with each field, if anything. Keys, secrets and passphrases
 * never hold spaces, so spaces around them (a copy-paste artefact) are
 * dropped; the checked values are what will be sent.
 */
export function checkKeyDraft(
  draft: KeyDraft,
  needsPassphrase: boolean,
): { ok: true; values: { apiKey: string; secret: string; passphrase?: string } } | { ok: false; errors: Partial<Record<KeyField, string>> } {
  const errors: Partial<Record<KeyField, string>> = {};
  const values = { apiKey: draft.apiKey.trim(), secret: draft.secret.trim(), passphrase: draft.passphrase.trim() };
  const fields: KeyField[] = needsPassphrase ? ['apiKey', 'secret', 'passphrase'] : ['apiKey', 'secret'];
  for (const field of fields) {
    const value = values[field];
    if (value === '') errors[field] = `Enter ${FIELD_NAME[field]}.`;
    else if (value.length > MAX_SECRET) errors[field] = `${capitalize(FIELD_NAME[field])} is longer than ${MAX_SECRET} characters; check what was pasted.`;
    else if (/\s/.test(value)) errors[field] = `${capitalize(FIELD_NAME[field])} has a space inside it; check what was pasted.`;
  }
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return { ok: true, values: { apiKey: values.apiKey, secret: values.secret, ...(needsPassphrase ? { passphrase: values.passphrase } : {}) } };
}

function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

// ---- typed confirmations --------------------------------------------------------

/** A step the engine will take only once the trader has typed `expected` (going live, storing a key that can withdraw). */
export interface ConfirmationAsked {
  expected: string;
  message: string;
}

/** The engine's CONFIRMATION_REQUIRED answer, with what must be typed; null for any other failure. */
export function confirmationAsked(error: unknown, fallback: string): ConfirmationAsked | null {
  if (!(error instanceof KeelError) || error.code !== 'CONFIRMATION_REQUIRED') return null;
  const data = error.data as { expected?: unknown } | undefined;
  return { expected: typeof data?.expected === 'string' ? data.expected : fallback, message: error.message };
}

/** Whether the typed text confirms: exactly the expected text, spaces around it aside. */
export function confirms(typed: string, expected: string): boolean {
  return expected !== '' && typed.trim() === expected;
}

// ---- key permissions and connection tests ---------------------------------------------

export type Tristate = 'yes' | 'no' | 'unknown';

export interface PermissionItem {
  name: string;
  value: Tristate;
  /** Whether this answer is the safe one (read and trade allowed, withdraw refused, an IP allow-list set). */
  good: boolean | null;
}

function tristate(value: boolean | null): Tristate {
  return value === null ? 'unknown' : value ? 'yes' : 'no';
}

export function permissionItems(p: KeyPermissions): PermissionItem[] {
  const item = (name: string, value: boolean | null, safe: boolean): PermissionItem => ({ name, value: tristate(value), good: value === null ? null : value === safe });
  return [item('Read', p.read, true), item('Trade', p.trade, true), item('Withdraw', p.withdraw, false), item('IP allow-list', p.ipRestricted, true)];
}

/** "The exchange's clock is 120 ms ahead" and the round trip, from a connection test. */
export function timingText(test: Pick<ConnectionTest, 'latencyMs' | 'clockSkewMs'>): string | null {
  const parts: string[] = [];
  if (test.latencyMs !== null) parts.push(`latency ${test.latencyMs} ms`);
  if (test.clockSkewMs !== null) {
    parts.push(test.clockSkewMs === 0 ? 'clocks agree' : `exchange clock ${Math.abs(test.clockSkewMs)} ms ${test.clockSkewMs > 0 ? 'ahead' : 'behind'}`);
  }
  return parts.length > 0 ? parts.join(' · ') : null;
}

export type StepOutcome = 'ok' | 'failed' | 'warning';

/** A step that failed in a test the engine still passed was only a warning (the exchange would not report a key's permissions, say). */
export function stepOutcome(step: { ok: boolean }, test: { ok: boolean }): StepOutcome {
  return step.ok ? 'ok' : test.ok ? 'warning' : 'failed';
}
