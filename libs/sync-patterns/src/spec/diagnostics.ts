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
}

export function formatDiagnostic(d: Diagnostic): string {
  const where = `${d.file}${d.pointer && d.pointer !== '#' ? ` ${d.pointer}` : ''}`;
  return `${d.severity}: ${where}: ${d.message}${d.hint ? `\n  fix: ${d.hint}` : ''}`;
}

/** Thrown when a spec cannot be turned into code; carries every error found, not just the first. */
export class SpecError extends Error {
  override readonly name = 'SpecError';
  constructor(readonly diagnostics: Diagnostic[]) {
    super(diagnostics.map(formatDiagnostic).join('\n'));
  }
}

export function specError(file: string, pointer: string, message: string, hint?: string): SpecError {
  return new SpecError([{ severity: 'error', file, pointer, message, hint }]);
}
