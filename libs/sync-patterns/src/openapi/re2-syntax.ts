/**
 * A schema's `pattern`, as JavaScript reads it (`new RegExp(pattern)`: no flags, so the legacy,
 * non-Unicode syntax the generated validators run), rewritten in RE2's syntax so that it matches
 * the same strings. RE2 runs in linear time, so the generator can check spec values against spec
 * patterns without the backtracking that lets `^(a+)+$` run for minutes.
 *
 * `unsupported` (saying what) for what RE2 cannot express: lookarounds (but those that open a `^`
 * pattern, which become checks of their own), backreferences, legacy octal escapes, surrogate code
 * units. Where the two engines read a construct differently, the rewrite spells out JavaScript's
 * meaning: `.`, `\s` and `\S`, the identity escapes (`\p` is `p`, `\A` is `A`), `[^]`, `[]`, a `[`
 * inside a class (never a POSIX class here), a `-` beside a class escape.
 */
export interface Re2Pattern {
  /** The pattern without its leading lookaheads, in RE2 syntax. */
  body: string;
  /** `^(?=X)`: each must match at the start of the value (`^(?:X)`). */
  ahead: string[];
  /** `^(?!X)`: none may match at the start. */
  notAhead: string[];
  /**
   * RE2 counts to 1000: `X{n,m}` with a larger m, X one character, is written `X{n,}`, the same
   * for values up to m characters long. Longer values are beyond what this pattern can tell.
   */
  maxLength: number;
}

export function re2Pattern(pattern: string): Re2Pattern | { unsupported: string } {
  try {
    return rewrite(pattern);
  } catch (error) {
    if (error instanceof Unsupported) return { unsupported: error.message };
    throw error;
  }
}

/** What RE2 cannot express, thrown from where the rewrite meets it. */
class Unsupported extends Error {}

const LOOKAROUND = 'a lookaround other than lookaheads that open a `^` pattern';
const BACKREFERENCE = 'a backreference (or a legacy octal escape)';
const ASTRAL = 'a character past U+FFFF'; // UTF-16 halves: JavaScript matches code units, RE2 code points

function rewrite(pattern: string): Re2Pattern {
  if (/[\uD800-\uDFFF]/.test(pattern)) throw new Unsupported(ASTRAL);
  const named = pattern.includes('(?<');
  const ahead: string[] = [];
  const notAhead: string[] = [];
  let maxLength = Infinity;
  let at = 0;
  // `^(?=.*[A-Z])(?!.*\s)…`: at the value's start only, so each is a check of its own
  if (pattern.startsWith('^')) {
    at = 1;
    while (pattern.startsWith('(?=', at) || pattern.startsWith('(?!', at)) {
      const end = groupEnd(pattern, at);
      const inner = translate(pattern, at + 3, end, named);
      (pattern[at + 2] === '=' ? ahead : notAhead).push(`^(?:${inner.text})`);
      maxLength = Math.min(maxLength, inner.maxLength);
      at = end + 1;
    }
    // the lookaheads hold for the first alternative only when there is another
    if (at > 1 && hasTopLevelBar(pattern, at)) throw new Unsupported('lookaheads before an alternation (`^(?=…)a|b`)');
  }
  const body = translate(pattern, at, pattern.length, named);
  return {
    body: at > 0 ? `^${body.text}` : body.text,
    ahead,
    notAhead,
    maxLength: Math.min(maxLength, body.maxLength),
  };
}

