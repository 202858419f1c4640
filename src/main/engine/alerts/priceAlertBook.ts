/**
 * The engine's price alerts: set, listed and removed through the contract,
 * kept in the journal, and watched on every ticker the venues send, so they
 * fire whether or not a window is open. A crossing fires when the last price
 * reaches its price from the side it was set on; a move fires when the last
 * price is the asked percent above the window's low (up) or below its high
 * (down). A move's window is seeded from the instrument's recent 1-minute
 * bars, so "2 % in 15 minutes" counts the 15 minutes before it was set too.
 * An alert fires once: it is kept as triggered with what happened in words,
 * published as `alerts.price.triggered` and written to the activity log.
 */
import {
  MAX_ACTIVE_PRICE_ALERTS,
  MAX_ALERT_PERCENT,
  MAX_TRIGGERED_PRICE_ALERTS,
  priceAlertSchema,
  type AddPriceAlertParams,
  type ListPriceAlertsParams,
  type PriceAlert,
} from '../../../shared/contract/alerts';
import { Dec, decimalsOf } from '../../../shared/decimal';
import type { Bar, Instrument, Ticker } from '../../../shared/domain';
import { KeelError, errorText } from '../../../shared/errors';
import type { Logger } from '../ports/logger';
import type { PriceAlertStore } from './priceAlertStore';
import { RollingExtremes } from './rollingExtremes';

export type PriceAlertTopic = 'alerts.price.updated' | 'alerts.price.triggered';

export interface PriceAlertBookOptions {
  store: PriceAlertStore;
  publish(topic: PriceAlertTopic, alert: PriceAlert): void;
  publishRemoved(id: string): void;
  now(): number;
  newId(): string;
  instrument(venue: string, symbol: string): Instrument | undefined;
  /** The instrument's last price now, or null before its first ticker. */
  lastPrice(venue: string, symbol: string): string | null;
  /** The instrument's latest 1-minute bars, to seed a move's window; absent: windows start empty. */
  recentBars?(venue: string, symbol: string, minutes: number): Promise<Bar[]>;
  /** Told of each alert that fired, once it is kept (the activity log). */
  onTriggered?(alert: PriceAlert): void;
  log: Logger;
}

interface Watched {
  alert: PriceAlert;
  /** A crossing's price. */
  price: Dec | null;
  /** A move's window. */
  window: RollingExtremes | null;
}

const key = (venue: string, symbol: string) => `${venue}|${symbol}`;

export class PriceAlertBook {
  private readonly o: PriceAlertBookOptions;
  /** Active alerts by instrument. */
  private readonly watched = new Map<string, Watched[]>();
  private readonly alerts = new Map<string, PriceAlert>();

  constructor(options: PriceAlertBookOptions) {
    this.o = options;
    for (const stored of options.store.all()) {
      const alert = priceAlertSchema.parse(stored);
      this.alerts.set(alert.id, alert);
      if (alert.status === 'active') this.watch(alert);
    }
  }

  list(filter: ListPriceAlertsParams = {}): PriceAlert[] {
    const status = filter.status ?? 'all';
    return [...this.alerts.values()]
      .filter((a) => (!filter.venue || a.venue === filter.venue) && (!filter.symbol || a.symbol === filter.symbol) && (status === 'all' || a.status === status))
      .sort((a, b) => b.createdAt - a.createdAt || (a.id < b.id ? 1 : -1))
      .map((a) => ({ ...a }));
  }

