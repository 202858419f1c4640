import { describe, expect, it } from 'vitest';
import { DEFAULT_DESK_PREFS, isThreshold, persistDeskPrefs, readDeskPrefs } from './deskPrefs';
import { createKeelStore } from './store';

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

describe('desk preferences', () => {
  it('ask before Cancel all and Flatten all by default, not before Close, and announce with a toast only', () => {
    expect(DEFAULT_DESK_PREFS).toMatchObject({
      confirmCancelAll: true,
      cancelAllScope: 'all',
      confirmFlatten: true,
      confirmClose: false,
      confirmAbove: false,
      announceToast: true,
      announceSound: false,
      announceDesktop: false,
    });
  });

  it('read a saved copy field by field, keeping defaults for anything missing or wrong', () => {
    expect(readDeskPrefs({ confirmClose: true, cancelAllScope: 'symbol', confirmAboveValue: '2500.5' })).toEqual({
      ...DEFAULT_DESK_PREFS,
      confirmClose: true,
      cancelAllScope: 'symbol',
      confirmAboveValue: '2500.5',
    });
    expect(readDeskPrefs({ confirmClose: 'yes', cancelAllScope: 'venue', confirmAboveValue: '-5' })).toEqual(DEFAULT_DESK_PREFS);
    expect(readDeskPrefs(42)).toEqual(DEFAULT_DESK_PREFS);
  });

  it('take only a positive plain amount as the value that asks first', () => {
    expect(isThreshold('10000')).toBe(true);
    expect(isThreshold('0.5')).toBe(true);
    expect(isThreshold('0')).toBe(false);
    expect(isThreshold('1e5')).toBe(false);
    expect(isThreshold('10,000')).toBe(false);
  });

  it('never let a bad value in through the store', () => {
    const store = createKeelStore();
    store.getState().setDeskPrefs({ confirmAboveValue: 'lots' });
    expect(store.getState().deskPrefs.confirmAboveValue).toBe(DEFAULT_DESK_PREFS.confirmAboveValue);
  });

  it('are kept across reloads and followed when another window changes them', () => {
    const storage = memoryStorage();
    const listeners: ((e: StorageEvent) => void)[] = [];
    const events = {
      addEventListener: (_type: string, l: (e: StorageEvent) => void) => void listeners.push(l),
      removeEventListener: () => undefined,
    } as unknown as Pick<Window, 'addEventListener' | 'removeEventListener'>;

    const first = createKeelStore();
    persistDeskPrefs(first, storage);
    first.getState().setDeskPrefs({ announceSound: true });

    const second = createKeelStore();
    persistDeskPrefs(second, storage, events);
    expect(second.getState().deskPrefs.announceSound).toBe(true);

    first.getState().setDeskPrefs({ confirmClose: true });
    for (const l of listeners) l({ key: 'keel.desk.v1' } as StorageEvent);
    expect(second.getState().deskPrefs.confirmClose).toBe(true);
  });
});
