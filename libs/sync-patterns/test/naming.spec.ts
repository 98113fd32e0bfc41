import { existsSync, readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { TEMPLATE_NAMES } from '../src/emit/template-views';
import { IMPORTED_NAMES, typeName } from '../src/model/naming';

const EMIT = path.join(__dirname, '../src/emit');

/** Every target's templates folder (`emit/<target>/templates`). */
const templateFolders = () =>
  readdirSync(EMIT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => path.join(EMIT, entry.name, 'templates'))
    .filter((folder) => existsSync(folder));

/** Every name a template imports from a package (relative imports are the library's own files). */
function namesTemplatesImport(): string[] {
  const names = new Set<string>();
  expect(templateFolders().length).toBeGreaterThan(5);
  for (const folder of templateFolders()) {
    for (const file of readdirSync(folder)) {
      const text = readFileSync(path.join(folder, file), 'utf8').replace(/<%[\s\S]*?%>/g, ' ');
      for (const [, list, from] of text.matchAll(/import\s+(?:type\s+)?\{([^}]*)\}\s+from\s+'([^']+)'/g)) {
        if (from.startsWith('.')) continue;
        for (const part of list.split(',')) {
          const name = part
            .trim()
            .replace(/^type\s+/, '')
            .split(/\s+as\s+/)
            .pop()!
            .trim();
          if (name) names.add(name);
        }
      }
    }
  }
  return [...names].sort();
}

describe('templates', () => {
  it('each have a typed view (TemplateViews), and each typed name a template file', () => {
    const files = templateFolders().flatMap((folder) =>
      readdirSync(folder).map((file) => `${path.basename(path.dirname(folder))}/${file.replace(/\.ejs$/, '')}`),
    );
    expect(files.sort()).toEqual([...TEMPLATE_NAMES].sort());
  });
});

describe('model type names', () => {
  it('know every name the templates import', () => {
    expect(namesTemplatesImport().filter((name) => !IMPORTED_NAMES.has(name))).toEqual([]);
  });

  it('never clash with an import, directly or through their hooks', () => {
    expect(typeName('Query')).toBe('QueryModel'); // useQuery, useQueryClient
    expect(typeName('mutation')).toBe('MutationModel'); // useMutation
    expect(typeName('QueryClient')).toBe('QueryClientModel');
    expect(typeName('SyncError')).toBe('SyncErrorModel');
    expect(typeName('LiveStatus')).toBe('LiveStatusModel');
    expect(typeName('Todo')).toBe('Todo');
    expect(typeName('Queries')).toBe('Queries');
  });
});
