/**
 * Settings → Exchanges, behind the contract: the real venues a trader adds,
 * switches between demo and live, tests and removes at runtime, and their
 * API keys. Keys go from `credentials.set` into the OS keychain and from the
 * keychain into a venue's connection; they are never written to the journal,
 * returned, logged or put in an error (every secret is registered with the
 * redactor the moment it is read).
 *
 * A venue's connection is made from its settings and its key. Adding a
 * venue, storing a key or switching demo ↔ live all end the same way: the
 * engine is given the new connection and reconciles it before it trades.
 */
import type { Engine } from '../engine/engine';
import type { Clock } from '../engine/ports/clock';
import type { Logger } from '../engine/ports/logger';
import { SecretStoreUnavailable, type SecretStore } from '../engine/ports/secretStore';
import {
  deleteVenueCredentials,
  InvalidVenueCredentials,
  lastFour,
  readVenueCredentials,
  writeVenueCredentials,
  type VenueCredentials,
} from '../engine/ports/venueCredentials';
import type { VenuePort } from '../engine/ports/venue';
import type { Redactor } from '../secrets/redact';
import { CcxtVenue, type CcxtVenueOptions, type CcxtVenueTimings } from '../venues/ccxt/ccxtVenue';
import { createExchange, EXCHANGES, type ExchangeConfig, type ExchangeId } from '../venues/ccxt/exchanges';
import { permissionWarnings, readKeyPermissions, type KeyPermissionsReport } from '../venues/ccxt/keyPermissions';
import type { CcxtExchange } from '../venues/ccxt/ccxtTypes';
import type { VenueConfig, VenueConfigStore } from '../venues/venueConfig';
import { KeelError, errorText } from '../../shared/errors';
import type { ConnectionTest, CredentialStatus, VenueView } from '../../shared/contract/venues';

export interface VenueManagerDeps {
  engine: Engine;
  configs: VenueConfigStore;
  secrets: SecretStore;
  redactor: Redactor;
  clock: Clock;
  logger: Logger;
  /** Loopback servers standing in for exchanges (`--venue-url`). */
  overrides?: Partial<Record<ExchangeId, string>>;
  timings?: Partial<CcxtVenueTimings>;
  /** Makes a venue's connection (tests may pass their own). */
  makeVenue?: (options: CcxtVenueOptions) => VenuePort;
  /** Makes a bare exchange client for key checks and connection tests (tests may pass their own). */
  makeExchange?: (config: ExchangeConfig) => Promise<CcxtExchange>;
  /** Told when the venue list changed. */
  publish: (venues: VenueView[]) => void;
}

/** Key checks and connection tests give up after this long. */
const CHECK_TIMEOUT_MS = 15_000;

export class VenueManager {
  constructor(private readonly deps: VenueManagerDeps) {}

  /** Brings every configured venue up (at start-up), side by side; each ends ready or blocked with its reason. */
  async startAll(): Promise<void> {
    await Promise.all(this.deps.configs.list().map(async (config) => this.deps.engine.addVenue(await this.connect(config))));
  }

  list(): VenueView[] {
    const statuses = new Map(this.deps.engine.venueStatuses().map((s) => [s.venue, s]));
    const configured = new Map(this.deps.configs.list().map((c) => [c.id, c]));
    const views: VenueView[] = [];
    for (const [venue, status] of statuses) {
      const config = configured.get(venue);
      if (!config) {
        views.push({ id: venue, exchange: 'paper', mode: 'paper', label: 'Paper (simulated market)', symbols: this.deps.engine.instruments(venue).map((i) => i.symbol), status, overrideUrl: null, removable: false });
        continue;
      }
      views.push(this.view(config));
    }
    return views;
  }

  async add(params: { exchange: ExchangeId; mode: 'demo' | 'live'; label?: string; symbols?: string[] }): Promise<VenueView> {
    const spec = EXCHANGES[params.exchange];
    const now = this.deps.clock.now();
    const config: VenueConfig = {
      // The id is permanent (the journal keys everything by it) while the mode can change: it names the exchange only.
      id: this.newId(params.exchange),
      exchange: params.exchange,
      mode: params.mode,
      label: params.label ?? `${spec.label}${params.mode === 'demo' ? ' (demo)' : ''}`,
      symbols: params.symbols ?? spec.defaultSymbols,
      key: null,
      createdAt: now,
      updatedAt: now,
    };
    this.deps.configs.save(config);
    // With no key yet it comes up blocked, saying a key is needed; storing one brings it up.
    await this.deps.engine.addVenue(await this.connect(config));
    this.changed();
    return this.view(config);
  }

