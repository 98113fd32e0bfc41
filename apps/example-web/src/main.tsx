import { configureExampleApi } from '@sync-patterns/example-api-core';
import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { openLocalDatabase } from './local-database';
import { authHeaders, currentSession } from './session';
import { SignIn } from './SignIn';
import './styles.css';

// Local-first: the signed-in user's live rows and waiting writes in the page's SQLite (kept across
// reloads, theirs alone). Without it (a browser without WebAssembly or IndexedDB) the app still
// works, with live data in memory.
const user = currentSession()?.user.id;
const localDatabase = !user
  ? undefined
  : await openLocalDatabase(user).catch((error: unknown) => {
      console.warn('no local database, live data stays in memory:', error);
      return undefined;
    });
// The API (and its shape stream) through the dev server's /api proxy: one origin, no CORS. The
// headers function is called before every request, so it always sends the current token.
configureExampleApi({ baseUrl: '/api', localDatabase, headers: authHeaders });
const queryClient = new QueryClient({ defaultOptions: { queries: { retry: 1 } } });

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <QueryClientProvider client={queryClient}>
      {currentSession() ? <App /> : <SignIn onSignedIn={() => location.reload()} />}
    </QueryClientProvider>
  </StrictMode>,
);
