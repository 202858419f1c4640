/**
 * Typed errors that cross the contract: a stable `code` for programs to branch
 * on and a `message` a trader can read. Nothing else about a failure leaves
 * the engine.
 */

export const ERROR_CODES = [
  'VALIDATION_FAILED',
  'UNKNOWN_METHOD',
  'NOT_FOUND',
  'INVALID_STATE',
  'RISK_REJECTED',
  'INSUFFICIENT_MARGIN',
  'MIN_NOTIONAL',
  'INVALID_PRECISION',
  'REDUCE_ONLY_REJECTED',
  /** The position an order would leave is larger than its margin bracket allows at the symbol's leverage. */
  'LEVERAGE_BRACKET_EXCEEDED',
  /** A stop whose trigger is already crossed, sent without the trader's "trigger now" confirmation. */
  'WOULD_TRIGGER_IMMEDIATELY',
  'POST_ONLY_REJECTED',
  'NO_LIQUIDITY',
  'DUPLICATE_CLIENT_ORDER_ID',
  'VENUE_REJECTED',
  'VENUE_UNAVAILABLE',
  'HALTED',
  'REDUCING_ONLY',
  'UNAUTHORIZED',
  /** A step that needs the trader to type a confirmation (going live, a key that can withdraw). */
  'CONFIRMATION_REQUIRED',
  /** The OS keychain cannot be reached (locked, missing, no session bus); the message says what to do. */
  'KEYCHAIN_UNAVAILABLE',
  /** The mail server refused a message or could not be reached; `data` carries its answer. */
  'EMAIL_FAILED',
  'INTERNAL',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface KeelErrorShape {
  code: ErrorCode;
  message: string;
  data?: unknown;
}

export class KeelError extends Error implements KeelErrorShape {
  readonly code: ErrorCode;
  readonly data?: unknown;

  constructor(code: ErrorCode, message: string, data?: unknown) {
    super(message);
    this.name = 'KeelError';
    this.code = code;
    if (data !== undefined) this.data = data;
  }

  toShape(): KeelErrorShape {
    return this.data === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, data: this.data };
  }
}

/** A thrown value as text a log line or message can carry: an Error's message, anything else as a string. */
export function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Text from outside (a request, a thrown value) cut to `max` characters, saying how long it was. */
export function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length} chars)` : text;
}

/** A thrown value for a log line: an Error's stack (or name and message), anything else as text. Never throws itself. */
export function describeThrown(value: unknown): string {
  try {
    if (value instanceof Error) return value.stack ?? `${value.name}: ${value.message}`;
    return String(value);
  } catch {
    return 'a value that cannot be printed';
  }
}
