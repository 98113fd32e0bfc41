/**
 * How generated code is laid out. `formatted` (the default) reads as a careful person would write it
 * at a 120-column width: single quotes, unquoted keys where they may be, long literals and
 * validators over several lines, trailing commas. `compact` is the layout of the releases before
 * (double quotes, one-line literals and validators), kept for one purpose: a refactor of the
 * generator shows it changes no byte by comparing compact output with an older commit's
 * (tools/scripts/output-identity.mjs sets SYNC_PATTERNS_OUTPUT_STYLE=compact). Both are
 * deterministic; the style is part of what the inputs' fingerprint covers.
 */
export type OutputStyle = 'formatted' | 'compact';

export const OUTPUT_STYLE: OutputStyle =
  process.env['SYNC_PATTERNS_OUTPUT_STYLE'] === 'compact' ? 'compact' : 'formatted';

export const formatted = OUTPUT_STYLE === 'formatted';

/** The width formatted output keeps to where it can (a long name or string may still pass it). */
export const PRINT_WIDTH = 120;
