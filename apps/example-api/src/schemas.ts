/**
 * JSON Schemas the server validates requests with (Fastify compiles them with Ajv + formats).
 * Written for the server on purpose, not derived from openapi.yaml: the end-to-end tests then prove
 * that code generated from the document agrees with an independent implementation of it.
 */
type JsonSchema = Record<string, unknown>;

const uuid = { type: 'string', format: 'uuid' } as const;
const text = (minLength: number, maxLength: number) => ({ type: 'string', minLength, maxLength }) as const;
const nullable = (schema: JsonSchema) => ({ anyOf: [schema, { type: 'null' }] });
const dateTime = { type: 'string', format: 'date-time' } as const;
const role = { type: 'string', enum: ['member', 'admin'] } as const;
const todoStatus = { type: 'string', enum: ['todo', 'doing', 'done'] } as const;

function object(properties: Record<string, JsonSchema>, required: string[] = []): JsonSchema {
  return { type: 'object', properties, required, additionalProperties: false };
}

const userFields = { email: { type: 'string', format: 'email', maxLength: 320 }, name: text(1, 120), role };
const projectFields = { name: text(1, 200), description: nullable(text(0, 2000)), archived: { type: 'boolean' } };
const todoFields = {
  title: text(1, 200),
  status: todoStatus,
  priority: { type: 'integer', minimum: 1, maximum: 5 },
  due_at: nullable(dateTime),
  internal_notes: nullable({ type: 'string' }),
};

export const userCreate = object(userFields, ['email', 'name', 'role']);
export const userPatch = object(userFields);
export const projectCreate = object({ ...projectFields, owner_id: uuid }, ['name', 'owner_id']);
export const projectPatch = object(projectFields);
export const todoCreate = object({ ...todoFields, id: uuid, project_id: uuid }, [
  'project_id',
  'title',
  'status',
  'priority',
]);
export const todoPatch = object(todoFields);
export const todoMove = object({ project_id: uuid }, ['project_id']);

export const projectListQuery = object({
  offset: { type: 'integer', minimum: 0, default: 0 },
  limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
  owner_id: uuid,
});
export const todoListQuery = object({ project_id: uuid, status: todoStatus });
export const noQuery = object({});

const password = text(8, 200);
export const accountCreate = object({ email: userFields.email, name: userFields.name, password }, [
  'email',
  'name',
  'password',
]);
export const credentials = object(
  { email: { type: 'string', maxLength: 320 }, password: { type: 'string', maxLength: 200 } },
  ['email', 'password'],
);
export const memberCreate = object({ user_id: uuid }, ['user_id']);
