/**
 * How a venue joins and leaves the engine, at start-up or at runtime, by one
 * path: subscribe to its reports, start it, load its instruments and
 * account, seed marks, reconcile, and only then open it for trading. Each
 * step that waits on the venue has a deadline, so one hung exchange blocks
 * itself and nobody else; venues start side by side.
 *
 * A venue also says how its connection is (connected, degraded,
 * disconnected). Disconnected fails closed: new orders are refused with the
 * reason until the venue is back and has been reconciled again.
 */
import { Dec } from '../../shared/decimal';
import type { VenueStatus } from '../../shared/domain';
import { KeelError, errorText } from '../../shared/errors';
import { withDeadline } from '../core/promises';
import type { ActivityLog } from './activity';
import type { MarketData } from './market/marketData';
import type { OrderManager } from './orders/orderManager';
import type { EngineJournal } from './ports/journal';
import type { Logger } from './ports/logger';
import type { VenueConnectivity, VenuePort } from './ports/venue';
import type { Portfolio } from './portfolio/portfolio';
import type { ReconciliationReport } from '../../shared/contract';
import { reconcileVenue } from './reconciliation/reconcileVenue';
import type { RiskGovernor } from './risk/riskGovernor';
import type { VenueRegistry } from './venueRegistry';

export interface VenueTimeouts {
  /** Starting the venue and loading its instruments and account. */
  startMs: number;
  /** Reconciling its orders, fills and positions with Keel's books. */
  reconcileMs: number;
}

export const DEFAULT_VENUE_TIMEOUTS: VenueTimeouts = { startMs: 30_000, reconcileMs: 60_000 };

export interface VenueLifecycleDeps {
  venues: VenueRegistry;
  orders: OrderManager;
  portfolio: Portfolio;
  risk: RiskGovernor;
  marketData: MarketData;
  activity: ActivityLog;
  journal: EngineJournal;
  now: () => number;
  /** A timer that does not keep the process alive on its own; the live clock's `after`. */
  after: (ms: number, run: () => void) => { cancel(): void };
  log: Logger;
  timeouts: VenueTimeouts;
  /** Every status change goes out through here (the engine publishes `system.health`). */
  setStatus: (venue: string, state: VenueStatus['state'], reason: string | null) => void;
  /** Told when a venue's books may have moved (marks seeded, reconciled). */
  onBooksChanged: (venue: string) => void;
  /** Every reconciliation's report, to be journaled and published. */
  onReport: (report: ReconciliationReport) => void;
  newId: () => string;
}

export class VenueLifecycle {
  private readonly subscriptions = new Map<string, Array<() => void>>();
  /** Where each venue's connection stands, as it last said. */
  private readonly connectivity = new Map<string, VenueConnectivity>();
  /** The latest reconciliation started per venue: only it may open or block the venue (an older one is stale). */
  private readonly generations = new Map<string, number>();

  constructor(private readonly deps: VenueLifecycleDeps) {}

  /** Brings several venues up side by side; each ends ready or blocked with its reason. */
  async addAll(ports: readonly VenuePort[]): Promise<void> {
    await Promise.all(ports.map((port) => this.add(port, 'startup')));
  }

  /** Brings one venue up: it ends ready, or blocked with the reason. Never throws for the venue's own trouble. */
  async add(port: VenuePort, trigger: 'startup' | 'added' = 'added'): Promise<VenueStatus> {
    const { venues } = this.deps;
    if (venues.ids().includes(port.id)) throw new KeelError('INVALID_STATE', `Venue ${port.id} is already added.`, { venue: port.id });
    venues.add(port);
    const venue = port.id;
    this.subscribe(port);
    if (await this.opened(port)) await this.reconcile(venue, trigger);
    return venues.status(venue);
  }

  /**
   * Swaps a venue's connection for a new one (a new API key, demo ↔ live)
   * without losing its books: the old port is unsubscribed and stopped, the
   * new one started and reconciled by the same path as at start-up. Until
   * then the venue refuses orders. Never throws for the venue's own trouble.
   */
  async replace(port: VenuePort): Promise<VenueStatus> {
    const { venues } = this.deps;
    const venue = port.id;
    const old = venues.port(venue);
    for (const unsubscribe of this.subscriptions.get(venue) ?? []) unsubscribe();
    this.connectivity.delete(venue);
    this.deps.setStatus(venue, 'connecting', null);
    try {
      await old.stop();
    } catch (error) {
      this.deps.log.warn(`[venues] ${venue} did not stop cleanly`, error);
    }
    venues.replacePort(port);
    this.subscribe(port);
    if (await this.opened(port)) await this.reconcile(venue, 'reconnect');
    return venues.status(venue);
  }

