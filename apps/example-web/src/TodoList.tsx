import type { SyncError } from '@sync-patterns/runtime';
import { useSyncStatus } from '@sync-patterns/runtime';
import {
  useArchiveTodo,
  useCompleteProjectTodos,
  useMoveTodo,
  useTodoMutations,
  useTodos,
  type Todo,
} from '@sync-patterns/example-api-todo';
import { useRef, useState } from 'react';
import { AlertIcon, ArchiveIcon, CloseIcon, TrashIcon } from './icons';
import { PanelHead } from './ModeBadge';

interface ProjectChoice {
  id: string;
  name: string;
}

/**
 * The project's open todos, live: every change by anyone streams in; writes show at once. Archive,
 * move and "complete all" are the API's domain actions (generated from the spec with the change
 * each shows at once, x-sync-optimistic), so they show at once too and roll back if refused.
 */
export function TodoList({
  project,
  projects,
}: {
  project: ProjectChoice & { description: string | null };
  /** Where a todo can be moved. */
  projects: readonly ProjectChoice[];
}) {
  const todos = useTodos({ project_id: project.id });
  const mutations = useTodoMutations();
  const { create, update, remove } = mutations;
  const archive = useArchiveTodo();
  const move = useMoveTodo();
  const complete = useCompleteProjectTodos();
  // the newest failure of any of them (each hook keeps its own)
  const error = [mutations.error, archive.error, move.error, complete.error].find(Boolean) ?? null;
  const { status } = useSyncStatus();
  const [title, setTitle] = useState('');
  const [dismissed, setDismissed] = useState<SyncError | null>(null);
  const input = useRef<HTMLInputElement>(null);
  // failures show through `error`; the promise needs no second handler
  const settle = (write: Promise<unknown>) => void write.catch(() => undefined);
  const rows = [...(todos.data ?? [])].filter((todo) => !todo.archived).sort((a, b) => a.title.localeCompare(b.title));
  const others = projects.filter((p) => p.id !== project.id);
  const done = rows.filter((todo) => todo.status === 'done').length;
  // a conflict is listed above (Conflicts), with what to do about it: not said twice
  const refused = error && error !== dismissed && error.kind !== 'conflict' ? error : null;
  return (
    <>
      <div className="project-title">
        <h2>{project.name}</h2>
        {project.description && <p>{project.description}</p>}
      </div>
      <section className="panel" aria-labelledby="todos-title">
        <PanelHead id="todos-title" title="Todos" mode="live" small />
        <form
          className="add-form"
          onSubmit={(event) => {
            event.preventDefault();
            const text = title.trim();
            if (!text) return;
            settle(create({ project_id: project.id, title: text, status: 'todo', priority: 3, due_at: null }));
            setTitle('');
          }}
        >
          <label htmlFor="new-todo" className="visually-hidden">
            New todo
          </label>
          <input
            id="new-todo"
            ref={input}
            value={title}
            onChange={(event) => setTitle(event.target.value)}
            placeholder="What needs doing?"
            autoComplete="off"
            maxLength={200}
            required
          />
          <button type="submit" className="button button-primary">
            Add
          </button>
        </form>
        {refused && (
          <RefusedWrite
            error={refused}
            onDismiss={() => {
              setDismissed(refused);
              input.current?.focus();
            }}
          />
        )}
        {todos.isLoading ? (
          <div className="todo-list" aria-busy="true">
            <span className="visually-hidden">Loading todos…</span>
            {[60, 45, 70].map((width) => (
              <div key={width} className="skeleton-row" aria-hidden="true">
                <span className="skeleton box" />
                <span className="skeleton" style={{ width: `${width}%` }} />
              </div>
            ))}
          </div>
        ) : rows.length === 0 ? (
          <p className="empty">No todos in {project.name} yet. Add the first one above.</p>
        ) : (
          <ul className="todo-list" aria-labelledby="todos-title">
            {rows.map((todo) => (
              <TodoRow
                key={todo.id}
                todo={todo}
                waiting={status === 'offline'}
                onToggle={() => settle(update(todo.id, { status: todo.status === 'done' ? 'todo' : 'done' }))}
                onDelete={() => settle(remove(todo.id))}
                onArchive={() => settle(archive.mutate({ path: { id: todo.id } }))}
                moveTargets={others}
                onMove={(to) => settle(move.mutate({ path: { id: todo.id }, body: { project_id: to } }))}
              />
            ))}
          </ul>
        )}
        <div className="list-footer">
          <span>{todos.isLoading ? '' : `${rows.length} ${rows.length === 1 ? 'todo' : 'todos'} · ${done} done`}</span>
          {rows.length > done && (
            <button
              type="button"
              className="link-button"
              onClick={() => settle(complete.mutate({ path: { id: project.id } }))}
            >
              Complete all
            </button>
          )}
          <span>Tip: open this page in a second window and watch changes arrive.</span>
        </div>
      </section>
    </>
  );
}

