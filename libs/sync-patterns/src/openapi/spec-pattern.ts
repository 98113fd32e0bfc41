import { RE2JS } from 're2js';
import { compiles } from './js-pattern';
import { re2Pattern } from './re2-syntax';

/**
 * How the generator may test a value against a spec's `pattern`. A spec is untrusted input, and
 * JavaScript's backtracking engine runs some patterns for minutes (`^(a+)+$` on 'aaaa…!'), so spec
 * patterns run here only on RE2 (re2js: linear in the value's length), never on `RegExp`:
 * - `ignored`: JavaScript cannot compile it, so the generated validator skips it: any value passes;
 * - `linear`: `test` answers as `new RegExp(pattern).test` would, in linear time;
 * - `unchecked`: the validator enforces it, but RE2 cannot run it (a lookahead, a backreference, a
 *   count over 1000) or it is too large to run cheaply: the generator can vouch for no value.
 */
export type PatternCheck =
  | { kind: 'ignored' }
  | { kind: 'linear'; test(value: string): boolean }
  | { kind: 'unchecked'; why: string };

/** Past these, a pattern is not run: its program would cost too much per value (RE2's fallback is length × size). */
const MAX_PATTERN_LENGTH = 4096;
const MAX_PROGRAM_SIZE = 5000;
/** Longer values are not tested (an `example` of a megabyte): the answer is "cannot vouch for it". */
const MAX_TESTED_LENGTH = 10_000;

const cache = new Map<string, PatternCheck>();
const CACHE_SIZE = 2000;

export function patternCheck(pattern: string): PatternCheck {
  let check = cache.get(pattern);
  if (check === undefined) {
    check = build(pattern);
    if (cache.size >= CACHE_SIZE) cache.clear();
    cache.set(pattern, check);
  }
  return check;
}

function build(pattern: string): PatternCheck {
  // compiling a RegExp parses it, in linear time; it is never executed
  if (!compiles(pattern)) return { kind: 'ignored' };
  if (pattern.length > MAX_PATTERN_LENGTH)
    return { kind: 'unchecked', why: `it is over ${MAX_PATTERN_LENGTH} characters long` };
  const parts = re2Pattern(pattern);
  if ('unsupported' in parts)
    return {
      kind: 'unchecked',
      why: `it has ${parts.unsupported}, which the linear-time engine (RE2) cannot run as JavaScript does`,
    };
  let body: RE2JS;
  let ahead: RE2JS[];
  let notAhead: RE2JS[];
  try {
    [body, ...ahead] = [parts.body, ...parts.ahead].map((syntax) => RE2JS.compile(syntax));
    notAhead = parts.notAhead.map((syntax) => RE2JS.compile(syntax));
  } catch (error) {
    return {
      kind: 'unchecked',
      why: `RE2 does not take it: ${(error as Error).message.replace(/^error parsing regexp: /, '')}`,
    };
  }
  const size = [body, ...ahead, ...notAhead].reduce((sum, re) => sum + re.programSize(), 0);
  if (size > MAX_PROGRAM_SIZE) return { kind: 'unchecked', why: 'it expands to too large a program to run cheaply' };
  const longest = Math.min(parts.maxLength, MAX_TESTED_LENGTH);
  return {
    kind: 'linear',
    // a value with UTF-16 halves is not tested: JavaScript would match its code units, RE2 its code points
    test: (value) =>
      value.length <= longest &&
      !/[\uD800-\uDFFF]/.test(value) &&
      body.test(value) &&
      ahead.every((re) => re.test(value)) &&
      !notAhead.some((re) => re.test(value)),
  };
}

/** Whether a value may be given where `pattern` applies: true only when the generator can tell (a pattern the validator skips lets any value pass). */
export function vouchedFor(pattern: unknown, value: string): boolean {
  if (typeof pattern !== 'string') return true;
  const check = patternCheck(pattern);
  return check.kind === 'ignored' || (check.kind === 'linear' && check.test(value));
}
