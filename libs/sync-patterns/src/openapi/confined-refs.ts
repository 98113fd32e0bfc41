import { realpath, stat, readFile } from 'node:fs/promises';
import * as path from 'node:path';
import type * as Redocly from '@redocly/openapi-core';
import { isStackOverflow, MAX_NESTING, NESTING_HINT, tooDeepAt } from './nesting';

/**
 * Where a spec's `$ref`s may lead. A spec is untrusted input (generators run on third-party
 * documents in CI): a `$ref` must not read the job's files (`/proc/self/environ`, `~/.npmrc`) or
 * reach its network, and the answer would be written into the output.
 */
export interface RefPolicy {
  /**
   * Hosts whose URLs a `$ref` may name (`api.example.com`, or `host:port`); none by default. Such a
   * ref is fetched with a timeout and a size cap, following redirects on the same host only.
   */
  allowRemoteRefs?: readonly string[];
  /** Per remote ref (default 10 s). */
  remoteTimeoutMs?: number;
  /** Per referenced file or answer (default 32 MB). */
  maxRefBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 10_000;
const DEFAULT_MAX_BYTES = 32 * 1024 * 1024;
const MAX_REDIRECTS = 5;
/** The same cap as the main file's (load-spec.ts): an alias bomb stops here, not in memory. */
export const MAX_YAML_ALIASES = 10_000;

/** A `$ref` the policy refuses: the bundler reports it at the ref's pointer, with this hint. */
export class RefRefused extends Error {
  override readonly name = 'RefRefused';
  constructor(
    message: string,
    readonly hint: string,
  ) {
    super(message);
  }
}

/**
 * Redocly's resolver, confined: local refs only to regular files inside the spec's folder
 * (symlinks followed to where they really lead), URLs only on allowed hosts, every read bounded.
 * Refusals are thrown as RefRefused, which the bundler reports as problems at the `$ref`.
 */
export function confinedResolver(
  redocly: typeof Redocly,
  specFile: string,
  policy: RefPolicy,
  resolveConfig: Redocly.Config['resolve'],
): { resolver: Redocly.BaseResolver; hintFor(problem: string): string | undefined } {
  /** What to do about each refusal, by its message (the bundler's problem quotes it). */
  const hints = new Map<string, string>();
  const refused = (error: unknown) => {
    if (error instanceof RefRefused) hints.set(error.message, error.hint);
    return error;
  };
  const root = realpath(path.dirname(path.resolve(specFile)));
  const maxBytes = policy.maxRefBytes ?? DEFAULT_MAX_BYTES;
  const timeoutMs = policy.remoteTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  const allowed = new Set((policy.allowRemoteRefs ?? []).map((host) => host.toLowerCase()));

  class ConfinedResolver extends redocly.BaseResolver {
    override async loadExternalRef(absoluteRef: string): Promise<Redocly.Source> {
      try {
        if (/^[a-z][a-z0-9+.-]*:\/\//i.test(absoluteRef)) {
          const { body, mimeType } = await fetchAllowed(absoluteRef, allowed, timeoutMs, maxBytes);
          return new redocly.Source(absoluteRef, body, mimeType);
        }
        const body = await readInside(await root, absoluteRef, maxBytes);
        return new redocly.Source(absoluteRef, body.replace(/\r\n/g, '\n'));
      } catch (error) {
        throw refused(error);
      }
    }

    /** Every file is parsed with the main file's caps: nesting, and (YAML) aliases. */
    override parseDocument(source: Redocly.Source, isRoot = false): Redocly.Document {
      const document = this.parseCapped(source, isRoot);
      const at = tooDeepAt(document.parsed);
      if (at !== undefined)
        throw refused(
          new RefRefused(
            `${displayRef(source.absoluteRef)} is nested more than ${MAX_NESTING} levels deep (at ${at})`,
            NESTING_HINT,
          ),
        );
      return document;
    }

    /** YAML with the main file's parser and alias cap (Redocly's own has none); a parser out of stack is a refusal. */
    private parseCapped(source: Redocly.Source, isRoot: boolean): Redocly.Document {
      const tooDeep = () =>
        refused(
          new RefRefused(
            `${displayRef(source.absoluteRef)} is nested too deeply to parse (over ${MAX_NESTING} levels)`,
            NESTING_HINT,
          ),
        );
      if (!/\.ya?ml$/i.test(source.absoluteRef) && !/yaml/i.test(source.mimeType ?? '')) {
        try {
          return super.parseDocument(source, isRoot);
        } catch (error) {
          // Redocly wraps the parser's RangeError in its own error, with the same message
          if (/call stack size/i.test((error as Error).message)) throw tooDeep();
          throw error;
        }
      }
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { parseDocument } = require('yaml') as typeof import('yaml');
      const doc = parseDocument(source.body);
      if (doc.errors.some((e) => /call stack size/i.test(e.message))) throw tooDeep();
      if (doc.errors.length) return super.parseDocument(source, isRoot); // Redocly reports the syntax error with its position
      try {
        return { source, parsed: doc.toJS({ maxAliasCount: MAX_YAML_ALIASES }) };
      } catch (error) {
        if (isStackOverflow(error)) throw tooDeep();
        throw refused(
          new RefRefused(
            `${displayRef(source.absoluteRef)}: ${(error as Error).message}`,
            `a referenced YAML file may expand ${MAX_YAML_ALIASES} aliases at most: write the repeated parts out, or use $refs`,
          ),
        );
      }
    }
  }
  return {
    resolver: new ConfinedResolver(resolveConfig),
    hintFor: (problem) => [...hints].find(([message]) => problem.includes(message))?.[1],
  };
}

/** The file's text, when it is a regular file inside `root` (after symlinks) of at most `maxBytes`. */
async function readInside(root: string, file: string, maxBytes: number): Promise<string> {
  let real: string;
  try {
    real = await realpath(file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw new RefRefused(
      `${displayRef(file)}: ${code === 'ENOENT' ? 'no such file' : `cannot be read (${code})`}`,
      'check that the referenced file exists relative to the file holding the $ref',
    );
  }
  if (real !== root && !real.startsWith(root + path.sep)) {
    throw new RefRefused(
      `${displayRef(file)} is outside the spec's folder${real !== path.resolve(file) ? ` (it leads to ${real})` : ''}: a $ref may only name files inside ${root}`,
      'move the referenced file next to the spec (or below its folder); files elsewhere on the machine are never read',
    );
  }
  const info = await stat(real);
  if (!info.isFile())
    throw new RefRefused(
      `${displayRef(file)} is not a regular file`,
      'a $ref names a JSON or YAML file (or a text file for an example)',
    );
  if (info.size > maxBytes)
    throw new RefRefused(
      `${displayRef(file)} is ${info.size} bytes, over the ${maxBytes}-byte limit of a referenced file`,
      'split the file, or reference the parts you need',
    );
  return readFile(real, 'utf8');
}

/** The URL's body, when its host is allowed: with a timeout, a size cap and redirects on the same host only. */
async function fetchAllowed(
  url: string,
  allowed: ReadonlySet<string>,
  timeoutMs: number,
  maxBytes: number,
): Promise<{ body: string; mimeType?: string }> {
  let target = new URL(url);
  const hint = `allow the host explicitly: --allow-remote-ref ${target.host} (or "allowRemoteRefs": ["${target.host}"] in sync-patterns.json), or save the file next to the spec`;
  if (target.protocol !== 'http:' && target.protocol !== 'https:')
    throw new RefRefused(`${url}: only http and https refs can be fetched`, hint);
  if (!allowed.has(target.host.toLowerCase()) && !allowed.has(target.hostname.toLowerCase())) {
    throw new RefRefused(
      `${url}: remote $refs are not fetched unless their host is allowed (${target.host} is not)`,
      hint,
    );
  }
  const signal = AbortSignal.timeout(timeoutMs);
  for (let redirects = 0; ; redirects++) {
    let response: Response;
    try {
      response = await fetch(target, { redirect: 'manual', signal });
    } catch (error) {
      const why = signal.aborted ? `no answer within ${timeoutMs} ms` : (error as Error).message;
      throw new RefRefused(`${url}: ${why}`, 'check that the host answers, or save the file next to the spec');
    }
    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      const next = new URL(location, target);
      await response.body?.cancel();
      if (next.host !== target.host || (next.protocol !== 'http:' && next.protocol !== 'https:')) {
        throw new RefRefused(
          `${url}: redirected to ${next.host}, another host`,
          'reference the final URL, on a host you allow',
        );
      }
      if (redirects >= MAX_REDIRECTS)
        throw new RefRefused(`${url}: more than ${MAX_REDIRECTS} redirects`, 'reference the final URL');
      target = next;
      continue;
    }
    if (!response.ok) {
      await response.body?.cancel();
      throw new RefRefused(`${url}: answered ${response.status}`, 'check the URL');
    }
    const body = await readCapped(response, maxBytes, url);
    return { body, mimeType: response.headers.get('content-type') ?? undefined };
  }
}

async function readCapped(response: Response, maxBytes: number, url: string): Promise<string> {
  const declared = Number(response.headers.get('content-length') ?? NaN);
  const tooBig = () =>
    new RefRefused(
      `${url}: the answer is over the ${maxBytes}-byte limit of a referenced file`,
      'split the file, or reference the parts you need',
    );
  if (declared > maxBytes) {
    await response.body?.cancel();
    throw tooBig();
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body!.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel();
      throw tooBig();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A ref as diagnostics show it: relative to where the command runs when it is below it. */
function displayRef(file: string): string {
  const relative = path.relative(process.cwd(), file);
  return relative && !relative.startsWith('..') && !path.isAbsolute(relative) ? relative : file;
}
