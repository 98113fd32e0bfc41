import type { GeneratedFile } from '../emit/file-set';

/** From this size a file is encoded once, for both its manifest hash and its write (Stripe's core types: megabytes). */
const LARGE = 64 * 1024;
const encoded = new WeakMap<GeneratedFile, Buffer>();

/** What to hash and write for a file: its text, or for a large one its UTF-8 bytes, encoded once. */
export function bytesOf(file: GeneratedFile): string | Buffer {
  const content = file.content;
  if (content.length < LARGE) return content;
  let bytes = encoded.get(file);
  if (!bytes) encoded.set(file, (bytes = Buffer.from(content, 'utf8')));
  return bytes;
}
