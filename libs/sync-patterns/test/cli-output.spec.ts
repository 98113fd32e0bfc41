import { Writable } from 'node:stream';
import * as path from 'node:path';
import { main, EXIT } from '../src/cli/main';
import { EXAMPLE_SPEC, tempDir } from './helpers';

/** What `generate` prints: progress at a terminal (or with --progress), nothing of it in CI logs. */
async function run(args: string[]) {
  let stdout = '';
  let stderr = '';
  const sink = (write: (text: string) => void) =>
    new Writable({ write: (chunk, _encoding, done) => (write(String(chunk)), done()) });
  const code = await main(args, sink((t) => (stdout += t)) as never, sink((t) => (stderr += t)) as never);
  return { code, stdout, stderr };
}

describe('generate output', () => {
  it('shows each stage with counts when asked (--progress), and none of it when stderr is not a terminal', async () => {
    const out = path.join(tempDir('progress'), 'out');
    const first = await run(['generate', '--spec', EXAMPLE_SPEC, '--out', out, '--progress']);
    expect(first.code).toBe(EXIT.ok);
    expect(first.stderr).toMatch(/· spec loaded: .*openapi\.yaml \(OpenAPI 3\.1, \d+ paths\) in \d+ ms/);
    expect(first.stderr).toMatch(/· models bound: 4 \(Project, Todo, TodoCount, User\) in \d+ ms/);
    expect(first.stderr).toMatch(/· files emitted: \d+ in \d+ ms/);
    expect(first.stderr).toMatch(/· written: \d+ created, 0 updated, 0 deleted in \d+ ms/);
    expect(first.stdout).toMatch(/^created: \d+/m);

    const again = await run(['generate', '--spec', EXAMPLE_SPEC, '--out', out]);
    expect(again.stderr).toBe('');
    expect(again.stdout).toMatch(/^unchanged: \d+$/m);
  });
});
