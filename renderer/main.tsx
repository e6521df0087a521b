import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getBridge } from './api/bridge.js';
import { createApiClient, httpTransport, ipcTransport, takeTokenFromLocation } from './api/client.js';
import { ApiProvider } from './api/hooks.js';
import { App } from './App.js';
import { I18nProvider } from './i18n.js';
import './styles.css';

const bridge = getBridge();
const client = createApiClient(bridge ? ipcTransport(bridge) : httpTransport(takeTokenFromLocation()));

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider client={client}>
      <I18nProvider>
        <App />
      </I18nProvider>
    </ApiProvider>
  </StrictMode>,
);