const STATUS_TAGS: Partial<Record<Todo['status'], string>> = { doing: 'In progress' };

function TodoRow({
  todo,
  waiting,
  onToggle,
  onDelete,
  onArchive,
  moveTargets,
  onMove,
}: {
  todo: Todo;
  waiting: boolean;
  onToggle: () => void;
  onDelete: () => void;
  onArchive: () => void;
  moveTargets: readonly ProjectChoice[];
  onMove: (projectId: string) => void;
}) {
  // a row the server has not confirmed yet has no server-set creation time
  const pending = !todo.created_at;
  const tag = STATUS_TAGS[todo.status];
  return (
    <li
      className="todo"
      data-testid="todo"
      data-pending={pending || undefined}
      data-done={todo.status === 'done' || undefined}
    >
      <label>
        <input type="checkbox" className="check" checked={todo.status === 'done'} onChange={onToggle} />
        <span className="title" data-testid="todo-title">
          {todo.title}
        </span>
      </label>
      <span className="tags">
        {pending &&
          (waiting ? (
            <span className="tag tag-waiting">Waiting to send</span>
          ) : (
            <span className="tag tag-pending">
              <span className="spinner" aria-hidden="true" />
              Saving…
            </span>
          ))}
        {tag && <span className="tag tag-doing">{tag}</span>}
        <span className="tag tag-priority" title={`Priority ${todo.priority} of 5`}>
          P{todo.priority}
        </span>
      </span>
      {moveTargets.length > 0 && (
        <select
          className="move-select"
          aria-label={`Move ${todo.title} to`}
          value=""
          onChange={(event) => event.target.value && onMove(event.target.value)}
        >
          <option value="">Move to…</option>
          {moveTargets.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name}
            </option>
          ))}
        </select>
      )}
      <button
        type="button"
        className="icon-button icon-button-quiet"
        aria-label={`Archive ${todo.title}`}
        title="Archive"
        onClick={onArchive}
      >
        <ArchiveIcon />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={`Delete ${todo.title}`}
        title="Delete"
        onClick={onDelete}
      >
        <TrashIcon />
      </button>
    </li>
  );
}

/** A write the server refused: it has been rolled back; say why, in the server's words. */
function RefusedWrite({ error, onDismiss }: { error: SyncError; onDismiss: () => void }) {
  const body = (error.body ?? {}) as { title?: unknown; detail?: unknown };
  const reason =
    typeof body.detail === 'string' ? body.detail : typeof body.title === 'string' ? body.title : undefined;
  const heading = error.kind === 'network' ? 'Your change could not be sent' : 'The server refused your change';
  return (
    <div role="alert" className="alert">
      <AlertIcon />
      <div className="alert-body">
        <strong>{heading}</strong>
        <p>{reason ? `${capitalise(reason)}. It has been undone.` : 'It has been undone.'}</p>
        <p className="technical">{error.message}</p>
      </div>
      <button type="button" className="icon-button" aria-label="Dismiss" onClick={onDismiss}>
        <CloseIcon />
      </button>
    </div>
  );
}

const capitalise = (text: string) => text.charAt(0).toUpperCase() + text.slice(1).replace(/\.$/, '');
