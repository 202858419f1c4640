/**
 * Keeps the store in step with the engine: routes events (ticks coalesced,
 * candles to the chart feed, the rest in order) into one store update per
 * frame, and loads full snapshots at start-up and after every reconnect,
 * because events missed while disconnected are gone.
 */
import type { Ticker } from '../../shared/domain';
import type { ConnectionStatus } from '../api/bridge';
import { errorMessage, type KeelClient, type KeelEvent } from '../api/client';
import type { CandleFeed } from './candleFeed';
import { createFrameBatcher, type FrameClock } from './frameBatcher';
import { marketKey } from './market';
import type { KeelStore } from './store';

export interface SyncDeps {
  client: KeelClient;
  store: KeelStore;
  candleFeed: CandleFeed;
  frameClock?: FrameClock;
}

export interface Sync {
  /** Reloads every snapshot (also done automatically on each connect). */
  reload(): Promise<void>;
  stop(): void;
}

export function startSync({ client, store, candleFeed, frameClock }: SyncDeps): Sync {
  let queue: KeelEvent[] = [];
  const ticks = new Map<string, Ticker>();

  const batcher = createFrameBatcher(() => {
    const events = queue;
    queue = [];
    const latestTicks = [...ticks.values()];
    ticks.clear();
    if (events.length > 0 || latestTicks.length > 0) store.getState().applyEvents(events, latestTicks);
    candleFeed.flush();
  }, frameClock);

  const offEvents = client.onEvent((event) => {
    switch (event.topic) {
      case 'market.tick':
        ticks.set(marketKey(event.data.venue, event.data.symbol), event.data);
        break;
      case 'market.candle':
        candleFeed.push(event.data.venue, event.data.symbol, event.data.candle);
        break;
      default:
        queue.push(event);
    }
    batcher.request();
  });

  let loadSeq = 0;
  async function reload(): Promise<void> {
    const seq = ++loadSeq;
    const failures: string[] = [];
    const note = (what: string) => (err: unknown) => {
      failures.push(`${what}: ${errorMessage(err)}`);
    };
    const s = store.getState;

    let venues: string[] = [];
    try {
      const info = await client.invoke('system.info', {});
      if (seq !== loadSeq) return;
      s().setInfo(info);
      venues = info.venues.map((v) => v.venue);
    } catch (err) {
      note('system info')(err);
    }

    await Promise.all([
      client.invoke('market.instruments', {}).then((list) => s().setInstruments(list), note('instruments')),
      client.invoke('market.tickers', {}).then((list) => s().setTickers(list), note('tickers')),
      client.invoke('orders.list', { status: 'all' }).then((list) => s().upsertOrders(list), note('orders')),
      client.invoke('fills.list', {}).then((list) => s().mergeFills(list), note('fills')),
      client.invoke('positions.list', {}).then((list) => s().setPositions(list), note('positions')),
      client.invoke('activity.list', {}).then((list) => s().mergeActivity(list), note('activity')),
      ...venues.map((venue) =>
        client.invoke('account.summary', { venue }).then((a) => s().setAccount(a), note(`account (${venue})`)),
      ),
    ]);
    if (seq !== loadSeq) return;
    chooseDefaults(store);
    s().finishSync(failures.length > 0 ? failures.join('; ') : null);
  }

  let previous: ConnectionStatus['state'] | null = null;
  function onStatus(status: ConnectionStatus): void {
    store.getState().setConnection(status);
    if (status.state === 'open' && previous !== 'open') void reload();
    previous = status.state;
  }
  const offStatus = client.onStatus(onStatus);
  onStatus(client.status());

  return {
    reload,
    stop() {
      offEvents();
      offStatus();
      batcher.dispose();
    },
  };
}

/** After a load: keep the trader's venue and symbol when they still exist, else pick the first sensible ones. */
function chooseDefaults(store: KeelStore): void {
  const s = store.getState();
  const venueIds = s.venues.map((v) => v.venue);
  const fromInstruments = [...new Set(s.instruments.map((i) => i.venue))];
  const candidates = venueIds.length > 0 ? venueIds : fromInstruments;
  const venue = s.venue && candidates.includes(s.venue) ? s.venue : (candidates[0] ?? null);
  if (!venue) return;
  const onVenue = s.instruments.filter((i) => i.venue === venue);
  const symbol = s.symbol && onVenue.some((i) => i.symbol === s.symbol) ? s.symbol : (onVenue[0]?.symbol ?? null);
  if (symbol) s.selectMarket(venue, symbol);
  else if (s.venue !== venue) s.setVenue(venue);
}
