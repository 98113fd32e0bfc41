/**
 * A problem found in a spec. Every one names the file and the JSON pointer of the offending value,
 * and says how to fix it, so a user can go straight to the line.
 */
export interface Diagnostic {
  severity: 'error' | 'warning' | 'info';
  file: string;
  pointer: string;
  message: string;
  hint?: string;
  /** The kind of a warning that can come many times in one spec (e.g. `openapi-3.0-only/nullable`): repeats of a kind are summarized (collapseRepeats). */
  code?: string;
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = printable(`${d.file}${d.pointer && d.pointer !== '#' ? ` ${d.pointer}` : ''}`, false);
  return `${d.severity}: ${where}: ${printable(d.message, true)}${d.hint ? `\n  fix: ${printable(d.hint, true)}` : ''}`;
}

/**
 * Text for a terminal: a spec's keys and values reach diagnostics, and an escape sequence in one
 * (ESC, other C0/C1 controls) would rewrite the screen or forge lines. They are shown as `\u001b`.
 */
export function printable(text: string, keepNewlines: boolean): string {
  return text.replace(
    keepNewlines ? /[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g : /[\u0000-\u001f\u007f-\u009f]/g,
    (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/** Thrown when a spec cannot be turned into code; carries every error found, not just the first, and the warnings of the same run. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(
    readonly diagnostics: Diagnostic[],
    readonly warnings: Diagnostic[] = [],
  ) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
  }
}

export function specError(file: string, pointer: string, message: string, hint?: string): SpecError {
  return new SpecError([{ severity: 'error', file, pointer, message, hint }]);
}

/** How many warnings of one kind (`code`) are shown one by one; the rest are counted in one more. */
export const REPEATS_SHOWN = 3;

/**
 * The warnings as a person reads them: past the first few of one kind (`code`), one warning says how
 * many more there are and where the next is (`sync-patterns validate --json` lists every one).
 * Errors, and warnings without a code, are all kept.
 */
export function collapseRepeats(diagnostics: readonly Diagnostic[], shown = REPEATS_SHOWN): Diagnostic[] {
  const counts = new Map<string, number>();
  for (const d of diagnostics)
    if (d.code !== undefined && d.severity !== 'error') counts.set(d.code, (counts.get(d.code) ?? 0) + 1);
  const seen = new Map<string, number>();
  const out: Diagnostic[] = [];
  for (const d of diagnostics) {
    if (d.code === undefined || d.severity === 'error' || counts.get(d.code)! <= shown + 1) {
      out.push(d);
      continue;
    }
    const n = (seen.get(d.code) ?? 0) + 1;
    seen.set(d.code, n);
    if (n <= shown) out.push(d);
    else if (n === shown + 1) {
      const more = counts.get(d.code)! - shown;
      out.push({
        severity: d.severity,
        file: d.file,
        pointer: d.pointer,
        message: `${more} more like the ${shown} above (${d.code}), the next one here`,
        hint: 'fix them alike; `sync-patterns validate --json` lists every one with its pointer',
        code: d.code,
      });
    }
  }
  return out;
}

/** A diagnostic as --json gives it. */
export function diagnosticJson(d: Diagnostic): {
  severity: Diagnostic['severity'];
  file: string;
  pointer: string;
  message: string;
  fix?: string;
  code?: string;
} {
  return {
    severity: d.severity,
    file: d.file,
    pointer: d.pointer,
    message: d.message,
    ...(d.hint ? { fix: d.hint } : {}),
    ...(d.code ? { code: d.code } : {}),
  };
}
