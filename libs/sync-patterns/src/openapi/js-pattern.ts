/**
 * Whether JavaScript compiles a schema's `pattern`. Patterns written for other regex engines (PCRE
 * possessives, lookbehind quirks) do not: the validators skip them (so any value passes), and the
 * samplers treat them as no constraint they can check.
 */
export function compiles(pattern: string): boolean {
  try {
    new RegExp(pattern);
    return true;
  } catch {
    return false;
  }
}
