/**
 * The renderer's composition root: pick the transport, build the store, the
 * candle feed and the sync loop once, and hand them to React.
 */
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { connectBridge, createKeelClient } from './api/client';
import { createCandleFeed } from './stores/candleFeed';
import { KeelProvider, type KeelServices } from './stores/KeelProvider';
import { createKeelStore } from './stores/store';
import { startSync } from './stores/sync';
import { persistDeskPrefs } from './stores/deskPrefs';
import { persistLayout, windowIdFrom } from './stores/layoutPersistence';
import { persistUiPrefs } from './stores/uiPrefs';
import './styles.css';

function localStorageOrNull(): Storage | null {
  try {
    return window.localStorage;
  } catch {
    // Storage can be blocked by policy; preferences are a nicety.
    return null;
  }
}

const client = createKeelClient(connectBridge(window));
const store = createKeelStore();
const storage = localStorageOrNull();
if (storage) {
  persistUiPrefs(store, storage);
  persistLayout(store, storage, windowIdFrom(window.location.search));
  persistDeskPrefs(store, storage, window);
}
const candleFeed = createCandleFeed();
const sync = startSync({ client, store, candleFeed });
const services: KeelServices = { client, store, candleFeed, reload: sync.reload };

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root');
createRoot(root).render(
  <StrictMode>
    <KeelProvider services={services}>
      <App />
    </KeelProvider>
  </StrictMode>,
);
