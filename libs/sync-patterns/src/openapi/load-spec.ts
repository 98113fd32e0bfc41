import { readFile } from 'node:fs/promises';
import * as path from 'node:path';
import { canonicalize, canonicalizeOwned } from './canonicalize';
import { confinedResolver, MAX_YAML_ALIASES, type RefPolicy } from './confined-refs';
import { SpecError, specError, type Diagnostic } from './diagnostics';
import { checkNesting, isStackOverflow, NESTING_HINT, nestingError } from './nesting';

/** An OpenAPI document as plain JSON data. The model builder is the only code that interprets it. */
export type OpenApiDocument = Record<string, unknown>;

export interface LoadedSpec {
  /** The path as the user gave it: every diagnostic names it. */
  file: string;
  /** Canonical (sorted keys), with every external `$ref` bundled into the document. */
  document: OpenApiDocument;
  version: '3.0' | '3.1';
  /** The text it was parsed from. */
  text: string;
  /** The file's bytes, when read from one (the run's fingerprint is of these, not of a later save). */
  bytes?: Buffer;
  /** The document is the text's JSON (not YAML, nothing bundled from other files). */
  fromJsonText: boolean;
}

/** `refs`: where `$ref`s to other files may lead (confined to the spec's folder by default; see RefPolicy). */
export async function loadSpec(file: string, refs: RefPolicy = {}): Promise<LoadedSpec> {
  let bytes: Buffer;
  try {
    bytes = await readFile(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw specError(
      file,
      '',
      code === 'ENOENT' ? 'spec file not found' : `cannot read spec file (${code})`,
      'check the --spec path',
    );
  }
  return { ...(await parseSpec(bytes.toString('utf8'), file, refs)), bytes };
}

/** Parses a spec held in memory; `file` names it in diagnostics and anchors relative `$ref`s. */
export async function parseSpec(text: string, file: string, refs: RefPolicy = {}): Promise<LoadedSpec> {
  let document = parseText(text, file);
  const version = detectVersion(document, file);
  // JSON.parse makes every object once; YAML aliases and bundling can share one between places,
  // and the emitters tell schemas apart by identity: those documents are copied
  let owned = isJson(text);
  if (mayHaveExternalRefs(text) && hasExternalRefs(document)) {
    document = await bundleExternalRefs(file, refs);
    checkNesting(document, file); // each file was measured; this is what they make together
    owned = false;
  }
  return {
    file,
    document: owned ? canonicalizeOwned(document) : canonicalize(document),
    version,
    text,
    fromJsonText: owned,
  };
}

const isJson = (text: string) => /^\s*[[{]/.test(text);

function parseText(text: string, file: string): OpenApiDocument {
  let value: unknown;
  if (isJson(text)) {
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw specError(
        file,
        '',
        `not valid JSON: ${(error as Error).message}`,
        'fix the syntax error at the position given',
      );
    }
  } else {
    // loaded for YAML only: a JSON spec's run does without it
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const { parseDocument } = require('yaml') as typeof import('yaml');
    const doc = parseDocument(text, { uniqueKeys: true });
    // the YAML parser reports running out of stack as a syntax error
    if (doc.errors.some((e) => /call stack size/i.test(e.message))) throw nestingError(file);
    if (doc.errors.length) {
      const diagnostics: Diagnostic[] = doc.errors.map((e) => ({
        severity: 'error',
        file,
        pointer: '',
        message: `not valid YAML at line ${e.linePos?.[0]?.line ?? '?'}, column ${e.linePos?.[0]?.col ?? '?'}: ${e.message.split('\n')[0]}`,
        hint: 'fix the YAML syntax at that line',
      }));
      throw new SpecError(diagnostics);
    }
    value = yamlValue(doc, file);
  }
  // before anything walks it: every step after this one may recurse as deep as the document goes
  checkNesting(value, file);
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw specError(
      file,
      '#',
      'the document is not an object',
      'an OpenAPI document is a JSON/YAML object with an `openapi` field',
    );
  }
  return value as OpenApiDocument;
}

/** The YAML document's value, with its aliases expanded at most MAX_YAML_ALIASES times (a "billion laughs" stops here). */
function yamlValue(doc: import('yaml').Document, file: string): unknown {
  try {
    return doc.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    if (isStackOverflow(error)) throw nestingError(file);
    if (!(error instanceof ReferenceError)) throw error;
    if (!/alias count/i.test(error.message))
      throw specError(
        file,
        '',
        `not valid YAML: ${error.message}`,
        'fix the alias: its anchor (&name) must come before it',
      );
    throw specError(
      file,
      '',
      `its YAML aliases expand to more than ${MAX_YAML_ALIASES} copies: an alias bomb ("billion laughs"), or aliases used far beyond what a spec needs`,
      'write the repeated parts out, or share them with $refs',
    );
  }
}

function detectVersion(document: OpenApiDocument, file: string): '3.0' | '3.1' {
  if (document['swagger'] !== undefined) {
    throw specError(
      file,
      '#/swagger',
      `Swagger ${String(document['swagger'])} is not supported; sync-patterns reads OpenAPI 3.0 and 3.1`,
      'convert the document first, e.g. `npx swagger2openapi <spec> -o openapi.json`, and point --spec at the result',
    );
  }
  const declared = document['openapi'];
  if (typeof declared !== 'string') {
    throw specError(
      file,
      '#/openapi',
      'missing `openapi` version field',
      'add `openapi: 3.1.0` (or the 3.0.x version the document follows)',
    );
  }
  if (/^3\.0(\.|$)/.test(declared)) return '3.0';
  if (/^3\.[1-9](\.|$)/.test(declared)) return '3.1';
  throw specError(
    file,
    '#/openapi',
    `unsupported OpenAPI version ${declared}`,
    'sync-patterns reads OpenAPI 3.0.x and 3.1.x',
  );
}

/**
 * False only when the text cannot hold a `$ref` to another file: JSON whose every `"$ref"` is
 * followed by a value starting with `#`, with no escaped `$` that could spell another. (YAML is
 * walked: it has too many ways to write a key and a string.)
 */
export function mayHaveExternalRefs(text: string): boolean {
  if (!isJson(text) || /\\u0024/i.test(text)) return true;
  for (let at = text.indexOf('"$ref"'); at >= 0; at = text.indexOf('"$ref"', at + 6)) {
    let i = at + 6;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== ':') continue; // not a key (a string value that reads "$ref")
    i++;
    while (i < text.length && /\s/.test(text[i])) i++;
    if (text[i] !== '"' || text[i + 1] !== '#') return true;
  }
  return false;
}