  async remove(venue: string): Promise<void> {
    const config = this.requireConfig(venue);
    await this.deps.engine.removeVenue(venue);
    this.deps.configs.delete(config.id);
    await this.forgetKey(venue).catch((error: unknown) => this.deps.logger.warn(`[venues] the key of ${venue} could not be removed from the keychain: ${errorText(error)}`));
    this.changed();
  }

  async setMode(venue: string, mode: 'demo' | 'live', confirm?: string): Promise<VenueView> {
    const config = this.requireConfig(venue);
    if (config.mode === mode) return this.view(config);
    if (mode === 'live' && confirm !== venue) {
      throw new KeelError('CONFIRMATION_REQUIRED', `Switching ${venue} to live trading uses real money. Type the venue's id (${venue}) to confirm.`, { venue, expected: venue });
    }
    const next: VenueConfig = { ...config, mode, updatedAt: this.deps.clock.now() };
    this.deps.configs.save(next);
    await this.deps.engine.replaceVenue(await this.connect(next));
    this.changed();
    return this.view(next);
  }

  async setCredentials(params: { venue: string; apiKey: string; secret: string; passphrase?: string; allowWithdrawals?: string }): Promise<CredentialStatus> {
    const config = this.requireConfig(params.venue);
    const spec = EXCHANGES[config.exchange];
    if (spec.needsPassphrase && !params.passphrase) throw new KeelError('VALIDATION_FAILED', `${spec.label} keys come with a passphrase; enter it too.`, { field: 'passphrase' });
    const credentials: VenueCredentials = { apiKey: params.apiKey, secret: params.secret, ...(params.passphrase ? { passphrase: params.passphrase } : {}) };
    this.remember(credentials);
    // Asked of the exchange before anything is stored: a key it refuses, or one that may withdraw, goes no further.
    let permissions: KeyPermissionsReport | null;
    try {
      permissions = await this.withExchange(config, credentials, async (exchange) => {
        // The key must open the account itself (a private call), whatever the exchange says of its permissions.
        await exchange.fetchBalance();
        try {
          return await readKeyPermissions(exchange, config.exchange);
        } catch (error) {
          if (/authentication|api-key|apikey|signature|invalid key|-2015|-1022/i.test(errorText(error))) throw error;
          this.deps.logger.warn(`[venues] ${config.id}: key permissions could not be read: ${this.redact(error)}`);
          return null;
        }
      });
    } catch (error) {
      this.forget(credentials);
      throw new KeelError('VALIDATION_FAILED', `${spec.label} refused this key: ${this.redact(error)}`, { venue: config.id });
    }
    if (permissions?.withdraw === true && params.allowWithdrawals !== config.id) {
      this.forget(credentials);
      throw new KeelError(
        'CONFIRMATION_REQUIRED',
        `This key can withdraw funds. Keel never withdraws, so create a key without that permission, or type the venue's id (${config.id}) to store it anyway.`,
        { venue: config.id, expected: config.id },
      );
    }
    try {
      await writeVenueCredentials(this.deps.secrets, config.id, credentials);
    } catch (error) {
      this.forget(credentials);
      throw this.keychainError(error);
    }
    const warnings = permissionWarnings(permissions);
    if (permissions?.withdraw === true) warnings.unshift('Stored by override although it can withdraw.');
    const next: VenueConfig = { ...config, key: { lastFour: lastFour(params.apiKey), permissions, checkedAt: this.deps.clock.now(), warnings }, updatedAt: this.deps.clock.now() };
    this.deps.configs.save(next);
    await this.deps.engine.replaceVenue(await this.connect(next, credentials));
    this.changed();
    return this.status(next);
  }

  credentialStatus(venue: string): CredentialStatus {
    return this.status(this.requireConfig(venue));
  }

