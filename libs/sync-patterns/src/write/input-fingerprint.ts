import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';

/**
 * What generated output depends on, as one hash: the spec's bytes, the options that shape the
 * output, and the generator itself (its code and templates, so a development build that changed a
 * template never passes for up to date). Stored in the manifest, it lets `check` and a repeated
 * `generate` answer "up to date" from hashes alone, without parsing the spec or emitting anything.
 * Undefined for a spec with references to other files: those are not tracked here, so such specs
 * always take the full path.
 */
export function inputFingerprint(spec: string | Buffer, options: object): string | undefined {
  const shaping = stableJson(options);
  if (
    last &&
    last.shaping === shaping &&
    (typeof spec === 'string' ? last.spec === spec : Buffer.isBuffer(last.spec) && last.spec.equals(spec))
  )
    return last.fingerprint;
  // the regex looks for ASCII only: latin1 is the cheap way to see a file's bytes as text
  const text = typeof spec === 'string' ? spec : spec.toString('latin1');
  const fingerprint = hasExternalRef(text)
    ? undefined
    : createHash('sha256')
        .update(generatorFingerprint())
        .update('\0')
        .update(shaping)
        .update('\0')
        .update(spec)
        .digest('hex');
  last = { spec, shaping, fingerprint };
  return fingerprint;
}

/** The last answer: a run asks for the same spec's fingerprint more than once (the up-to-date check, then the write). */
let last: { spec: string | Buffer; shaping: string; fingerprint: string | undefined } | undefined;

/** A `$ref` whose value does not start with `#`, in JSON or YAML. Over-matching only costs the fast path. */
function hasExternalRef(text: string): boolean {
  return /["']?\$ref["']?\s*:\s*["']?(?!#)[^\s"',}]/.test(text);
}

/** The generator and the options, without the spec: what an incremental run must share with the run before it. */
export function optionsFingerprint(options: object): string {
  return createHash('sha256').update(generatorFingerprint()).update('\0').update(stableJson(options)).digest('hex');
}

let generator: string | undefined;

/** The hash of the generator's own files (this package's src tree and its package.json). */
function generatorFingerprint(): string {
  if (generator !== undefined) return generator;
  const root = path.resolve(__dirname, '..');
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    for (const name of readdirSync(dir).sort()) {
      const full = path.join(dir, name);
      if (statSync(full).isDirectory()) walk(full);
      else if (/\.(ts|js|ejs|json)$/.test(name) && !/\.spec\./.test(name))
        hash.update(path.relative(root, full)).update('\0').update(readFileSync(full)).update('\0');
    }
  };
  walk(root);
  try {
    hash.update(readFileSync(path.join(root, '..', 'package.json')));
  } catch {
    // inside a bundle: the source tree alone identifies it
  }
  generator = hash.digest('hex');
  return generator;
}

function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>).filter(
      ([, v]) => v !== undefined && typeof v !== 'function',
    );
    return `{${entries
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([k, v]) => `${JSON.stringify(k)}:${stableJson(v)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}