function hasExternalRefs(value: unknown): boolean {
  if (Array.isArray(value)) return value.some(hasExternalRefs);
  if (value === null || typeof value !== 'object') return false;
  for (const [key, child] of Object.entries(value)) {
    if (key === '$ref' && typeof child === 'string' && !child.startsWith('#')) return true;
    if (hasExternalRefs(child)) return true;
  }
  return false;
}

/**
 * Pulls `$ref`s to other files into the document (Redocly's bundler, the one openapi-typescript
 * itself uses), leaving internal refs as refs so recursive schemas stay finite. Its resolver is
 * confined (confined-refs.ts): files inside the spec's folder, URLs of allowed hosts, bounded reads.
 */
async function bundleExternalRefs(file: string, refs: RefPolicy): Promise<OpenApiDocument> {
  const redocly = await import('@redocly/openapi-core');
  const config = await redocly.createConfig({});
  const absolute = path.resolve(file);
  const { resolver, hintFor } = confinedResolver(redocly, absolute, refs, config.resolve);
  const result = await redocly.bundle({ ref: absolute, config, dereference: false, externalRefResolver: resolver });
  const missing = result.problems.filter((p) => p.severity === 'error' && /resolve|find/i.test(p.message));
  if (missing.length) {
    throw new SpecError(
      missing.map((p) => ({
        severity: 'error' as const,
        file: p.location[0]?.source?.absoluteRef
          ? path.relative(process.cwd(), p.location[0].source.absoluteRef)
          : file,
        pointer: p.location[0]?.pointer ?? '',
        message: p.message,
        // (Redocly's own parser stops JSON files at 100 levels)
        hint:
          hintFor(p.message) ??
          (/nesting exceeded maxDepth/.test(p.message)
            ? NESTING_HINT
            : 'check that the referenced file exists relative to the file holding the $ref'),
      })),
    );
  }
  return result.bundle.parsed as OpenApiDocument;
}
