/**
 * Fills, triggered stops and price alerts announce themselves, as the trader
 * chose in Settings → Trading: a toast (also read out by screen readers), a
 * short tone, and a desktop notification while the window is not focused.
 * Every other alert the engine raises (a risk breach, the emergency stop, a
 * lost venue...) is told with a toast, and with the tone and the desktop
 * notice its kind has switched on in Settings → Alerts. Events come
 * straight from the engine and are told a moment later, once the order they
 * are about is known (asked of the engine when the store has not caught up,
 * as in a hidden window); fills of one order arriving together are told
 * once.
 */
import { useEffect } from 'react';
import type { Order } from '../../../shared/domain';
import { noticePermission, notifyDesktop, shouldNotifyDesktop } from '../../lib/desktopNotice';
import { playTone } from '../../lib/tone';
import { useServices } from '../../stores/KeelProvider';
import { instrumentFor } from '../../stores/selectors';
import {
  alertAnnouncement,
  ANNOUNCED_ELSEWHERE,
  fillAnnouncement,
  gatherFill,
  priceAlertAnnouncement,
  triggerAnnouncement,
  type Announcement,
  type FillGroup,
} from './announcements';

/** How long fills of one order are gathered before they are told: longer than a burst, shorter than anyone notices. */
const GATHER_MS = 250;
/** Tones closer together than this would blur into noise (a busy strategy): one is enough to say "something filled". */
const TONE_GAP_MS = 300;

export function useAnnouncements(): void {
  const { client, store } = useServices();
  useEffect(() => {
    const pending = new Map<string, FillGroup>();
    const triggered = new Set<string>();
    let timer: ReturnType<typeof setTimeout> | null = null;
    let lastTone = -Infinity;

    /** Channels default to the trader's announcement preferences; an alert's kind brings its own. */
    const announce = (a: Announcement, channels?: { toast: boolean; sound: boolean; desktop: boolean }) => {
      const prefs = store.getState().deskPrefs;
      const use = channels ?? { toast: prefs.announceToast, sound: prefs.announceSound, desktop: prefs.announceDesktop };
      if (use.toast) store.getState().notify(a.kind, `${a.title} ${a.body}`.trim());
      if (use.sound && performance.now() - lastTone >= TONE_GAP_MS) {
        lastTone = performance.now();
        playTone(a.tone);
      }
      const focused = typeof document !== 'undefined' && document.hasFocus();
      if (shouldNotifyDesktop(use.desktop, noticePermission(), focused)) notifyDesktop(a.title, a.body, a.tag);
    };

    /**
     * The order an event is about, as of `since` at least: from the store, or asked of the engine when the
     * store has not caught up (a hidden window's store waits for an animation frame).
     */
    const orderOf = async (orderId: string, since = 0): Promise<Order | undefined> => {
      const known = store.getState().orders.find((o) => o.id === orderId);
      if (known && known.updatedAt >= since) return known;
      try {
        return await client.invoke('orders.get', { orderId });
      } catch {
        return undefined;
      }
    };

    const flush = () => {
      timer = null;
      const fills = [...pending.values()];
      const triggers = [...triggered];
      pending.clear();
      triggered.clear();
      // A stop says it triggered before its fill is told.
      for (const orderId of triggers) {
        void orderOf(orderId).then((order) => {
          if (order) announce(triggerAnnouncement(order, instrumentFor(store.getState(), order.venue, order.symbol)));
        });
      }
      for (const g of fills) {
        void orderOf(g.orderId, g.lastAt).then((order) =>
          announce(fillAnnouncement(g, order, instrumentFor(store.getState(), g.venue, g.symbol))),
        );
      }
    };

    const off = client.onEvent((e) => {
      if (e.topic === 'alerts.price.triggered') {
        announce(priceAlertAnnouncement(e.data));
        return;
      }
      if (e.topic === 'alerts.new') {
        if (!ANNOUNCED_ELSEWHERE.has(e.data.kind)) announce(alertAnnouncement(e.data), { toast: true, sound: e.data.channels.sound, desktop: e.data.channels.desktop });
        return;
      }
      if (e.topic === 'fills.new') {
        gatherFill(pending, e.data);
      } else if (e.topic === 'orders.history' && e.data.type === 'OrderTriggered' && e.data.outcome === 'applied') {
        triggered.add(e.data.orderId);
      } else {
        return;
      }
      timer ??= setTimeout(flush, GATHER_MS);
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, store]);
}
