import { patternSamples } from '../src/json-schema/pattern-sample';
import { NO_SAMPLE, sampleOf } from '../src/json-schema/sample-value';
import { patternCheck } from '../src/openapi/spec-pattern';

/**
 * Spec patterns run on RE2 (linear time), rewritten from JavaScript's syntax: every answer must be
 * the one `new RegExp(pattern).test(value)` gives — what the generated validators run — or, where
 * RE2 cannot tell, no answer at all. These patterns are harmless, so the test may ask JavaScript.
 */
const VALUES = [
  '',
  'a',
  'b',
  'A',
  'p',
  'p{L}',
  'pL',
  'AzQ',
  '1',
  '12',
  'a1',
  'abc',
  'ab-c',
  'a_b',
  'a b',
  ' a',
  'a ',
  '\t',
  '\n',
  '\r',
  '\u2028',
  '\u00a0',
  '\u3000',
  '\x07',
  '[',
  ']',
  '{',
  '}',
  '{,3}',
  'aaa',
  'ü',
  '-',
  '/',
  'x'.repeat(1500),
  'Aa1!xxxx',
  'aa1 xxxx',
];

const PATTERNS = [
  '^.$', // `.`: not \r, \u2028 to JavaScript
  '^\\s$',
  '^\\S+$',
  '^[\\S]+$', // `\S` in a class: not the Unicode spaces either
  '^[\\s\\S]*$',
  '^[^\\s]+$',
  '^\\p{L}$', // a `p` and a count to JavaScript without the u flag
  '^\\A\\z\\Q$',
  '^[^]$', // anything, to JavaScript
  '^[]?$', // nothing
  '[[:alpha:]]', // `[` in a class is a `[`
  '^\\u0041\\x7A\\u0051$',
  '^\\u{2}$', // `uu`
  '^\\cJ$',
  '^[\\cJ]$',
  '^\\x$',
  '^a{,3}$',
  '^\\{,3\\}$',
  '^{,3}$',
  '^]$',
  '^(?<word>[a-z]+)$',
  '^[\\s-_]+$', // a dash beside a class escape is a dash
  '\\bab\\b',
  '^a\\Bb',
  '^\\0?a$',
  '^\\/$',
  '^[\\b]$',
  '^(?=.*\\d)(?!.*\\s).{4,}$', // leading lookaheads: checks of their own
  '^(?=[a-z])(?=.*[A-Z])[^\\n]*$',
  '^[a-z]{1,2000}$', // a count RE2 does not take, on one character
  '^x{0,1200}$',
  '^(a|ab)(c|bcd)?$',
  '^[\\u00e0-\\u00ff]+$',
  '^\\d{1,3}(\\.\\d{1,3}){3}$',
];

describe('spec patterns on a linear-time engine', () => {
  it.each(PATTERNS)('%s answers as JavaScript does', (pattern) => {
    const check = patternCheck(pattern);
    expect(check.kind).toBe('linear');
    if (check.kind !== 'linear') return;
    const js = new RegExp(pattern);
    const disagreements = VALUES.filter((value) => check.test(value) !== js.test(value));
    expect(disagreements).toEqual([]);
  });

  it.each([
    ['a lookahead inside', '^a(?=b)'],
    ['a lookahead not at the start', '(?=a)b'],
    ['lookaheads with another alternative', '^(?=a)b|c'],
    ['a lookbehind', '^(?<=a)b'],
    ['a backreference', '^(a)\\1$'],
    ['a named backreference', '^(?<x>a)\\k<x>$'],
    ['an octal escape', '^\\012$'],
    ['a count over 1000 on a group', '^(ab){1,2000}$'],
    ['an exact count over 1000', '^a{1001}$'],
    ['a surrogate pair', '^😀$'],
    ['a program too large to run cheaply', `^${'[a-z]{0,100}'.repeat(60)}$`],
    ['a pattern too long to run cheaply', `^${'(a|b)'.repeat(1000)}$`],
  ])('cannot tell (%s): the value is vouched for by no answer', (_, pattern) => {
    expect(patternCheck(pattern)).toEqual({ kind: 'unchecked', why: expect.any(String) });
  });

  it('leaves patterns JavaScript cannot compile to the validator, which skips them', () => {
    expect(patternCheck('^[a-z').kind).toBe('ignored');
    expect(patternCheck('(?i)abc').kind).toBe('ignored');
  });

  it('tests no value longer than a count it rewrote could tell, nor one with UTF-16 halves', () => {
    const check = patternCheck('^x{0,1200}$');
    if (check.kind !== 'linear') throw new Error('expected linear');
    expect(check.test('x'.repeat(1200))).toBe(true);
    expect(check.test('x'.repeat(1201))).toBe(false);
    const any = patternCheck('^.+$');
    if (any.kind !== 'linear') throw new Error('expected linear');
    expect(any.test('😀')).toBe(false);
  });

  it('answers at once where backtracking takes minutes', () => {
    const check = patternCheck('^(a+)+$');
    if (check.kind !== 'linear') throw new Error('expected linear');
    expect(check.test(`${'a'.repeat(9000)}!`)).toBe(false);
    expect(check.test('a'.repeat(9000))).toBe(true);
  });
});

describe('samples of a spec pattern', () => {
  it('draws no string longer than a budget, whatever the pattern repeats', () => {
    for (const pattern of ['^((a{9}){99}){999}b$', '^((((((((((x*)*)*)*)*)*)*)*)*)*)*y$']) {
      let longest = 0;
      const samples = patternSamples(pattern, (value) => ((longest = Math.max(longest, value.length)), false), 24);
      expect(samples).toEqual([]);
      expect(longest).toBeLessThanOrEqual(20_000);
    }
  });

  it('gives no sample for a pattern it cannot check, and a matching one for a pattern it can', () => {
    const document = { openapi: '3.1.0' };
    expect(sampleOf(document, { type: 'string', pattern: '^(a)\\1$' }, '#/x', { direction: 'read' })).toBe(NO_SAMPLE);
    const sample = sampleOf(document, { type: 'string', pattern: '^(?=.*[A-Z])(?=.*\\d)(?!.*\\s).{8,}$' }, '#/x', {
      direction: 'read',
    });
    expect(typeof sample).toBe('string');
    expect(/^(?=.*[A-Z])(?=.*\d)(?!.*\s).{8,}$/.test(sample as string)).toBe(true);
  });
});
