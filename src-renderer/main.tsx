import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { createAppStore } from './store/app-store';
import { StoreProvider } from './store/store-context';
import { selectHostClient } from './host-client/select-client';
import './styles.css';

const rootEl = document.getElementById('root');
if (!rootEl) throw new Error('index.html has no #root');
const selected = selectHostClient(window);
if (!selected) {
  rootEl.textContent = 'This page must be opened by Remote Assist: start it with `npm start` and use the address it prints.';
} else {
  const store = createAppStore(selected.client, selected.uploader);
  // Exposed for end-to-end tests and diagnostics only: reading state, never a back door to main.
  (window as unknown as { __remoteAssistStore?: unknown }).__remoteAssistStore = store;
  void store.getState().init();
  createRoot(rootEl).render(
    <StrictMode>
      <StoreProvider store={store}>
        <App />
      </StoreProvider>
    </StrictMode>,
  );
}