  /**
   * Takes a venue out. Refused while it still has open orders or positions:
   * nothing Keel placed may be left on an exchange without anyone watching.
   */
  async remove(venue: string): Promise<void> {
    const { venues, orders, portfolio } = this.deps;
    const port = venues.port(venue);
    const open = orders.openOrderCount(venue);
    const positions = portfolio.venues().includes(venue) ? portfolio.positions(venue).length : 0;
    if (open > 0 || positions > 0) {
      throw new KeelError(
        'INVALID_STATE',
        `${venue} still has ${open} open order(s) and ${positions} position(s); cancel and close them before removing the venue.`,
        { venue, openOrders: open, positions },
      );
    }
    for (const unsubscribe of this.subscriptions.get(venue) ?? []) unsubscribe();
    this.subscriptions.delete(venue);
    this.connectivity.delete(venue);
    venues.remove(venue);
    portfolio.removeVenue(venue);
    this.deps.risk.removeVenue(venue);
    try {
      await port.stop();
    } catch (error) {
      this.deps.log.warn(`[venues] ${venue} did not stop cleanly`, error);
    }
    this.deps.activity.record('info', 'system', `${venue} removed.`);
  }

  /**
   * Reconciles a venue with Keel's books (at start-up, after a reconnect, or
   * when asked): it ends ready, or blocked with the reason. Always answers a
   * report, which goes to `onReport` to be journaled and published.
   */
  async reconcile(venue: string, trigger: ReconciliationReport['trigger']): Promise<ReconciliationReport> {
    const { venues } = this.deps;
    const port = venues.port(venue);
    const id = this.deps.newId();
    const generation = (this.generations.get(venue) ?? 0) + 1;
    this.generations.set(venue, generation);
    const refused = (reason: string): ReconciliationReport => {
      const at = this.deps.now();
      return { id, venue, trigger, startedAt: at, finishedAt: at, ok: false, reason, fillsRecovered: 0, ordersResolved: [], externalOrders: [], positions: [], balances: [], items: [] };
    };
    let report: ReconciliationReport;
    if (this.connectivity.get(venue) === 'disconnected') {
      report = refused(venues.status(venue).reason ?? 'the connection is down');
      this.deps.setStatus(venue, 'disconnected', report.reason);
    } else {
      // A background check leaves a trading venue trading while it looks; what it finds decides after.
      if (trigger !== 'periodic') this.deps.setStatus(venue, 'reconciling', null);
      try {
        report = await withDeadline(
          reconcileVenue({ port, orders: this.deps.orders, portfolio: this.deps.portfolio, activity: this.deps.activity, journal: this.deps.journal, now: this.deps.now, id, trigger }),
          this.deps.timeouts.reconcileMs,
          `reconciliation did not finish within ${this.deps.timeouts.reconcileMs / 1000} s`,
          this.deps.after,
        );
      } catch (error) {
        report = refused(`could not reconcile: ${errorText(error)}`);
      }
      // The connection may have dropped while reconciling: that wins. So does a newer reconciliation of the same venue.
      const latest = this.generations.get(venue) === generation;
      if (!latest) report = { ...report, ok: false, reason: `superseded by a newer reconciliation of ${venue}` };
      else if (this.connectivity.get(venue) !== 'disconnected') this.deps.setStatus(venue, report.ok ? 'ready' : 'blocked', report.reason);
    }
    this.deps.onReport(report);
    this.deps.onBooksChanged(venue);
    return report;
  }

  /**
   * After the trader resolved a difference: the venue opens for trading when
   * the latest report no longer has a blocking item, unless its connection is
   * down or a newer reconciliation is running.
   */
  reopenIfResolved(report: ReconciliationReport): void {
    const { venues } = this.deps;
    const status = venues.status(report.venue);
    if (this.connectivity.get(report.venue) === 'disconnected' || status.state === 'reconciling' || status.state === 'connecting') return;
    if (report.ok) {
      if (status.state !== 'ready') {
        this.deps.activity.record('info', 'system', `${report.venue}: every reconciliation difference is resolved; trading is open again.`);
        this.deps.setStatus(report.venue, 'ready', null);
      }
    } else {
      this.deps.setStatus(report.venue, 'blocked', report.reason);
    }
  }