  add(params: AddPriceAlertParams): PriceAlert {
    const instrument = this.o.instrument(params.venue, params.symbol);
    if (!instrument) throw new KeelError('NOT_FOUND', `${params.symbol} is not traded on ${params.venue}.`, { venue: params.venue, symbol: params.symbol });
    const active = [...this.alerts.values()].filter((a) => a.status === 'active').length;
    if (active >= MAX_ACTIVE_PRICE_ALERTS) {
      throw new KeelError('VALIDATION_FAILED', `At most ${MAX_ACTIVE_PRICE_ALERTS} price alerts can be active at once; remove one first.`);
    }
    const base = {
      id: this.o.newId(),
      venue: params.venue,
      symbol: params.symbol,
      note: params.note ?? '',
      status: 'active' as const,
      createdAt: this.o.now(),
      triggeredAt: null,
      triggerPrice: null,
      message: null,
    };
    let alert: PriceAlert;
    if (params.kind === 'cross') {
      const price = Dec.parse(params.price);
      const lastText = this.o.lastPrice(params.venue, params.symbol);
      const last = lastText === null ? null : Dec.parse(lastText);
      let direction = params.direction;
      if (!direction) {
        if (!last) throw new KeelError('VALIDATION_FAILED', `${params.symbol} has no price yet: say whether the alert waits for it to go up or down to ${params.price}.`);
        if (last.eq(price)) throw new KeelError('VALIDATION_FAILED', `${params.symbol} is at ${params.price} now: set the alert above or below the last price.`);
        direction = price.gt(last) ? 'up' : 'down';
      } else if (last && (direction === 'up' ? last.gte(price) : last.lte(price))) {
        throw new KeelError(
          'VALIDATION_FAILED',
          `${params.symbol} is already ${direction === 'up' ? 'at or above' : 'at or below'} ${params.price} (last ${lastText}): the alert would fire at once.`,
        );
      }
      alert = { ...base, kind: 'cross', direction, price: price.toString(), percent: null, windowMinutes: null };
    } else {
      const percent = Dec.parse(params.percent);
      if (percent.gt(Dec.parse(String(MAX_ALERT_PERCENT)))) throw new KeelError('VALIDATION_FAILED', `A move alert waits for at most ${MAX_ALERT_PERCENT} %, not ${params.percent} %.`);
      alert = { ...base, kind: 'move', direction: params.direction ?? 'either', price: null, percent: percent.toString(), windowMinutes: params.windowMinutes };
    }
    alert = priceAlertSchema.parse(alert);
    this.o.store.insert(alert);
    this.alerts.set(alert.id, alert);
    this.watch(alert);
    this.o.publish('alerts.price.updated', alert);
    return { ...alert };
  }

  remove(id: string): void {
    const alert = this.alerts.get(id);
    if (!alert) throw new KeelError('NOT_FOUND', `There is no price alert ${id.slice(0, 64)}.`, { id });
    this.o.store.remove(id);
    this.alerts.delete(id);
    this.unwatch(alert);
    this.o.publishRemoved(id);
  }

  /** A ticker from a venue: the instrument's active alerts compare its last price. */
  onTicker(ticker: Ticker): void {
    const list = this.watched.get(key(ticker.venue, ticker.symbol));
    if (!list || list.length === 0) return;
    let last: Dec;
    try {
      last = Dec.parse(ticker.last);
    } catch {
      return;
    }
    if (!last.isPositive()) return;
    const now = this.o.now();
    const lastNumber = Number(ticker.last);
    for (const w of [...list]) {
      const message = w.window ? this.moveFired(w, now, lastNumber) : this.crossFired(w, last);
      if (message) this.fire(w, ticker.last, now, message);
    }
  }

  private crossFired(w: Watched, last: Dec): string | null {
    const price = w.price!;
    const { alert } = w;
    const hit = alert.direction === 'up' ? last.gte(price) : last.lte(price);
    return hit ? `${alert.symbol} ${alert.direction === 'up' ? 'rose to' : 'fell to'} ${alert.price} (last ${last.toString()})` : null;
  }

