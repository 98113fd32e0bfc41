import type { WriteConflict } from '../conflicts/conflict-policy';

/**
 * The one error type every generated hook and API function surfaces, so a UI can branch on `kind`
 * without knowing which transport (push, live, cache) produced it.
 */
export type SyncErrorKind = 'network' | 'http' | 'validation' | 'conflict' | 'sync';

export interface ValidationIssue {
  /** Dotted path into the value, e.g. `tags.0.name`; empty for the value itself. */
  path: string;
  message: string;
}

export interface SyncErrorInit {
  kind: SyncErrorKind;
  message: string;
  status?: number;
  body?: unknown;
  issues?: ValidationIssue[];
  conflict?: WriteConflict;
  cause?: unknown;
}

export class SyncError extends Error {
  override readonly name = 'SyncError';
  readonly kind: SyncErrorKind;
  /** HTTP status, for `http` and `conflict`. */
  readonly status: number | undefined;
  /** Parsed response body (JSON when the server sent JSON, text otherwise). */
  readonly body: unknown;
  /** What failed validation, for `validation`. */
  readonly issues: ValidationIssue[];
  /** `conflict`: why the write could not be applied as made, with its base, local and server rows. */
  readonly conflict: WriteConflict | undefined;
  override readonly cause: unknown;

  constructor(init: SyncErrorInit) {
    super(init.message);
    this.kind = init.kind;
    this.status = init.status;
    this.body = init.body;
    this.issues = init.issues ?? [];
    this.conflict = init.conflict;
    this.cause = init.cause;
  }

  /** Worth retrying: the network failed, or the server failed (5xx, 408, 429). A 4xx will fail again. */
  get retryable(): boolean {
    if (this.kind === 'network') return true;
    if (this.kind === 'http' && this.status !== undefined) {
      return this.status >= 500 || this.status === 408 || this.status === 429;
    }
    return false;
  }
}

export function isSyncError(value: unknown): value is SyncError {
  return value instanceof SyncError;
}

/** Wraps anything thrown into a SyncError, keeping an existing one as it is. */
export function toSyncError(value: unknown): SyncError {
  if (value instanceof SyncError) return value;
  const message = value instanceof Error ? value.message : String(value);
  // an HTTP answer another client failed on (Electric's FetchError: a 401 or 403 of the shape
  // route): its status and body stay readable, so the app can tell "sign in again" from a bug
  const status = (value as { status?: unknown } | null)?.status;
  if (value instanceof Error && typeof status === 'number' && status >= 400 && status < 600) {
    const { json, text } = value as { json?: unknown; text?: unknown };
    return new SyncError({ kind: 'http', status, message, body: json ?? text, cause: value });
  }
  return new SyncError({ kind: 'sync', message, cause: value });
}
