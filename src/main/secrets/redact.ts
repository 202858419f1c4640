/**
 * Keeps secrets out of text that leaves the main process's memory: log
 * lines (ccxt's included), error messages from a keyed venue, anything an
 * error report might carry. Two nets:
 *
 * - registered secrets: every exact occurrence of a secret the redactor was
 *   given, and of its URL-encoded, base64 and JSON-escaped forms, whatever
 *   field it sits in;
 * - credential-named fields: the value of a field or parameter named like a
 *   credential (`signature=` in a query string, an `X-MBX-APIKEY` header,
 *   `apiKey`, `secret`, `passphrase`, `password`...), whatever the value is,
 *   so a key the redactor was never told about still does not get out.
 *
 * Both replace with `[redacted]`. Redacting too much is the safe failure.
 */

export const REDACTED = '[redacted]';

export interface Redactor {
  /** Registers a secret; adding the same one twice needs two removes (two venues may share a passphrase). */
  add(secret: string): void;
  remove(secret: string): void;
  /** `text` with every registered secret and credential-named field value replaced. */
  redact(text: string): string;
  /**
   * A redacted deep copy of `value` for a log or an error report: strings
   * redacted, credential-named fields blanked, Errors kept as Errors of the
   * same class with message, stack, cause and own fields redacted. Safe on
   * cycles ("[Circular]"), getters that throw ("[unreadable]") and very deep
   * values ("[too deep]"). Never changes `value` itself.
   */
  redactValue(value: unknown): unknown;
}

/**
 * Field names whose value is always a credential. Compared after dropping
 * case, "-" and "_": "X-MBX-APIKEY", "api_key" and "apiKey" are one name.
 */
const CREDENTIAL_FIELDS = new Set([
  'apikey',
  'apisecret',
  'secret',
  'secretkey',
  'passphrase',
  'password',
  'signature',
  // Binance, OKX and Bybit request headers.
  'xmbxapikey',
  'okaccesskey',
  'okaccesssign',
  'okaccesspassphrase',
  'xbapiapikey',
  'xbapisign',
]);

function isCredentialField(name: string): boolean {
  return CREDENTIAL_FIELDS.has(name.toLowerCase().replace(/[-_]/g, ''));
}

/**
 * A credential-named field in text, in the forms logs carry it: `name=value`
 * (query strings, form bodies), `name: value` (headers), JSON `"name":"value"`
 * and util.inspect `name: 'value'`. The value is a quoted string or runs to
 * the next separator. A value already replaced by a registered secret's
 * "[redacted]" is taken whole, not cut at its "]".
 */