/** `pattern[from, to)` in RE2 syntax. */
function translate(pattern: string, from: number, to: number, named: boolean): { text: string; maxLength: number } {
  let out = '';
  let maxLength = Infinity;
  /** Whether what was just written is one character (a class, a literal, an escape): a count on it may be rewritten. */
  let single = false;
  let i = from;
  while (i < to) {
    const c = pattern[i];
    let atom = true;
    if (c === '\\') {
      const escape = readEscape(pattern, i, false, named);
      out += escape.text;
      i = escape.next;
      atom = escape.text !== '\\b' && escape.text !== '\\B';
    } else if (c === '[') {
      const set = readClass(pattern, i, named);
      out += set.text;
      i = set.next;
    } else if (c === '(') {
      atom = false;
      if (pattern.startsWith('(?:', i)) {
        out += '(?:';
        i += 3;
      } else if (pattern.startsWith('(?<', i) && pattern[i + 3] !== '=' && pattern[i + 3] !== '!') {
        const close = pattern.indexOf('>', i);
        if (close < 0) throw new Unsupported('an unclosed group name');
        out += '('; // the name matters to no match
        i = close + 1;
      } else if (pattern[i + 1] === '?') {
        throw new Unsupported(LOOKAROUND); // (?= (?! (?<= (?<!
      } else {
        out += '(';
        i++;
      }
    } else if (c === '{') {
      const count = /^\{(\d+)(,(\d*))?\}/.exec(pattern.slice(i, i + 24));
      if (count) {
        atom = false;
        const low = Number(count[1]);
        const high = count[2] === undefined ? low : count[3] === '' ? Infinity : Number(count[3]);
        i += count[0].length;
        if (high > 1000 && high !== Infinity && single && low <= 1000) {
          out += `{${low},}`;
          maxLength = Math.min(maxLength, high);
        } else out += count[0]; // RE2 refuses a count over 1000 itself
      } else {
        out += '\\{';
        i++;
      }
    } else if (c === '}' || c === ']') {
      out += `\\${c}`;
      i++;
    } else if (c === '.') {
      out += '[^\\n\\r\\x{2028}\\x{2029}]';
      i++;
    } else {
      atom = !'|)^$*+?'.includes(c);
      out += c;
      i++;
    }
    single = atom;
  }
  return { text: out, maxLength };
}

/** The index of the `)` that closes the group opening at `open`. */
function groupEnd(pattern: string, open: number): number {
  let depth = 0;
  for (let i = open; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') {
      i = classEnd(pattern, i);
      if (i < 0) break;
    } else if (c === '(') depth++;
    else if (c === ')' && --depth === 0) return i;
  }
  throw new Unsupported('an unclosed group');
}

/** Whether `pattern` from `from` on has a `|` outside every group and class. */
function hasTopLevelBar(pattern: string, from: number): boolean {
  let depth = 0;
  for (let i = from; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') i++;
    else if (c === '[') i = Math.max(classEnd(pattern, i), i);
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) return true;
  }
  return false;
}

/** The index of the `]` that closes the class opening at `open` (JavaScript's reading: `[]` and `[^]` close at once), -1 when none. */
function classEnd(pattern: string, open: number): number {
  let i = open + 1;
  if (pattern[i] === '^') i++;
  for (; i < pattern.length; i++) {
    if (pattern[i] === '\\') i++;
    else if (pattern[i] === ']') return i;
  }
  return -1;
}

/** JavaScript's `\s`, as the members of an RE2 class. */
const SPACES =
  '\\t\\n\\v\\f\\r\\x{20}\\x{A0}\\x{1680}\\x{2000}-\\x{200A}\\x{2028}\\x{2029}\\x{202F}\\x{205F}\\x{3000}\\x{FEFF}';
/** JavaScript's `\\S`, the same way: every other code point (RE2's own `\\S` lets Unicode spaces through). */
const NOT_SPACES =
  '\\x{0}-\\x{8}\\x{E}-\\x{1F}\\x{21}-\\x{9F}\\x{A1}-\\x{167F}\\x{1681}-\\x{1FFF}\\x{200B}-\\x{2027}\\x{202A}-\\x{202E}\\x{2030}-\\x{205E}\\x{2060}-\\x{2FFF}\\x{3001}-\\x{FEFE}\\x{FF00}-\\x{10FFFF}';

const hex = (code: number) => `\\x{${code.toString(16).toUpperCase()}}`;

