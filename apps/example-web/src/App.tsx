import { useProjects } from '@sync-patterns/example-api-project';
import { useEffect, useState } from 'react';
import { SyncIndicator } from './SyncIndicator';
import { TodoCounts } from './TodoCounts';
import { TodoList } from './TodoList';

const CHOSEN = 'sync-patterns-example:project';

/** Projects (push mode) on the left, the chosen project's todos (live mode) and the counts (cache mode). */
export function App() {
  const projects = useProjects();
  // the chosen project is remembered, so after a reload without the API its todos still show
  const [chosen, setChosen] = useState<string | undefined>(() => sessionStorage.getItem(CHOSEN) ?? undefined);
  const choose = (id: string) => {
    sessionStorage.setItem(CHOSEN, id);
    setChosen(id);
  };
  const projectId = chosen ?? projects.data?.[0]?.id;
  useEffect(() => {
    if (projectId && !chosen) choose(projectId);
  });
  return (
    <main style={{ fontFamily: 'system-ui, sans-serif', maxWidth: 880, margin: '1rem auto', display: 'grid', gap: '1rem' }}>
      <header style={{ display: 'flex', justifyContent: 'space-between', alignItems: 'center' }}>
        <h1 style={{ margin: 0, fontSize: '1.3rem' }}>sync-patterns example</h1>
        <SyncIndicator />
      </header>
      <section aria-label="Projects (push mode)">
        <h2 style={{ fontSize: '1rem' }}>
          Projects <small>push</small>
        </h2>
        {projects.error && <p role="alert">{projects.error.message}</p>}
        {!projects.data && !projects.error && <p>{projects.status === 'offline' ? 'Offline: projects load when the API is back.' : 'Loading projects…'}</p>}
        {projects.data?.map((project) => (
          <button key={project.id} aria-pressed={project.id === projectId} onClick={() => choose(project.id)} style={{ marginRight: 8 }}>
            {project.name}
          </button>
        ))}
      </section>
      {projectId && <TodoList projectId={projectId} />}
      <TodoCounts />
    </main>
  );
}
