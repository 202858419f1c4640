/**
 * Price alerts wired to a running engine: its instruments and prices, its
 * bus (tickers in; `alerts.price.*` out), its recent bars (to seed a move's
 * window) and its activity log (a fired alert is kept there too). The
 * composition root passes the store (the journal's table).
 */
import type { Ticker } from '../../../shared/domain';
import { errorText } from '../../../shared/errors';
import type { Engine } from '../engine';
import type { Logger } from '../ports/logger';
import { barOf } from '../strategies/barFeed';
import { PriceAlertBook } from './priceAlertBook';
import type { PriceAlertStore } from './priceAlertStore';

export interface PriceAlerts {
  book: PriceAlertBook;
  dispose(): void;
}

export function installPriceAlerts(engine: Engine, options: { store: PriceAlertStore; newId: () => string; log: Logger }): PriceAlerts {
  const book = new PriceAlertBook({
    store: options.store,
    publish: (topic, alert) => engine.bus.publish(topic, alert),
    publishRemoved: (id) => engine.bus.publish('alerts.price.removed', { id }),
    now: () => engine.clock.now(),
    newId: options.newId,
    instrument: (venue, symbol) => engine.instruments(venue).find((i) => i.symbol === symbol),
    lastPrice: (venue, symbol) => {
      try {
        return engine.ticker(venue, symbol).last;
      } catch {
        // A venue still coming up has no price to offer yet.
        return null;
      }
    },
    recentBars: async (venue, symbol, minutes) => (await engine.candles(venue, symbol, '1m', minutes)).map(barOf),
    onTriggered: (alert) => {
      try {
        engine.activity.record('info', 'system', `Price alert: ${alert.message ?? alert.symbol}`, { alertId: alert.id, venue: alert.venue, symbol: alert.symbol });
      } catch (error) {
        options.log.warn(`[alerts] the activity log did not take alert ${alert.id}: ${errorText(error)}`);
      }
    },
    log: options.log,
  });
  const unsubscribe = engine.bus.subscribe((_topic, payload) => book.onTicker(payload as Ticker), ['market.tick']);
  return { book, dispose: unsubscribe };
}
