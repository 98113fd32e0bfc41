import { useSyncStatus } from '@sync-patterns/runtime';
import { useTodoMutations, useTodos } from '@sync-patterns/example-api-todo';
import { useState } from 'react';

/**
 * An ordinary component on the generated Todo hooks. It imports the library by its alias and knows
 * nothing of Todo's sync mode: the mode-switch tests run it against Todo generated as push and as
 * live, unchanged.
 */
export function TodoBoard({ projectId }: { projectId: string }) {
  const todos = useTodos({ project_id: projectId });
  const { create, update, remove, error } = useTodoMutations();
  const app = useSyncStatus();
  const [title, setTitle] = useState('');
  // failures are shown through `error`; the promise's rejection needs no second handler
  const settle = (write: Promise<unknown>) => void write.catch(() => undefined);

  return (
    <section>
      <p role="status">{todos.isLoading ? 'loading' : `${todos.status} · app ${app.status}`}</p>
      {error && <p role="alert">{error.message}</p>}
      <form
        onSubmit={(event) => {
          event.preventDefault();
          settle(
            create({
              project_id: projectId,
              title,
              status: 'todo',
              priority: 3,
              due_at: null,
            }),
          );
          setTitle('');
        }}
      >
        <input aria-label="New todo" value={title} onChange={(event) => setTitle(event.target.value)} />
        <button type="submit">Add</button>
      </form>
      {todos.data?.length === 0 && <p>No todos yet</p>}
      <ul>
        {[...(todos.data ?? [])]
          .sort((a, b) => a.title.localeCompare(b.title))
          .map((todo) => (
            <li key={todo.id}>
              <span>{todo.title}</span> <span>{todo.status}</span>
              <button onClick={() => settle(update(todo.id, { status: 'done' }))}>Done: {todo.title}</button>
              <button onClick={() => settle(remove(todo.id))}>Delete: {todo.title}</button>
            </li>
          ))}
      </ul>
    </section>
  );
}
