import { SyncError, type ValidationIssue } from './sync-error';

/**
 * The Standard Schema interface (standardschema.dev), copied as its authors recommend, so the
 * runtime works with whichever validator library the generated code uses (zod 4, valibot, arktype).
 */
export interface StandardSchemaV1<Input = unknown, Output = Input> {
  readonly '~standard': {
    readonly version: 1;
    readonly vendor: string;
    readonly validate: (value: unknown) => StandardResult<Output> | Promise<StandardResult<Output>>;
    readonly types?: { readonly input: Input; readonly output: Output } | undefined;
  };
}

type StandardResult<Output> =
  | { readonly value: Output; readonly issues?: undefined }
  | { readonly issues: ReadonlyArray<StandardIssue> };

interface StandardIssue {
  readonly message: string;
  readonly path?: ReadonlyArray<PropertyKey | { readonly key: PropertyKey }> | undefined;
}

/**
 * Checks `value` against `schema` and returns it unchanged (the validator's own output may strip or
 * coerce fields; what the caller wrote is what gets sent). Throws a `validation` SyncError listing
 * every issue.
 */
export async function validateInput<T>(schema: StandardSchemaV1, value: T, what: string): Promise<T> {
  const result = await schema['~standard'].validate(value);
  if (result.issues) {
    const issues = result.issues.map(toIssue);
    const summary = issues.map((i) => (i.path ? `${i.path}: ${i.message}` : i.message)).join('; ');
    throw new SyncError({ kind: 'validation', message: `${what} is invalid: ${summary}`, issues });
  }
  return value;
}

function toIssue(issue: StandardIssue): ValidationIssue {
  const path = (issue.path ?? [])
    .map((segment) => String(typeof segment === 'object' && segment !== null ? segment.key : segment))
    .join('.');
  return { path, message: issue.message };
}
