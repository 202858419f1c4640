import { describe, expect, it } from 'vitest';
import { DEFAULT_LAYOUT } from './layout';
import { layoutStorageKey, persistLayout, windowIdFrom } from './layoutPersistence';
import { createKeelStore } from './store';

/** A Storage that keeps everything in a map, as local storage would across a reload. */
function memoryStorage(): Storage {
  const m = new Map<string, string>();
  return {
    get length() {
      return m.size;
    },
    clear: () => m.clear(),
    getItem: (k) => m.get(k) ?? null,
    key: (i) => [...m.keys()][i] ?? null,
    removeItem: (k) => void m.delete(k),
    setItem: (k, v) => void m.set(k, v),
  };
}

describe('layout saved per window', () => {
  it('names the window from its address, "main" otherwise', () => {
    expect(windowIdFrom('?token=abc&window=2')).toBe('2');
    expect(windowIdFrom('?token=abc')).toBe('main');
    expect(windowIdFrom('?window=../../etc')).toBe('main');
    expect(windowIdFrom('')).toBe('main');
  });

  it('survives a reload of the same window and stays apart from other windows', () => {
    const storage = memoryStorage();
    const first = createKeelStore();
    const stop = persistLayout(first, storage, 'main');
    first.getState().setSplit('bottom', 0.5);
    first.getState().setCollapsed('left', true);
    stop();

    const reloaded = createKeelStore();
    persistLayout(reloaded, storage, 'main');
    expect(reloaded.getState().layout.bottom).toBe(0.5);
    expect(reloaded.getState().layout.collapsed.left).toBe(true);

    const other = createKeelStore();
    persistLayout(other, storage, '2');
    expect(other.getState().layout).toEqual(DEFAULT_LAYOUT);
  });

  it('forgets the saved layout on reset, and ignores garbage', () => {
    const storage = memoryStorage();
    const store = createKeelStore();
    persistLayout(store, storage, 'main');
    store.getState().setSplit('ticket', 400);
    expect(storage.getItem(layoutStorageKey('main'))).not.toBeNull();
    store.getState().resetLayout();
    expect(storage.getItem(layoutStorageKey('main'))).toBeNull();

    storage.setItem(layoutStorageKey('main'), '{not json');
    const again = createKeelStore();
    persistLayout(again, storage, 'main');
    expect(again.getState().layout).toEqual(DEFAULT_LAYOUT);
  });
});
