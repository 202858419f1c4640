/**
 * Keeps the store in step with the engine: routes events (ticks and risk
 * usage coalesced, candles to the chart feed, the rest in order) into one
 * store update per frame, and loads full snapshots at start-up and after
 * every reconnect, because events missed while disconnected are gone.
 */
import type { VenueView } from '../../shared/contract';
import type { Ticker, VenueStatus } from '../../shared/domain';
import type { RiskUsage } from '../../shared/risk';
import type { ConnectionStatus } from '../api/bridge';
import { errorMessage, type KeelClient, type KeelEvent } from '../api/client';
import type { CandleFeed } from './candleFeed';
import { browserFrameClock, createFrameBatcher, type FrameClock } from './frameBatcher';
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

/** How long to wait after a state change before refetching the history that explains it (changes come in bursts). */
const RISK_REFRESH_MS = 150;

export function startSync({ client, store, candleFeed, frameClock }: SyncDeps): Sync {
  let queue: KeelEvent[] = [];
  const ticks = new Map<string, Ticker>();
  // Usage is a state topic at tick rate: only the latest per venue matters.
  const usage = new Map<string, RiskUsage>();
  const clock = frameClock ?? browserFrameClock;

  const batcher = createFrameBatcher(() => {
    const events = queue;
    queue = [];
    for (const u of usage.values()) events.push({ topic: 'risk.usage', data: u });
    usage.clear();
    const latestTicks = [...ticks.values()];
    ticks.clear();
    if (events.length > 0 || latestTicks.length > 0) store.getState().applyEvents(events, latestTicks);
    candleFeed.flush();
  }, frameClock);

  // risk.state carries the new state but not the history entry that records why;
  // fetch the status once the burst (halt, cancels, report) settles.
  let riskRefresh: ReturnType<typeof setTimeout> | null = null;
  function scheduleRiskRefresh(): void {
    if (riskRefresh !== null) return;
    riskRefresh = clock.setTimer(() => {
      riskRefresh = null;
      client.invoke('risk.status', {}).then(
        (status) => store.getState().setRiskStatus(status),
        () => undefined, // The event already moved the state; the history catches up on the next load.
      );
    }, RISK_REFRESH_MS);
  }

  const offEvents = client.onEvent((event) => {
    switch (event.topic) {
      case 'market.tick':
        ticks.set(marketKey(event.data.venue, event.data.symbol), event.data);
        break;
      case 'market.candle':
        candleFeed.push(event.data.venue, event.data.symbol, event.data.candle);
        break;
      case 'risk.usage':
        usage.set(event.data.venue, event.data);
        break;
      case 'risk.state':
        queue.push(event);
        scheduleRiskRefresh();
        break;
      case 'positions.marginAlert':
        // A margin warning or a liquidation is shown at once, wherever the trader is looking.
        store.getState().notify('error', event.data.message);
        break;
      case 'venues.updated':
        queue.push(event);
        // The event says a key was stored or deleted, not what the exchange reported for it: ask.
        void loadCredentials(event.data.venues);
        break;
      default:
        queue.push(event);
    }
    batcher.request();
  });

  /** Key statuses of the exchange venues (the built-in paper venue has no key); a failure leaves the last one shown. */
  async function loadCredentials(list: readonly VenueView[]): Promise<void> {
    await Promise.all(
      list
        .filter((v) => v.removable)
        .map((v) => client.invoke('credentials.status', { venue: v.id }).then((c) => store.getState().setCredentialStatus(c), () => undefined)),
    );
  }

  /** A venue that has just come up (added, given a key, back from blocked) brings instruments, prices and an account. */
  async function whenReady(venue: string): Promise<void> {
    const s = store.getState;
    await Promise.all([
      client.invoke('market.instruments', {}).then((list) => {
        s().setInstruments(list);
        // Looking at the venue while it had no instruments: show its first one now.
        if (s().venue === venue && !s().symbol) s().chooseVenue(venue);
      }, () => undefined),
      client.invoke('market.tickers', {}).then((list) => s().setTickers(list), () => undefined),
      client.invoke('account.summary', { venue }).then((a) => s().setAccount(a), () => undefined),
      client.invoke('risk.limits.get', { venue }).then((c) => s().setRiskConfig(c), () => undefined),
    ]);
  }

  // Venues come and go at runtime (Settings → Exchanges): follow them.
  const offReady = store.subscribe(
    (st) => st.venues,
    (now, before) => {
      if (store.getState().syncEpoch === 0) return; // The first load fetches everything anyway.
      for (const venue of newlyReady(before, now)) void whenReady(venue);
      // The venue on screen was removed (here or from another window): show the first one left.
      const s = store.getState();
      if (s.venue && now.length > 0 && !now.some((v) => v.venue === s.venue)) s.chooseVenue(now[0]!.venue);
    },
  );

  let loadSeq = 0;
  async function reload(): Promise<void> {
    const seq = ++loadSeq;
    const failures: string[] = [];
    const note = (what: string) => (err: unknown) => {
      failures.push(`${what}: ${errorMessage(err)}`);
    };
    const s = store.getState;

    let venues: VenueStatus[] = [];
    try {
      const info = await client.invoke('system.info', {});
      if (seq !== loadSeq) return;
      s().setInfo(info);
      venues = info.venues;
    } catch (err) {
      note('system info')(err);
    }

    await Promise.all([
      client.invoke('market.instruments', {}).then((list) => s().setInstruments(list), note('instruments')),
      client.invoke('market.tickers', {}).then((list) => s().setTickers(list), note('tickers')),
      // The first page (the newest) of each: enough for a session; older pages stay in the journal.
      client.invoke('orders.list', { status: 'all' }).then((page) => s().upsertOrders(page.orders), note('orders')),
      client.invoke('fills.list', {}).then((page) => s().mergeFills(page.fills), note('fills')),
      client.invoke('positions.list', {}).then((list) => s().setPositions(list), note('positions')),
      client.invoke('activity.list', {}).then((list) => s().mergeActivity(list), note('activity')),
      client.invoke('risk.status', {}).then((status) => s().setRiskStatus(status), note('risk status')),
      client.invoke('risk.profiles.list', {}).then((list) => s().setRiskProfiles(list), note('risk profiles')),
      client.invoke('settings.get', {}).then((settings) => s().setSettings(settings), note('settings')),
      client.invoke('hotkey.status', {}).then((status) => s().setHotkeyStatus(status), note('hotkey status')),
      client.invoke('emergency.reports', { limit: 1 }).then((list) => {
        if (list[0]) s().rememberReport(list[0]);
      }, note('emergency reports')),
      client.invoke('venues.list', {}).then(async (list) => {
        s().setVenueList(list.venues);
        await loadCredentials(list.venues);
      }, note('venues')),
      ...venues.flatMap(({ venue, state }) => [
        // A venue that has not come up has no account or limits yet; they are loaded when it does (see `whenReady`).
        client.invoke('account.summary', { venue }).then((a) => s().setAccount(a), state === 'ready' ? note(`account (${venue})`) : () => undefined),
        client.invoke('risk.limits.get', { venue }).then((c) => s().setRiskConfig(c), state === 'ready' ? note(`risk limits (${venue})`) : () => undefined),
      ]),
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
      offReady();
      batcher.dispose();
      if (riskRefresh !== null) clock.clearTimer(riskRefresh);
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

/** Venues that are ready now and were not before (or did not exist). */
export function newlyReady(before: readonly VenueStatus[], now: readonly VenueStatus[]): string[] {
  const wasReady = new Set(before.filter((v) => v.state === 'ready').map((v) => v.venue));
  return now.filter((v) => v.state === 'ready' && !wasReady.has(v.venue)).map((v) => v.venue);
}
