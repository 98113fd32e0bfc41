import { useTodoMutations, useTodos } from '@sync-patterns/example-api-todo';
import { useState } from 'react';

/** The project's todos, live: every change by anyone streams in; writes show at once. */
export function TodoList({ projectId }: { projectId: string }) {
  const todos = useTodos({ project_id: projectId });
  const { create, update, remove, error } = useTodoMutations();
  const [title, setTitle] = useState('');
  // failures show through `error`; the promise needs no second handler
  const settle = (write: Promise<unknown>) => void write.catch(() => undefined);
  const rows = [...(todos.data ?? [])].sort((a, b) => a.title.localeCompare(b.title));
  return (
    <section aria-label="Todos (live mode)">
      <h2 style={{ fontSize: '1rem' }}>
        Todos <small>live · {todos.status}</small>
      </h2>
      {error && (
        <p role="alert" style={{ color: '#cf222e' }}>
          {error.message}
        </p>
      )}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          settle(create({ project_id: projectId, title, status: 'todo', priority: 3, due_at: null }));
          setTitle('');
        }}
      >
        <input aria-label="New todo" value={title} onChange={(event) => setTitle(event.target.value)} placeholder="What needs doing?" />
        <button type="submit">Add</button>
      </form>
      {todos.isLoading && <p>Loading…</p>}
      <ul>
        {rows.map((todo) => (
          <li key={todo.id} data-testid="todo" data-pending={!todo.created_at || undefined}>
            <label>
              <input type="checkbox" checked={todo.status === 'done'} onChange={() => settle(update(todo.id, { status: todo.status === 'done' ? 'todo' : 'done' }))} /> {todo.title}
            </label>{' '}
            <button aria-label={`Delete ${todo.title}`} onClick={() => settle(remove(todo.id))}>
              ×
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
