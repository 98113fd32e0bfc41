import * as schemas from './schemas';
import { projectAccess, todoAccess, userAccess } from './auth/access';
import type { ResourceSpec } from './resource';

export const RESOURCES: readonly ResourceSpec[] = [
  {
    path: '/users',
    table: 'users',
    noun: 'user',
    columns: ['id', 'email', 'name', 'role', 'created_at'],
    createBody: schemas.userCreate,
    patchBody: schemas.userPatch,
    listQuery: schemas.noQuery,
    filters: [],
    pagination: 'none',
    staffWrites: ['role'],
    access: userAccess,
  },
  {
    path: '/projects',
    table: 'projects',
    noun: 'project',
    columns: ['id', 'name', 'owner_id', 'description', 'archived', 'created_at'],
    createBody: schemas.projectCreate,
    patchBody: schemas.projectPatch,
    listQuery: schemas.projectListQuery,
    filters: ['owner_id'],
    pagination: 'offset',
    access: projectAccess,
  },
  {
    path: '/todos',
    table: 'todos',
    noun: 'todo',
    columns: ['id', 'project_id', 'title', 'status', 'priority', 'due_at', 'internal_notes', 'created_at', 'updated_at'],
    createBody: schemas.todoCreate,
    patchBody: schemas.todoPatch,
    listQuery: schemas.todoListQuery,
    filters: ['project_id', 'status'],
    pagination: 'none',
    touch: 'updated_at',
    staffColumns: ['internal_notes'],
    access: todoAccess,
  },
];
