import { patternCheck } from './spec-pattern';

/**
 * The warning for a `pattern` the generator cannot run in linear time (spec-pattern.ts: a
 * lookaround, a backreference, a count over 1000), or undefined: the generated validators still
 * enforce it, but the generator vouches for no value of it, so generated tests and fake rows go
 * without one. Found in the walk over the document's schemas (version-keywords.ts).
 */
export function uncheckedPatternWarning(pattern: string): { message: string; hint: string; code: string } | undefined {
  const check = patternCheck(pattern);
  if (check.kind !== 'unchecked') return undefined;
  return {
    message: `the generator cannot check values against this pattern (${check.why}), so generated tests and fake rows give none for it`,
    hint: 'the generated validator still enforces it; to have test values, write it without lookarounds or backreferences, with counts up to 1000',
    code: 'pattern/unchecked',
  };
}
