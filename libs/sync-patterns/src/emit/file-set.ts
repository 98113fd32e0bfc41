/** What every emitter returns: files by path (relative to the output root, `/`-separated). */
export interface GeneratedFile {
  path: string;
  content: string;
}

export function sortFiles(files: GeneratedFile[]): GeneratedFile[] {
  return [...files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}
