import type { GeneratedFile } from '../emit/file-set';
import { commonEnds } from './common-ends';

/** From this size a file is encoded once, for both its manifest hash and its write (Stripe's core types: megabytes). */
const LARGE = 64 * 1024;
const encoded = new WeakMap<GeneratedFile, Buffer>();

/** A file's earlier text and its UTF-8 bytes, as a long-running process last wrote them. */
export interface KnownBytes {
  content: string;
  bytes: Buffer;
}

/**
 * What to hash and write for a file: its text, or for a large one its UTF-8 bytes, encoded once —
 * from `previous`, when given, only where the texts differ (a megabyte-sized file holding one
 * non-Latin-1 character is a two-byte string, and encoding all of it took 15 ms on every save).
 */
export function bytesOf(file: GeneratedFile, previous?: KnownBytes): string | Buffer {
  const content = file.content;
  if (content.length < LARGE) return content;
  let bytes = encoded.get(file);
  if (!bytes) encoded.set(file, (bytes = previous ? reencoded(previous, content) : Buffer.from(content, 'utf8')));
  return bytes;
}

/** `content`'s UTF-8 bytes: the earlier bytes where the texts agree at either end, the rest encoded. */
export function reencoded(previous: KnownBytes, content: string): Buffer {
  const before = previous.content;
  let [prefix, suffix] = commonEnds(before, content);
  // never between the two halves of a surrogate pair: each half alone would encode as three bytes
  if (prefix > 0 && isHighSurrogate(before.charCodeAt(prefix - 1))) prefix--;
  if (suffix > 0 && isLowSurrogate(before.charCodeAt(before.length - suffix))) suffix--;
  const head = Buffer.byteLength(before.slice(0, prefix), 'utf8');
  const tail = Buffer.byteLength(before.slice(before.length - suffix), 'utf8');
  return Buffer.concat([
    previous.bytes.subarray(0, head),
    Buffer.from(content.slice(prefix, content.length - suffix), 'utf8'),
    previous.bytes.subarray(previous.bytes.length - tail),
  ]);
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff;
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;