/** The escape at `at` (a backslash), in RE2 syntax, and where the pattern goes on. */
function readEscape(pattern: string, at: number, inClass: boolean, named: boolean): { text: string; next: number } {
  const c = pattern[at + 1];
  const next = at + 2;
  if (c === undefined) throw new Unsupported('a backslash at the end');
  switch (c) {
    case 'd':
    case 'D':
    case 'w':
    case 'W':
    case 'f':
    case 'n':
    case 'r':
    case 't':
    case 'v':
      return { text: `\\${c}`, next };
    case 'b':
      return { text: inClass ? hex(8) : '\\b', next };
    case 'B':
      return { text: inClass ? 'B' : '\\B', next };
    case 's':
      return { text: inClass ? SPACES : `[${SPACES}]`, next };
    case 'S':
      return { text: inClass ? NOT_SPACES : `[${NOT_SPACES}]`, next };
    case '0':
      if (/[0-9]/.test(pattern[next] ?? '')) throw new Unsupported(BACKREFERENCE);
      return { text: hex(0), next };
    case 'c': {
      const letter = pattern[next] ?? '';
      if (/[A-Za-z]/.test(letter) || (inClass && /[0-9_]/.test(letter)))
        return { text: hex(letter.charCodeAt(0) % 32), next: next + 1 };
      return { text: hex(92), next: at + 1 }; // a backslash, then `c` as itself
    }
    case 'x': {
      const digits = /^[0-9A-Fa-f]{2}/.exec(pattern.slice(next, next + 2));
      return digits ? { text: hex(parseInt(digits[0], 16)), next: next + 2 } : { text: 'x', next };
    }
    case 'u': {
      const digits = /^[0-9A-Fa-f]{4}/.exec(pattern.slice(next, next + 4));
      if (!digits) return { text: 'u', next }; // `\u{4}` is four `u`s without the u flag
      const code = parseInt(digits[0], 16);
      if (code >= 0xd800 && code <= 0xdfff) throw new Unsupported(ASTRAL);
      return { text: hex(code), next: next + 4 };
    }
    case 'k':
      if (named) throw new Unsupported(BACKREFERENCE);
      return { text: 'k', next };
  }
  if (/[1-9]/.test(c)) throw new Unsupported(BACKREFERENCE);
  // an identity escape: the character itself (`\p`, `\A`, `\z`, `\Q` are letters to JavaScript)
  return { text: /[A-Za-z0-9]/.test(c) ? c : hex(c.charCodeAt(0)), next };
}

/** The character class at `at` (a `[`), in RE2 syntax. */
function readClass(pattern: string, at: number, named: boolean): { text: string; next: number } {
  let i = at + 1;
  const negated = pattern[i] === '^';
  if (negated) i++;
  let body = '';
  /** A `-` beside a class escape (`[\\s-_]`) is a dash to JavaScript, an error to RE2. */
  let afterSet = false;
  for (;;) {
    const c = pattern[i];
    if (c === undefined) throw new Unsupported('an unclosed class');
    if (c === ']') break;
    if (c === '\\') {
      const escape = readEscape(pattern, i, true, named);
      body += escape.text;
      afterSet = /[dDsSwW]/.test(pattern[i + 1]);
      i = escape.next;
    } else {
      const dash = c === '-' && (afterSet || /^\\[dDsSwW]/.test(pattern.slice(i + 1, i + 3)));
      body += c === '[' || c === '^' || dash ? hex(c.charCodeAt(0)) : c;
      afterSet = false;
      i++;
    }
  }
  // `[]` matches nothing and `[^]` anything, to JavaScript; RE2 has neither
  const text =
    body === '' ? (negated ? '[\\x{0}-\\x{10FFFF}]' : '[^\\x{0}-\\x{10FFFF}]') : `[${negated ? '^' : ''}${body}]`;
  return { text, next: i + 1 };
}