  async deleteCredentials(venue: string): Promise<CredentialStatus> {
    const config = this.requireConfig(venue);
    await this.forgetKey(venue);
    const next: VenueConfig = { ...config, key: null, updatedAt: this.deps.clock.now() };
    this.deps.configs.save(next);
    // Without a key the venue cannot trade: it is reconnected without one and stays blocked, saying so.
    await this.deps.engine.replaceVenue(await this.connect(next));
    this.changed();
    return this.status(next);
  }

  /** Markets, balance, key permissions, clock skew and latency, each step with its outcome. */
  async test(venue: string): Promise<ConnectionTest> {
    const config = this.requireConfig(venue);
    const steps: ConnectionTest['steps'] = [];
    let latencyMs: number | null = null;
    let clockSkewMs: number | null = null;
    let permissions: KeyPermissionsReport | null = null;
    const credentials = await this.readKey(config.id).catch((error: unknown) => {
      steps.push({ name: 'Key', ok: false, detail: this.redact(error) });
      return null;
    });
    if (!credentials) {
      if (steps.length === 0) steps.push({ name: 'Key', ok: false, detail: 'No key is stored for this venue.' });
      return { venue, ok: false, steps, latencyMs, clockSkewMs, permissions };
    }
    try {
      await this.withExchange(config, credentials, async (exchange) => {
        const step = async (name: string, run: () => Promise<string>) => {
          try {
            steps.push({ name, ok: true, detail: await run() });
          } catch (error) {
            steps.push({ name, ok: false, detail: this.redact(error) });
          }
        };
        await step('Clock and latency', async () => {
          const sent = Date.now();
          const server = await exchange.fetchTime();
          const received = Date.now();
          latencyMs = received - sent;
          clockSkewMs = Math.round(server - (sent + received) / 2);
          return `round trip ${latencyMs} ms; the exchange's clock is ${Math.abs(clockSkewMs)} ms ${clockSkewMs >= 0 ? 'ahead' : 'behind'}`;
        });
        await step('Markets', async () => {
          const markets = await exchange.loadMarkets();
          const found = config.symbols.filter((s) => markets[s] !== undefined);
          if (found.length === 0) throw new Error(`none of ${config.symbols.join(', ')} is listed`);
          return `${Object.keys(markets).length} markets; ${found.length} of ${config.symbols.length} chosen instruments listed`;
        });
        await step('Balance', async () => {
          const balance = await exchange.fetchBalance();
          const settle = EXCHANGES[config.exchange].settle;
          const total = balance.total?.[settle];
          return `${typeof total === 'number' ? total : 0} ${settle}`;
        });
        await step('Key permissions', async () => {
          permissions = await readKeyPermissions(exchange, config.exchange);
          const p = permissions;
          const yes = (v: boolean | null) => (v === null ? 'unknown' : v ? 'yes' : 'no');
          return `read ${yes(p.read)}, trade ${yes(p.trade)}, withdraw ${yes(p.withdraw)}, IP allow-list ${yes(p.ipRestricted)}`;
        });
      });
    } catch (error) {
      steps.push({ name: 'Connection', ok: false, detail: this.redact(error) });
    }
    // Permissions the exchange would not report are a warning, not a failed connection.
    const ok = steps.filter((s) => s.name !== 'Key permissions').every((s) => s.ok);
    return { venue, ok, steps, latencyMs, clockSkewMs, permissions };
  }

  // ---- internals -------------------------------------------------------------

  /** A venue's connection from its settings and key (read from the keychain unless given). */
  private async connect(config: VenueConfig, given?: VenueCredentials): Promise<VenuePort> {
    let credentials: VenueCredentials | null = given ?? null;
    let keyProblem: string | null = null;
    if (!credentials) {
      try {
        credentials = await this.readKey(config.id);
      } catch (error) {
        keyProblem = this.redact(error);
      }
    }
    const options: CcxtVenueOptions = {
      id: config.id,
      exchange: config.exchange,
      mode: config.mode,
      symbols: config.symbols,
      credentials,
      // The keychain could not be read: the venue says so when it starts, and stays blocked.
      ...(keyProblem === null ? {} : { keyProblem: `its key could not be read from the keychain: ${keyProblem}` }),
      ...(this.deps.overrides?.[config.exchange] ? { baseUrl: this.deps.overrides[config.exchange] } : {}),
      clock: this.deps.clock,
      logger: this.deps.logger,
      redact: (text) => this.deps.redactor.redact(text),
      ...(this.deps.timings ? { timings: this.deps.timings } : {}),
      ...(this.deps.makeExchange ? { createExchange: this.deps.makeExchange } : {}),
    };
    return this.deps.makeVenue ? this.deps.makeVenue(options) : new CcxtVenue(options);
  }