const FIELD_IN_TEXT =
  /(["']?)\b(x-mbx-apikey|ok-access-(?:key|sign|passphrase)|x-bapi-(?:api-key|sign)|api[-_]?key|api[-_]?secret|secret[-_]?key|secret|passphrase|password|signature)\1(\s*[:=]\s*)(\[redacted\]|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|[^\s&,;}\])"'#]+)/gi;

function redactFields(text: string): string {
  return text.replace(FIELD_IN_TEXT, (_match, quote: string, name: string, separator: string, value: string) => {
    const valueQuote = value.startsWith('"') || value.startsWith("'") ? value[0] : '';
    return `${quote}${name}${quote}${separator}${valueQuote}${REDACTED}${valueQuote}`;
  });
}

/** The forms a secret is likely to appear in besides itself. */
function formsOf(secret: string): string[] {
  const bytes = Buffer.from(secret, 'utf8');
  const forms = new Set<string>([
    secret,
    encodeURIComponent(secret),
    // Form encoding (application/x-www-form-urlencoded) writes a space as "+".
    encodeURIComponent(secret).replace(/%20/g, '+'),
    bytes.toString('base64'),
    bytes.toString('base64').replace(/=+$/, ''),
    bytes.toString('base64url'),
    JSON.stringify(secret).slice(1, -1),
  ]);
  return [...forms].filter((form) => form.length > 0);
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

const MAX_DEPTH = 32;

export function createRedactor(): Redactor {
  const counts = new Map<string, number>();
  let pattern: RegExp | null = null;

  const rebuild = () => {
    const forms = new Set<string>();
    for (const secret of counts.keys()) for (const form of formsOf(secret)) forms.add(form);
    // Longest first, so a secret that contains another is replaced whole.
    const sorted = [...forms].sort((a, b) => b.length - a.length);
    pattern = sorted.length === 0 ? null : new RegExp(sorted.map(escapeRegExp).join('|'), 'g');
  };

  const redact = (text: string): string => {
    const withoutSecrets = pattern === null ? text : text.replace(pattern, REDACTED);
    return redactFields(withoutSecrets);
  };

  const redactValue = (value: unknown): unknown => {
    const done = new Map<object, unknown>();
    const inProgress = new Set<object>();

    const walk = (current: unknown, depth: number): unknown => {
      if (typeof current === 'string') return redact(current);
      if (typeof current !== 'object' || current === null) return current;
      if (inProgress.has(current)) return '[Circular]';
      if (done.has(current)) return done.get(current);
      if (depth > MAX_DEPTH) return '[too deep]';
      inProgress.add(current);
      try {
        const copy = copyOf(current, (child) => walk(child, depth + 1));
        done.set(current, copy);
        return copy;
      } catch {
        // A revoked Proxy throws even on instanceof and Array.isArray.
        return '[unreadable]';
      } finally {
        inProgress.delete(current);
      }
    };

    return walk(value, 0);
  };

  return {
    add(secret) {
      if (typeof secret !== 'string' || secret.length === 0) return;
      counts.set(secret, (counts.get(secret) ?? 0) + 1);
      rebuild();
    },
    remove(secret) {
      const count = counts.get(secret);
      if (count === undefined) return;
      if (count > 1) counts.set(secret, count - 1);
      else counts.delete(secret);
      rebuild();
    },
    redact,
    redactValue,
  };
}

/** Reads `read()`, or a marker if it throws (a getter, a revoked Proxy). */
function readSafely(read: () => unknown): unknown {
  try {
    return read();
  } catch {
    return '[unreadable]';
  }
}

function ownKeys(value: object): string[] {
  try {
    return Object.keys(value);
  } catch {
    return [];
  }
}

/** Copies `value`'s own enumerable fields onto `target`, walking each; credential-named ones are blanked. */
function copyFields(value: object, target: Record<string, unknown>, walk: (child: unknown) => unknown, redactKey: (key: string) => string): void {
  for (const key of ownKeys(value)) {
    const field = isCredentialField(key) ? REDACTED : walk(readSafely(() => (value as Record<string, unknown>)[key]));
    target[redactKey(key)] = field;
  }
}

function copyOf(value: object, walk: (child: unknown) => unknown): unknown {
  const redactKey = (key: string) => walk(key) as string;
  if (value instanceof Error) return copyError(value, walk, redactKey);
  if (Array.isArray(value)) {
    const length = readSafely(() => value.length);
    return typeof length === 'number' ? Array.from({ length }, (_, i) => walk(readSafely(() => value[i]))) : '[unreadable]';
  }
  if (value instanceof Date) return new Date(value.getTime());
  if (ArrayBuffer.isView(value) || value instanceof ArrayBuffer) return `[binary: ${value.byteLength} bytes]`;
  if (value instanceof Map) {
    const copy = new Map<unknown, unknown>();
    for (const [k, v] of value) copy.set(walk(k), typeof k === 'string' && isCredentialField(k) ? REDACTED : walk(v));
    return copy;
  }
  if (value instanceof Set) return new Set([...value].map(walk));
  const copy: Record<string, unknown> = {};
  copyFields(value, copy, walk, redactKey);
  return copy;
}

/**
 * An Error of the same class (so `instanceof` still classifies it, ccxt's
 * NetworkError vs ExchangeError included) carrying redacted text. Built with
 * `new Error` and re-prototyped rather than constructed through the
 * subclass, whose constructor might do anything.
 */
function copyError(error: Error, walk: (child: unknown) => unknown, redactKey: (key: string) => string): Error {
  const message = readSafely(() => error.message);
  const copy = new Error(typeof message === 'string' ? (walk(message) as string) : '[unreadable]');
  try {
    Object.setPrototypeOf(copy, Object.getPrototypeOf(error) as object | null);
  } catch {
    // A prototype we cannot set (a frozen or exotic object) leaves a plain Error, still redacted.
  }
  const name = readSafely(() => error.name);
  const stack = readSafely(() => error.stack);
  Object.defineProperty(copy, 'name', { value: typeof name === 'string' ? walk(name) : 'Error', configurable: true, writable: true, enumerable: false });
  Object.defineProperty(copy, 'stack', { value: typeof stack === 'string' ? walk(stack) : undefined, configurable: true, writable: true, enumerable: false });
  const target = copy as unknown as Record<string, unknown>;
  // cause and AggregateError's errors are own but not enumerable: carried explicitly.
  for (const hidden of ['cause', 'errors'] as const) {
    if (Object.prototype.hasOwnProperty.call(error, hidden)) {
      Object.defineProperty(copy, hidden, { value: walk(readSafely(() => (error as unknown as Record<string, unknown>)[hidden])), configurable: true, writable: true, enumerable: false });
    }
  }
  copyFields(error, target, walk, redactKey);
  return copy;
}
