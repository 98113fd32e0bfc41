/** What every emitter returns: files by path (relative to the output root, `/`-separated). */
export interface GeneratedFile {
  path: string;
  content: string;
  /**
   * History, not state (numbered migrations): written once when missing, never rewritten — a later
   * schema change comes as a new file.
   */
  appendOnly?: boolean;
  /** sha256 of `content` (write/manifest.ts), where its maker has it already. */
  hash?: string;
  /** The file on disk is this content already (its maker checked): the plan need not read it again. */
  onDisk?: boolean;
}

export function sortFiles(files: GeneratedFile[]): GeneratedFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