  private async readKey(venue: string): Promise<VenueCredentials | null> {
    try {
      const credentials = await readVenueCredentials(this.deps.secrets, venue);
      if (credentials) this.remember(credentials);
      return credentials;
    } catch (error) {
      throw this.keychainError(error);
    }
  }

  private async forgetKey(venue: string): Promise<void> {
    const stored = await this.readKey(venue).catch(() => null);
    try {
      await deleteVenueCredentials(this.deps.secrets, venue);
    } catch (error) {
      throw this.keychainError(error);
    }
    if (stored) this.forget(stored);
  }

  /** A short-lived client with the given key, closed whatever happens. */
  private async withExchange<T>(config: VenueConfig, credentials: VenueCredentials, run: (exchange: CcxtExchange) => Promise<T>): Promise<T> {
    const make = this.deps.makeExchange ?? createExchange;
    const override = this.deps.overrides?.[config.exchange];
    const exchange = await make({
      exchange: config.exchange,
      mode: config.mode,
      credentials,
      timeoutMs: CHECK_TIMEOUT_MS,
      ...(override ? { baseUrl: override } : {}),
      log: (line) => this.deps.logger.info(`[${config.id}] ${this.deps.redactor.redact(line)}`),
    });
    try {
      return await run(exchange);
    } finally {
      await exchange.close().catch(() => undefined);
    }
  }

  private status(config: VenueConfig): CredentialStatus {
    return {
      venue: config.id,
      stored: config.key !== null,
      lastFour: config.key?.lastFour ?? null,
      permissions: config.key?.permissions ?? null,
      checkedAt: config.key?.checkedAt ?? null,
      warnings: config.key?.warnings ?? [],
      keychain: this.deps.secrets.describe(),
    };
  }

  private view(config: VenueConfig): VenueView {
    const status = this.deps.engine.venueStatuses().find((s) => s.venue === config.id) ?? { venue: config.id, state: 'blocked' as const, reason: 'not started', paper: false };
    return {
      id: config.id,
      exchange: config.exchange,
      mode: config.mode,
      label: config.label,
      symbols: config.symbols,
      status,
      overrideUrl: this.deps.overrides?.[config.exchange] ?? null,
      removable: true,
    };
  }

  private requireConfig(venue: string): VenueConfig {
    const config = this.deps.configs.get(venue);
    if (config) return config;
    if (this.deps.engine.venueStatuses().some((s) => s.venue === venue)) throw new KeelError('INVALID_STATE', `${venue} is built in; it has no exchange settings or key.`, { venue });
    throw new KeelError('NOT_FOUND', `Unknown venue "${venue}".`, { venue });
  }

  private newId(stem: string): string {
    const taken = new Set([...this.deps.configs.list().map((c) => c.id), ...this.deps.engine.venueStatuses().map((s) => s.venue)]);
    if (!taken.has(stem)) return stem;
    for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
  }

  private remember(credentials: VenueCredentials): void {
    for (const secret of [credentials.apiKey, credentials.secret, credentials.passphrase]) if (secret) this.deps.redactor.add(secret);
  }

  private forget(credentials: VenueCredentials): void {
    for (const secret of [credentials.apiKey, credentials.secret, credentials.passphrase]) if (secret) this.deps.redactor.remove(secret);
  }

  private redact(error: unknown): string {
    return this.deps.redactor.redact(errorText(error));
  }

  private keychainError(error: unknown): KeelError {
    if (error instanceof KeelError) return error;
    if (error instanceof SecretStoreUnavailable) return new KeelError('KEYCHAIN_UNAVAILABLE', this.redact(error), { reason: error.reason });
    if (error instanceof InvalidVenueCredentials) return new KeelError('VALIDATION_FAILED', this.redact(error));
    return new KeelError('KEYCHAIN_UNAVAILABLE', `The keychain failed: ${this.redact(error)}`);
  }

  private changed(): void {
    this.deps.publish(this.list());
  }
}
