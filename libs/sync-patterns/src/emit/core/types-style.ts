import { formatted } from '../../typescript/output-style';
import { singleQuoted } from '../../typescript/ts-syntax';

/**
 * openapi-typescript prints with TypeScript's printer: four-space indents and double quotes. In
 * formatted output (typescript/output-style.ts) its types take the rest of the output's style: two
 * spaces a level, and strings in the quote that needs fewer escapes, single on a tie. The change is
 * line by line — a line's indent halved, its string literals requoted, doc comments untouched — so
 * restyling one schema entry's lines gives exactly those lines of the restyled file (incremental
 * runs splice entries by their text).
 */
export function restyleTypes(text: string): string {
  if (!formatted) return text;
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    let indent = 0;
    while (line.charCodeAt(indent) === SPACE) indent++;
    // whole four-space levels become two-space ones; a doc comment's ` * ` keeps its one extra space
    let restyled = indent >= 4 ? line.slice((indent >> 2) * 2) : line;
    const first = line.charCodeAt(indent);
    if (first !== STAR && first !== SLASH && restyled.indexOf('"') >= 0)
      restyled = restyled.replace(STRING, (found, body: string) => singleQuoted(body) ?? found);
    lines[i] = restyled;
  }
  return lines.join('\n');
}

const SPACE = 32;
const STAR = 42;
const SLASH = 47;

/** A double-quoted string literal, its body captured. */
const STRING = /"((?:[^"\\]|\\.)*)"/g;