  private moveFired(w: Watched, now: number, last: number): string | null {
    const window = w.window!;
    window.push(now, last);
    const { alert } = w;
    const share = Number(alert.percent) / 100;
    const low = window.min();
    const high = window.max();
    const digits = this.digits(alert);
    const minutes = `${alert.windowMinutes} min`;
    if (alert.direction !== 'down' && low !== null && low > 0 && last >= low * (1 + share)) {
      return `${alert.symbol} rose ${(((last - low) / low) * 100).toFixed(2)} % within ${minutes}, from ${low.toFixed(digits)} to ${last.toFixed(digits)}`;
    }
    if (alert.direction !== 'up' && high !== null && high > 0 && last <= high * (1 - share)) {
      return `${alert.symbol} fell ${(((high - last) / high) * 100).toFixed(2)} % within ${minutes}, from ${high.toFixed(digits)} to ${last.toFixed(digits)}`;
    }
    return null;
  }

  private fire(w: Watched, lastText: string, now: number, message: string): void {
    // Out of the watch list at once, so a second ticker in the same burst cannot fire it again.
    this.unwatch(w.alert);
    const fired: PriceAlert = { ...w.alert, status: 'triggered', triggeredAt: now, triggerPrice: Dec.parse(lastText).toString(), message };
    this.alerts.set(fired.id, fired);
    // Kept and announced after the ticker's own delivery: the journal is not written from inside another publisher's call.
    queueMicrotask(() => {
      try {
        if (!this.alerts.has(fired.id)) return; // removed in the meantime
        this.o.store.update(fired);
        this.o.store.pruneTriggered(MAX_TRIGGERED_PRICE_ALERTS);
        this.o.publish('alerts.price.triggered', fired);
        this.o.onTriggered?.(fired);
        this.forgetPruned();
      } catch (error) {
        this.o.log.error(`[alerts] price alert ${fired.id} fired but could not be kept: ${errorText(error)}`, error);
      }
    });
  }

  /** Triggered alerts the store dropped are dropped here too. */
  private forgetPruned(): void {
    const triggered = [...this.alerts.values()].filter((a) => a.status === 'triggered');
    if (triggered.length <= MAX_TRIGGERED_PRICE_ALERTS) return;
    const kept = new Set(this.o.store.all().map((a) => a.id));
    for (const a of triggered) if (!kept.has(a.id)) this.alerts.delete(a.id);
  }

  private watch(alert: PriceAlert): void {
    const w: Watched = {
      alert,
      price: alert.kind === 'cross' && alert.price ? Dec.parse(alert.price) : null,
      window: alert.kind === 'move' && alert.windowMinutes ? new RollingExtremes(alert.windowMinutes * 60_000) : null,
    };
    const k = key(alert.venue, alert.symbol);
    this.watched.set(k, [...(this.watched.get(k) ?? []), w]);
    if (w.window) void this.seed(w);
  }

  private unwatch(alert: PriceAlert): void {
    const k = key(alert.venue, alert.symbol);
    const rest = (this.watched.get(k) ?? []).filter((w) => w.alert.id !== alert.id);
    if (rest.length > 0) this.watched.set(k, rest);
    else this.watched.delete(k);
  }

  private async seed(w: Watched): Promise<void> {
    const { alert } = w;
    if (!w.window || !alert.windowMinutes || !this.o.recentBars) return;
    try {
      const from = this.o.now() - alert.windowMinutes * 60_000;
      const bars = await this.o.recentBars(alert.venue, alert.symbol, alert.windowMinutes + 1);
      // A bar's low and high are dated at its start (or the window's, for the bar it opens in); live prices may already be in.
      w.window.addOlder(
        bars
          .filter((b) => b.time + 60_000 > from && b.time <= this.o.now())
          .flatMap((b) => [
            { t: Math.max(b.time, from), price: b.low },
            { t: Math.max(b.time, from), price: b.high },
          ]),
      );
    } catch (error) {
      this.o.log.warn(`[alerts] could not read ${alert.symbol}'s recent bars for alert ${alert.id}: ${errorText(error)}`);
    }
  }

  private digits(alert: PriceAlert): number {
    const instrument = this.o.instrument(alert.venue, alert.symbol);
    return instrument ? decimalsOf(instrument.tickSize) : 2;
  }
}
