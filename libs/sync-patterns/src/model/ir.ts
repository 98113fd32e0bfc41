/**
 * The intermediate model (IR): what sync-patterns understood of a spec. Built once by
 * `buildModel`, the only code that interprets OpenAPI and `x-sync`; every emitter reads this and
 * nothing else (emitters may look at raw schemas only through `schemaPointer`s recorded here).
 */
import type { Diagnostic } from '../openapi/diagnostics';
import type { OpenApiDocument } from '../openapi/load-spec';

export type SyncMode = 'push' | 'live' | 'cache';
export type ConflictPolicy = 'backend-wins' | 'client-wins' | 'field-merge' | 'custom';
/** field-merge: who wins when both sides changed one field (`union`: both lists' items, for arrays). */
export type MergeRule = 'server' | 'client' | 'union';
export type OperationKind = 'list' | 'get' | 'create' | 'update' | 'delete';
export type HttpMethod = 'get' | 'post' | 'put' | 'patch' | 'delete';
/** `raw`: a body of another media type (octet-stream, text, XML), sent as the caller gives it. */
export type BodyEncoding = 'json' | 'form' | 'multipart' | 'raw';

/** A JSON Schema object as it stands in the (canonical) document. */
export type JsonSchema = Record<string, unknown>;

export interface RetrySettings {
  attempts: number;
  backoff: 'exponential' | 'linear' | 'fixed';
  delayMs: number;
}

/** The resolved `x-sync` options of one model, defaults applied. */
export interface SyncOptions {
  mode: SyncMode;
  key: string;
  table: string;
  exclude: string[];
  conflict: ConflictPolicy;
  /** field-merge: the same-field rule of each property declared (the others: server). */
  mergeRules: Record<string, MergeRule>;
  /** The property carrying the row's version, sent as `If-Match` with writes (see ConflictContract). */
  version?: string;
  /** Live mode: the condition on the shape's rows as written (see SyncModel.shape). */
  where?: string;
  /** Live mode: `on-demand` loads the rows each live query asks for (Electric subsets); absent: eager, every row. */
  sync?: 'on-demand';
  /** Cache mode: seconds a result stays fresh. */
  ttl?: number;
  /** Cache mode: models (schema names) whose writes make the cached results stale. */
  invalidatedBy?: string[];
  retry: RetrySettings;
}

/**
 * How a model's writes meet a row that moved on, as the spec declares it: the strategy, the
 * property that carries the row's version, and which writes send it as `If-Match`.
 */
export interface ConflictContract {
  strategy: ConflictPolicy;
  /** The property whose value each write sends as `If-Match`; absent: no precondition (the last write wins). */
  version?: string;
  /** field-merge: the same-field rule of each property declared (the others: server). */
  rules: Record<string, MergeRule>;
  /** The writes that send `If-Match` (the spec declares it and a 412 on them). */
  preconditions: ('update' | 'delete')[];
}

export interface SyncApi {
  /** kebab-case id of the api, used for library folder names and query-key roots. */
  id: string;
  title: string;
  specFile: string;
  version: '3.0' | '3.1';
  /** The canonical document, for openapi-typescript and the validator emitter. */
  document: OpenApiDocument;
  /** First `servers[].url`, the default base URL of the generated client. */
  serverUrl: string;
  models: SyncModel[];
  /** Every operation of the spec (GET, POST, PUT, PATCH, DELETE), in spec order, and what it became. */
  operations: ApiOperation[];
  diagnostics: Diagnostic[];
}

/** Every name the emitters need, computed once and checked for collisions. */
export interface ModelNames {
  /** TypeScript type name of a row, e.g. `Todo`. */
  type: string;
  /** camelCase singular, e.g. `todo`. */
  camel: string;
  /** PascalCase plural used in hook names, e.g. `Todos` (or `TodoList` where plural = singular). */
  plural: string;
  /** Folder and file stem, e.g. `todo`. */
  file: string;
}

/** The kind of value a model's key holds (the runtime's KeyKind). */
export type KeyKind = 'integer' | 'number' | 'uuid' | 'string';

export interface SyncField {
  name: string;
  schemaPointer: string;
  required: boolean;
  nullable: boolean;
  readOnly: boolean;
  writeOnly: boolean;
  excluded: boolean;
  description?: string;
}

export interface SyncModel {
  /** The schema's name under components.schemas, exactly as written. */
  schemaName: string;
  schemaPointer: string;
  names: ModelNames;
  description?: string;
  sync: SyncOptions;
  /** True when `x-sync` is absent and the model was included by `--all-models`. */
  implicit: boolean;
  fields: SyncField[];
  operations: Partial<Record<OperationKind, BoundOperation>>;
  /** How its writes meet a row that moved on: strategy, version, the writes sending If-Match. */
  conflict: ConflictContract;
  /** True when the key is a string the client may generate (uuid) and create inputs accept it. */
  clientGeneratedKey: boolean;
  /** True when create inputs carry the key (the client chooses it, or generates it when a uuid). */
  keyInCreateInput: boolean;
  /** What the key holds: a row not saved yet gets a draft key of this kind. */
  keyKind: KeyKind;
  /** Other models (schema names) whose rows embed this one: their caches go stale when it changes. */
  embeddedIn: string[];
  /** Live mode: the rows the server pins on the model's shape (x-sync.where, checked). */
  shape?: ShapeFilter;
}

