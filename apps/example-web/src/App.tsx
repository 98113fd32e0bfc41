import { useProjects } from '@sync-patterns/example-api-project';
import { useSyncStatus } from '@sync-patterns/runtime';
import { useEffect, useState } from 'react';
import { Conflicts } from './Conflicts';
import { BrandMark } from './icons';
import { PanelHead } from './ModeBadge';
import { OfflineBanner } from './OfflineBanner';
import { currentSession, forget, signOut } from './session';
import { SyncIndicator } from './SyncIndicator';
import { TodoCounts } from './TodoCounts';
import { TodoList } from './TodoList';

const CHOSEN = 'sync-patterns-example:project';

interface Chosen {
  id: string;
  name: string;
  description: string | null;
}

function remembered(): Chosen | undefined {
  try {
    const value = JSON.parse(sessionStorage.getItem(CHOSEN) ?? 'null') as Chosen | null;
    return value?.id ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Projects (push mode) in the sidebar, the chosen project's todos (live mode), the counts (cache mode) beside them. */
export function App() {
  const projects = useProjects();
  // while the query retries it is still "connecting", but the app knows the server is gone
  const appStatus = useSyncStatus().status;
  const offline = projects.status === 'offline' || appStatus === 'offline';
  // the chosen project is remembered, so after a reload without the API its todos still show
  const [chosen, setChosen] = useState<Chosen | undefined>(remembered);
  const choose = (project: Chosen) => {
    const value = { id: project.id, name: project.name, description: project.description };
    sessionStorage.setItem(CHOSEN, JSON.stringify(value));
    setChosen(value);
  };
  const first = projects.data?.[0];
  const current = projects.data?.find((p) => p.id === chosen?.id) ?? chosen ?? first;
  useEffect(() => {
    if (first && !chosen) choose(first);
  });
  // a token the server no longer knows (expired, signed out elsewhere): sign in again
  const unauthenticated = (projects.error as { status?: number } | null)?.status === 401;
  useEffect(() => {
    if (unauthenticated) void forget();
  }, [unauthenticated]);
  return (
    <>
      <a className="skip-link" href="#todos">
        Skip to the todos
      </a>
      <header className="topbar">
        <div className="topbar-inner">
          <div className="brand">
            <BrandMark />
            <div>
              <h1>Team Todos</h1>
              <p>A local-first example built with sync-patterns</p>
            </div>
          </div>
          <div className="topbar-end">
            <SyncIndicator />
            <button
              type="button"
              className="button button-quiet"
              onClick={() => void signOut()}
              title={currentSession()?.user.email}
            >
              Sign out
            </button>
          </div>
        </div>
      </header>
      <OfflineBanner />
      <Conflicts />
      <div className="layout">
        <nav className="sidebar panel" aria-labelledby="projects-title">
          <PanelHead id="projects-title" title="Projects" mode="push" />
          {projects.error && !offline && (
            <p role="alert" className="alert">
              {projects.error.message}
            </p>
          )}
          {!projects.data && !projects.error && !offline && (
            <div className="project-list" aria-busy="true">
              <span className="visually-hidden">Loading projects…</span>
              <span className="skeleton" style={{ height: '2.4rem' }} />
            </div>
          )}
          {!projects.data && offline && <p className="empty">Offline: the projects load when the server is back.</p>}
          {projects.data?.length === 0 && <p className="empty">No projects yet.</p>}
          {projects.data && projects.data.length > 0 && (
            <ul className="project-list">
              {projects.data.map((project) => (
                <li key={project.id}>
                  <button
                    type="button"
                    className="project-button"
                    aria-current={project.id === current?.id ? 'true' : undefined}
                    onClick={() => choose(project)}
                  >
                    <span className="name">{project.name}</span>
                    {project.description && <span className="description">{project.description}</span>}
                  </button>
                </li>
              ))}
            </ul>
          )}
        </nav>
        <main className="content" id="todos" tabIndex={-1}>
          {current ? (
            <TodoList key={current.id} project={current} projects={projects.data ?? []} />
          ) : projects.data ? (
            <p className="panel empty">Create a project to start adding todos.</p>
          ) : (
            <div className="panel" aria-busy="true">
              <span className="visually-hidden">Loading…</span>
              <span className="skeleton" style={{ width: '40%', height: '1.5rem' }} />
            </div>
          )}
        </main>
        <aside className="stats">
          <TodoCounts />
        </aside>
      </div>
    </>
  );
}
