/**
 * @jest-environment node
 */
import { readdirSync } from 'node:fs';
import { runGeneratedTests, typecheck } from '../../../libs/sync-patterns/test/helpers';
import { GENERATED } from './paths';

describe("the example API's generated libraries", () => {
  it('are one core library and one library per x-sync model', () => {
    expect(readdirSync(GENERATED).filter((name) => !name.startsWith('.')).sort()).toEqual(['core', 'project', 'todo', 'user']);
  });

  it('type-check under strict', () => {
    expect(typecheck([GENERATED])).toBe('');
  });

  it('pass their own generated tests', () => {
    const run = runGeneratedTests(GENERATED);
    expect({ ok: run.ok, failed: run.failed, output: run.ok ? '' : run.output }).toEqual({ ok: true, failed: 0, output: '' });
    expect(run.passed).toBeGreaterThanOrEqual(20);
  });
});
