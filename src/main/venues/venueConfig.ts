/**
 * The real venues a trader has added (Settings → Exchanges): which exchange,
 * demo or live, a label, and the instruments to trade there. Kept in the
 * journal so they come back at start-up; the keys are not here, they live in
 * the OS keychain.
 */
import { z } from 'zod';
import { symbol, venueId } from '../../shared/domain';
import { SUPPORTED_EXCHANGES } from './ccxt/exchanges';

export const venueConfigSchema = z.object({
  id: venueId,
  exchange: z.enum(SUPPORTED_EXCHANGES),
  mode: z.enum(['demo', 'live']),
  label: z.string().min(1).max(60),
  symbols: z.array(symbol).min(1).max(50),
  /** What is known about the stored key (never the key): its last four characters and what the exchange said it may do. */
  key: z
    .object({
      lastFour: z.string().max(4),
      permissions: z.object({ read: z.boolean().nullable(), trade: z.boolean().nullable(), withdraw: z.boolean().nullable(), ipRestricted: z.boolean().nullable() }).nullable(),
      checkedAt: z.number().int(),
      warnings: z.array(z.string()),
    })
    .nullable()
    .default(null),
  createdAt: z.number().int(),
  updatedAt: z.number().int(),
});
export type VenueConfig = z.infer<typeof venueConfigSchema>;

export interface VenueConfigStore {
  list(): VenueConfig[];
  get(id: string): VenueConfig | undefined;
  save(config: VenueConfig): void;
  delete(id: string): boolean;
}

export class InMemoryVenueConfigStore implements VenueConfigStore {
  private readonly configs = new Map<string, string>();

  list(): VenueConfig[] {
    return [...this.configs.values()].map((text) => venueConfigSchema.parse(JSON.parse(text))).sort((a, b) => a.createdAt - b.createdAt || a.id.localeCompare(b.id));
  }

  get(id: string): VenueConfig | undefined {
    const text = this.configs.get(id);
    return text === undefined ? undefined : venueConfigSchema.parse(JSON.parse(text));
  }

  save(config: VenueConfig): void {
    this.configs.set(config.id, JSON.stringify(venueConfigSchema.parse(config)));
  }

  delete(id: string): boolean {
    return this.configs.delete(id);
  }
}