  /** Unsubscribes from every venue and stops them (shutdown). */
  async stopAll(): Promise<void> {
    for (const venue of [...this.subscriptions.keys()]) {
      for (const unsubscribe of this.subscriptions.get(venue) ?? []) unsubscribe();
    }
    this.subscriptions.clear();
    for (const venue of this.deps.venues.ids()) {
      try {
        await this.deps.venues.port(venue).stop();
      } catch (error) {
        this.deps.log.warn(`[venues] ${venue} did not stop cleanly`, error);
      }
    }
  }

  /** Opens a venue within its start deadline; false (and the venue blocked with the reason) when it could not. */
  private async opened(port: VenuePort): Promise<boolean> {
    const venue = port.id;
    try {
      await withDeadline(this.open(port), this.deps.timeouts.startMs, `${venue} did not start within ${this.deps.timeouts.startMs / 1000} s`, this.deps.after);
      return true;
    } catch (error) {
      const reason = `could not start: ${errorText(error)}`;
      this.deps.activity.record('error', 'system', `${venue} ${reason}`);
      this.deps.setStatus(venue, 'blocked', reason);
      return false;
    }
  }

  private subscribe(port: VenuePort): void {
    const venue = port.id;
    this.subscriptions.set(venue, [
      port.onExecution((event) => this.deps.orders.receive(venue, event)),
      port.onMarket((event) => this.deps.marketData.onMarketEvent(venue, event)),
      ...(port.onConnectivity ? [port.onConnectivity((state, reason) => void this.onConnectivity(port, state, reason))] : []),
    ]);
  }

  private async open(port: VenuePort): Promise<void> {
    const { venues, journal, portfolio, risk, marketData } = this.deps;
    const venue = port.id;
    await port.start();
    const instruments = port.instruments();
    venues.setInstruments(venue, instruments);
    journal.saveInstruments(instruments);
    const first = instruments[0];
    const currency = first?.settle ?? 'USDT';
    // A venue whose connection was replaced keeps its books; reconciliation compares them with the venue's.
    if (!portfolio.venues().includes(venue)) {
      // A new ledger starts from what the venue says the account holds, never from an assumed figure.
      const reported = (await port.balanceReports()).find((b) => b.currency === currency);
      portfolio.addVenue({
        id: venue,
        currency,
        initialBalance: reported ? Dec.parse(reported.total) : Dec.ZERO,
        defaultLeverage: first?.defaultLeverage ?? 10,
      });
      risk.addVenue(venue, currency);
    }
    for (const instrument of instruments) {
      const ticker = port.ticker(instrument.symbol);
      portfolio.setMark(venue, instrument.symbol, Dec.parse(ticker.mark));
      const [lastBar] = (await port.candles(instrument.symbol, '1m', 1)).slice(-1);
      marketData.seedCandle(venue, instrument.symbol, lastBar);
    }
  }

  private async onConnectivity(port: VenuePort, state: VenueConnectivity, reason: string | null): Promise<void> {
    const venue = port.id;
    const before = this.connectivity.get(venue) ?? 'connected';
    this.connectivity.set(venue, state);
    if (state === before) return;
    if (state === 'disconnected') {
      const why = reason ?? 'the connection to the venue is down';
      this.deps.activity.record('error', 'system', `${venue} disconnected: ${why}. New orders are refused until it is back and reconciled.`);
      this.deps.setStatus(venue, 'disconnected', why);
      return;
    }
    const degraded = state === 'degraded' ? `degraded: ${reason ?? 'updates may be late'}` : null;
    if (this.deps.venues.status(venue).state === 'disconnected') {
      // Whatever happened while it was away is read back before a single order goes out again.
      this.deps.activity.record('info', 'system', `${venue} connection is back${degraded ? ` (${degraded})` : ''}; reconciling before trading resumes.`);
      const after = await this.reconcile(venue, 'reconnect');
      if (degraded && after.ok) this.deps.setStatus(venue, 'ready', degraded);
      return;
    }
    if (degraded) this.deps.activity.record('warning', 'system', `${venue} connection ${degraded}.`);
    else this.deps.activity.record('info', 'system', `${venue} connection is back to normal.`);
    if (this.deps.venues.status(venue).state === 'ready') this.deps.setStatus(venue, 'ready', degraded);
  }
}