/**
 * A live model's `where`, as the shape proxy pins it: the clause with positional parameters (Electric's
 * `$1`), the principal's values each position takes, and the tables its sub-queries read.
 */
export interface ShapeFilter {
  where: string;
  /** `params[0]` fills `$1`: a name the app's authenticate function returns (`user` for `$user`). */
  params: string[];
  /** Tables read by sub-queries: a change there moves rows in and out of the shape. */
  tables: string[];
  /** The columns the clause reads: the model's (`table` absent), or a sub-query's table's. */
  columns: { name: string; table?: string }[];
}

export interface OperationParam {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  pointer: string;
}

export interface RequestBody {
  mediaType: string;
  encoding: BodyEncoding;
  required: boolean;
  schemaPointer: string;
  /** Top-level properties that are readOnly: left out of the write input. */
  readOnlyFields: string[];
}

export type Pagination =
  | { kind: 'page'; param: string }
  | { kind: 'offset'; param: string; limitParam?: string }
  | { kind: 'cursor'; param: string; nextField?: string[]; fromLastRow?: { key: string; moreField: string } };

export interface BoundOperation {
  kind: OperationKind;
  method: HttpMethod;
  path: string;
  pointer: string;
  operationId?: string;
  summary?: string;
  /** How it was bound: by convention, or by `x-sync-model`/`x-sync-op`. */
  binding: 'convention' | 'explicit';
  /** The operation's OpenAPI tags (for include/exclude filters). */
  tags: string[];
  pathParams: OperationParam[];
  queryParams: OperationParam[];
  /** The path parameter that carries the model's key (get, update, delete). */
  idParam?: string;
  body?: RequestBody;
  /** The success response, when it has a JSON body. */
  response?: {
    status: string;
    mediaType: string;
    schemaPointer: string;
    /** The response body is a row of the model. */
    isRow: boolean;
    /** list: where the rows sit in the response ([] = the response is the array). */
    itemsPath?: string[];
  };
  pagination?: Pagination;
  /** update / delete: the `If-Match` header parameter it declares, and whether it declares a 412 answer. */
  precondition?: { ifMatch?: { required: boolean; pointer: string }; answers412: boolean };
}

/**
 * What an operation of the spec became: a bound model operation (its model's library makes it,
 * in the model's mode), or an operation function with a query (GET) or mutation hook.
 */
export type OperationRole =
  | { kind: 'bound'; model: string; as: OperationKind }
  | { kind: 'query'; pagination?: OperationPaging }
  | { kind: 'mutation' };

/** How a query operation pages (its infinite query), and where the rows of a page sit. */
export type OperationPaging = Pagination & { itemsPath: string[] };

export interface ApiOperation {
  method: HttpMethod;
  path: string;
  pointer: string;
  operationId?: string;
  summary?: string;
  /** The function's name, unique in the api (from the operationId, else the method and path). */
  name: string;
  /** The model whose library holds the function (its path is under the model's, or `x-sync-model`); else the core library. */
  owner?: string;
  role: OperationRole;
  pathParams: OperationParam[];
  queryParams: OperationParam[];
  /** `schemaless`: the body has no schema, so it is typed `unknown`. */
  body?: { mediaType: string; encoding: BodyEncoding; required: boolean; schemaPointer: string; schemaless?: boolean };
  /** The success response: its status, and its media type and schema when it has a body. */
  response?: { status: string; mediaType?: string; schemaPointer?: string };
  /** Models (schema names) the operation names: its owner, and the models its request and response hold. */
  touches: string[];
  /** A write: the models whose data it may change (what it touches, and the models embedding those). */
  invalidates: string[];
  /** `x-sync-optimistic`: what the action shows at once on its owner's rows. */
  optimistic?: OptimisticEffect;
}

/** A value an optimistic change reads: a constant, or a part of the request (an OpenAPI runtime expression). */
export type RequestValue =
  | { value: unknown }
  | { from: 'path' | 'query'; name: string }
  /** `[]`: the whole body. */
  | { from: 'body'; path: string[] };

/** An action's optimistic change on its owner model's rows (x-sync-optimistic.ts). */
export interface OptimisticEffect {
  rows: { keys: RequestValue } | { where: Record<string, RequestValue> };
  change: { set: Record<string, RequestValue> } | { remove: true };
}
