/**
 * Keeps each window's layout across reloads and restarts, in the renderer's
 * local storage under the window's id. The first window is "main"; a window
 * opened with `?window=<id>` in its address keeps a layout of its own.
 */
import { DEFAULT_LAYOUT, isDefaultLayout, readLayout } from './layout';
import type { KeelStore } from './store';

const PREFIX = 'keel.layout.v1:';

/** The window's id from its address ("?window=2"), or "main"; anything but a short plain name counts as "main". */
export function windowIdFrom(search: string): string {
  const id = new URLSearchParams(search).get('window');
  return id && /^[A-Za-z0-9_-]{1,32}$/.test(id) ? id : 'main';
}

export function layoutStorageKey(windowId: string): string {
  return `${PREFIX}${windowId}`;
}

/** Restores the window's saved layout into the store and saves every change; returns the unsubscribe. */
export function persistLayout(store: KeelStore, storage: Storage, windowId: string): () => void {
  const key = layoutStorageKey(windowId);
  try {
    const raw = storage.getItem(key);
    store.setState({ layout: raw === null ? DEFAULT_LAYOUT : readLayout(JSON.parse(raw)) });
  } catch {
    // Garbage or blocked storage: the default layout is fine.
    store.setState({ layout: DEFAULT_LAYOUT });
  }
  return store.subscribe(
    (s) => s.layout,
    (layout) => {
      try {
        if (isDefaultLayout(layout)) storage.removeItem(key);
        else storage.setItem(key, JSON.stringify(layout));
      } catch {
        // Quota or privacy mode: the layout lasts this session only.
      }
    },
  );
}
