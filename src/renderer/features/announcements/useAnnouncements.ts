/**
 * Fills and triggered stops announce themselves, as the trader chose in
 * Settings: a toast (also read out by screen readers), a short tone, and a
 * desktop notification while the window is not focused. Events come
 * straight from the engine; fills of one order arriving together are told
 * once.
 */
import { useEffect } from 'react';
import { noticePermission, notifyDesktop, shouldNotifyDesktop } from '../../lib/desktopNotice';
import { playTone } from '../../lib/tone';
import { useServices } from '../../stores/KeelProvider';
import { instrumentFor } from '../../stores/selectors';
import { fillAnnouncement, gatherFill, triggerAnnouncement, type Announcement, type FillGroup } from './announcements';

/** How long fills of one order are gathered before they are told: longer than a burst, shorter than anyone notices. */
const GATHER_MS = 250;

export function useAnnouncements(): void {
  const { client, store } = useServices();
  useEffect(() => {
    const pending = new Map<string, FillGroup>();
    let timer: ReturnType<typeof setTimeout> | null = null;

    const announce = (a: Announcement) => {
      const prefs = store.getState().deskPrefs;
      if (prefs.announceToast) store.getState().notify(a.kind, `${a.title} ${a.body}`.trim());
      if (prefs.announceSound) playTone(a.tone);
      const focused = typeof document !== 'undefined' && document.hasFocus();
      if (shouldNotifyDesktop(prefs.announceDesktop, noticePermission(), focused)) notifyDesktop(a.title, a.body, a.tag);
    };

    const flush = () => {
      timer = null;
      const s = store.getState();
      for (const g of pending.values()) {
        announce(fillAnnouncement(g, s.orders.find((o) => o.id === g.orderId), instrumentFor(s, g.venue, g.symbol)));
      }
      pending.clear();
    };

    const off = client.onEvent((e) => {
      if (e.topic === 'fills.new') {
        gatherFill(pending, e.data);
        timer ??= setTimeout(flush, GATHER_MS);
      } else if (e.topic === 'orders.history' && e.data.type === 'OrderTriggered' && e.data.outcome === 'applied') {
        const s = store.getState();
        const order = s.orders.find((o) => o.id === e.data.orderId);
        if (order) announce(triggerAnnouncement(order, instrumentFor(s, order.venue, order.symbol)));
      }
    });
    return () => {
      off();
      if (timer) clearTimeout(timer);
    };
  }, [client, store]);
}
