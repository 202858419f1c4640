/**
 * The contract's `venues` and `credentials` domains: the real exchanges a
 * trader adds at runtime (Settings → Exchanges), demo or live, and their API
 * keys. Keys go in once (`credentials.set`) and never come back out: the
 * status answers only whether one is stored, its last four characters and
 * what the exchange says it may do.
 */
import { z } from 'zod';
import { symbol, venueId, venueStatusSchema } from '../domain';
import { method, ok } from './common';

export const EXCHANGE_IDS = ['binanceusdm', 'bybit', 'okx'] as const;
export const exchangeIdSchema = z.enum(EXCHANGE_IDS);
export type ExchangeIdName = z.infer<typeof exchangeIdSchema>;

/** Paper is the built-in simulated venue; demo is an exchange's demo account; live is real money. */
export const venueModeSchema = z.enum(['paper', 'demo', 'live']);
export type VenueMode = z.infer<typeof venueModeSchema>;

export const keyPermissionsSchema = z.object({
  read: z.boolean().nullable(),
  trade: z.boolean().nullable(),
  withdraw: z.boolean().nullable(),
  /** True when the key only works from listed IP addresses; null when the exchange did not say. */
  ipRestricted: z.boolean().nullable(),
});
export type KeyPermissions = z.infer<typeof keyPermissionsSchema>;

export const credentialStatusSchema = z.object({
  venue: venueId,
  stored: z.boolean(),
  /** The API key's last four characters (never the secret); empty for a short key. */
  lastFour: z.string().max(4).nullable(),
  /** What the exchange reported for the key when it was last checked; null until checked. */
  permissions: keyPermissionsSchema.nullable(),
  checkedAt: z.number().int().nullable(),
  /** Plain-language warnings (no IP allow-list, withdrawal allowed by override). */
  warnings: z.array(z.string()),
  /** Where keys are kept ("Secret Service (keytar)"), or why they cannot be. */
  keychain: z.string(),
});
export type CredentialStatus = z.infer<typeof credentialStatusSchema>;

export const venueViewSchema = z.object({
  id: venueId,
  /** "paper" for the built-in venue. */
  exchange: z.union([exchangeIdSchema, z.literal('paper')]),
  mode: venueModeSchema,
  label: z.string(),
  symbols: z.array(symbol),
  status: venueStatusSchema,
  /** A loopback server standing in for the exchange (`--venue-url`), shown on screen; null normally. */
  overrideUrl: z.string().nullable(),
  /** Whether it was added in Settings (it can be removed); the built-in paper venue cannot. */
  removable: z.boolean(),
});
export type VenueView = z.infer<typeof venueViewSchema>;

export const connectionTestSchema = z.object({
  venue: venueId,
  ok: z.boolean(),
  /** Each step with its outcome, in order (markets, balance, permissions, clock, latency). */
  steps: z.array(z.object({ name: z.string(), ok: z.boolean(), detail: z.string() })),
  latencyMs: z.number().nullable(),
  clockSkewMs: z.number().nullable(),
  permissions: keyPermissionsSchema.nullable(),
});
export type ConnectionTest = z.infer<typeof connectionTestSchema>;

const venueParams = z.object({ venue: venueId }).strict();
const secretText = z.string().min(1).max(512);

export const venueMethods = {
  'venues.list': method('query', z.object({}).strict(), z.object({ venues: z.array(venueViewSchema) })),
  /** Adds an exchange account; it is started, reconciled and opened for trading like at start-up (once a key is stored). */
  'venues.add': method(
    'command',
    z
      .object({
        exchange: exchangeIdSchema,
        mode: z.enum(['demo', 'live']),
        label: z.string().trim().min(1).max(60).optional(),
        symbols: z.array(symbol).min(1).max(50).optional(),
      })
      .strict(),
    venueViewSchema,
  ),
  /** Refused while the venue holds open orders or positions. Its key is removed from the keychain too. */
  'venues.remove': method('command', venueParams, ok),
  /** Switches demo ↔ live; going live needs `confirm` to repeat the venue's id. */
  'venues.setMode': method('command', z.object({ venue: venueId, mode: z.enum(['demo', 'live']), confirm: z.string().max(64).optional() }).strict(), venueViewSchema),
  /** Markets, balance, key permissions, clock skew and latency, checked now. */
  'venues.test': method('command', venueParams, connectionTestSchema),
} as const;

export const credentialMethods = {
  /**
   * Stores a venue's key in the OS keychain (write-only). A key that may
   * withdraw is refused unless `allowWithdrawals` repeats the venue's id.
   */
  'credentials.set': method(
    'command',
    z.object({ venue: venueId, apiKey: secretText, secret: secretText, passphrase: secretText.optional(), allowWithdrawals: z.string().max(64).optional() }).strict(),
    credentialStatusSchema,
  ),
  'credentials.status': method('query', venueParams, credentialStatusSchema),
  'credentials.delete': method('command', venueParams, credentialStatusSchema),
} as const;

export const venueEvents = {
  /** The venue list changed (added, removed, mode, key stored). */
  'venues.updated': z.object({ venues: z.array(venueViewSchema) }),
} as const;
