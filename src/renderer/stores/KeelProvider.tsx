/**
 * Hands the composition root's store, client and candle feed to React.
 * Created once in main.tsx and passed down, rather than imported as module
 * singletons, so every piece can be built fresh in a test.
 */
import { createContext, useContext, type ReactNode } from 'react';
import { useStore } from 'zustand';
import type { KeelClient } from '../api/client';
import type { CandleFeed } from './candleFeed';
import type { KeelState, KeelStore } from './store';

export interface KeelServices {
  store: KeelStore;
  client: KeelClient;
  candleFeed: CandleFeed;
  /** Reloads every snapshot from the host (after a reset, or on demand). */
  reload(): Promise<void>;
}

const ServicesContext = createContext<KeelServices | null>(null);

export function KeelProvider({ services, children }: { services: KeelServices; children: ReactNode }) {
  return <ServicesContext.Provider value={services}>{children}</ServicesContext.Provider>;
}

export function useServices(): KeelServices {
  const services = useContext(ServicesContext);
  if (!services) throw new Error('useServices outside <KeelProvider>');
  return services;
}

/** Selects from the store; pass an atomic selector, or wrap a derived one in `useShallow`. */
export function useKeel<T>(selector: (s: KeelState) => T): T {
  return useStore(useServices().store, selector);
}

export function useClient(): KeelClient {
  return useServices().client;
}
