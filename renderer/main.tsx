import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { getBridge } from './api/bridge.js';
import { createApiClient, httpRawPost, httpTransport, ipcTransport, takeTokenFromLocation, watchHostWorkspace } from './api/client.js';
import { ApiProvider } from './api/hooks.js';
import { App } from './App.js';
import { I18nProvider } from './i18n.js';
import './styles.css';

const bridge = getBridge();
const token = bridge ? '' : takeTokenFromLocation();
const client = bridge ? createApiClient(ipcTransport(bridge)) : createApiClient(httpTransport(token), httpRawPost(token));
// Desktop windows each have their own backend session; browser tabs share the host's one workspace.
if (!bridge) watchHostWorkspace(client, token);

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <ApiProvider client={client}>
      <I18nProvider>
        <App login={!bridge && !token} />
      </I18nProvider>
    </ApiProvider>
  </StrictMode>,
);
