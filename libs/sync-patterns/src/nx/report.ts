import type { LibraryReport, SyncReport } from './sync-libraries';

const VERB: Record<LibraryReport['status'], string> = {
  created: 'created',
  updated: 'updated',
  unchanged: 'up to date',
  held: 'HELD (hand edits kept; nothing in it was written)',
  removed: 'removed (--prune)',
  orphaned: 'ORPHANED (its model is gone from the spec; --prune deletes it)',
};

/** The summary every entry point prints: one line per library, the files under the ones that changed. */
export function formatReport(report: SyncReport, options: { check?: boolean } = {}): string[] {
  const lines = [`${report.apiProject}: ${report.spec}`];
  for (const library of report.libraries) {
    const verb =
      options.check && library.status !== 'unchanged' && library.status !== 'held' && library.status !== 'orphaned'
        ? `would be ${VERB[library.status]}`
        : VERB[library.status];
    lines.push(`  ${library.project} (${library.root}): ${verb}`);
    if (library.status !== 'unchanged') for (const file of library.files.slice(0, 20)) lines.push(`      ${file}`);
    if (library.files.length > 20) lines.push(`      … and ${library.files.length - 20} more`);
  }
  return lines;
}

/** Drift as `--check` and `nx sync:check` see it: anything to write, hand edits, libraries of gone models. */
export function hasDrift(report: SyncReport): boolean {
  return report.changed || report.libraries.some((l) => l.status === 'held' || l.status === 'orphaned');
}
