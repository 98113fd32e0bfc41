import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { parse } from 'yaml';

export const SPEC_PATH = path.join(__dirname, '..', 'openapi.yaml');

/**
 * Checks bodies against the schemas of openapi.yaml, so the server is held to the document that
 * clients are generated from.
 */
export function conformsTo(schemaName: string, body: unknown): string[] {
  const result = validator(schemaName)(body);
  return result ? [] : (validator(schemaName).errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}`);
}

const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addSchema({ ...(parse(readFileSync(SPEC_PATH, 'utf8')) as object), $id: 'openapi' });
const validator = (name: string) => {
  const ref = `openapi#/components/schemas/${name}`;
  return ajv.getSchema(ref) ?? ajv.compile({ $ref: ref });
};
