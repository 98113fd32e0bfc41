import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as path from 'node:path';
import { stringify } from 'yaml';
import { parseConfig } from '../src/nx/config';
import { SpecError } from '../src/openapi/diagnostics';
import { loadSpec } from '../src/openapi/load-spec';
import { WORKSPACE, tempDir } from './helpers';

/**
 * A spec is untrusted input: its `$ref`s must not read files outside its folder (the CI job's
 * secrets), reach the network unless a host is allowed, or hang or exhaust the generator. Each
 * hostile ref is refused with a diagnostic at its pointer; local HTTP servers count what reached them.
 */
interface CountingServer {
  url: string;
  host: string;
  hits: number;
  close(): Promise<void>;
}

async function serve(
  handler: (path: string, answer: import('node:http').ServerResponse) => void,
): Promise<CountingServer> {
  const server: Server = createServer((request, answer) => {
    state.hits++;
    handler(request.url ?? '/', answer);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const state: CountingServer = {
    url: `http://127.0.0.1:${port}`,
    host: `127.0.0.1:${port}`,
    hits: 0,
    close: () => new Promise<void>((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
  return state;
}

const SCHEMA_YAML = 'type: object\nproperties:\n  name: { type: string }\n';

/** A spec folder whose `Thing` schema's example (or the schema itself) is `ref`. */
function specWith(refs: Record<string, string>): { dir: string; spec: string } {
  const dir = tempDir('sp-refs-');
  const root = path.join(dir, 'spec');
  mkdirSync(root);
  const schemas = Object.fromEntries(
    Object.entries(refs).map(([name, ref]) => [name, { type: 'object', example: { $ref: ref } }]),
  );
  const spec = path.join(root, 'openapi.yaml');
  writeFileSync(
    spec,
    stringify({ openapi: '3.1.0', info: { title: 'refs', version: '1' }, paths: {}, components: { schemas } }),
  );
  return { dir, spec };
}

async function problemsOf(load: Promise<unknown>): Promise<{ pointer: string; message: string; hint?: string }[]> {
  try {
    await load;
  } catch (error) {
    if (error instanceof SpecError)
      return error.diagnostics.map((d) => ({ pointer: d.pointer, message: d.message, hint: d.hint }));
    throw error;
  }
  return [];
}

describe('$ref confinement', () => {
  it("refuses every local ref that leads outside the spec's folder, or to something that is not a file — all in one run, each at its pointer", async () => {
    const { dir, spec } = specWith({
      Absolute: '/etc/hostname',
      Parent: '../outside.yaml',
      Environ: '/proc/self/environ',
      Stdin: '/dev/stdin',
      Linked: './linked.yaml',
      Fifo: './pipe.yaml',
      Fine: './inside.yaml',
    });
    writeFileSync(path.join(dir, 'outside.yaml'), 'secret: outside\n');
    symlinkSync(path.join(dir, 'outside.yaml'), path.join(dir, 'spec', 'linked.yaml'));
    execFileSync('mkfifo', [path.join(dir, 'spec', 'pipe.yaml')]); // reading it would block forever
    writeFileSync(path.join(dir, 'spec', 'inside.yaml'), SCHEMA_YAML);
    const problems = await problemsOf(loadSpec(spec));
    const at = (name: string) => problems.find((p) => p.pointer === `#/components/schemas/${name}/example`);
    for (const name of ['Absolute', 'Parent', 'Environ', 'Stdin', 'Linked']) {
      expect(at(name)?.message).toMatch(/is outside the spec's folder/);
      expect(at(name)?.hint).toMatch(/move the referenced file next to the spec/);
    }
    expect(at('Linked')?.message).toContain(`it leads to ${path.join(dir, 'outside.yaml')}`);
    expect(at('Fifo')?.message).toMatch(/is not a regular file/);
    expect(at('Fine')).toBeUndefined();
    expect(problems).toHaveLength(6);
    expect(JSON.stringify(problems)).not.toContain('secret');
  });

  it('keeps refs inside the folder working, through subfolders and symlinks that stay inside', async () => {
    const { dir, spec } = specWith({ Nested: './parts/thing.yaml', Linked: './alias.yaml' });
    mkdirSync(path.join(dir, 'spec', 'parts'));
    writeFileSync(path.join(dir, 'spec', 'parts', 'thing.yaml'), SCHEMA_YAML);
    symlinkSync(path.join(dir, 'spec', 'parts', 'thing.yaml'), path.join(dir, 'spec', 'alias.yaml'));
    const loaded = await loadSpec(spec);
    const schemas = (loaded.document['components'] as { schemas: Record<string, { example: unknown }> }).schemas;
    expect(schemas['Nested'].example).toEqual({ type: 'object', properties: { name: { type: 'string' } } });
    expect(schemas['Linked'].example).toEqual(schemas['Nested'].example);
  });

  it('never fetches a URL whose host is not allowed; fetches it once allowed', async () => {
    const server = await serve((_, answer) =>
      answer.writeHead(200, { 'content-type': 'application/yaml' }).end(SCHEMA_YAML),
    );
    try {
      const { spec } = specWith({ Remote: `${server.url}/thing.yaml` });
      const refused = await problemsOf(loadSpec(spec));
      expect(refused).toEqual([
        expect.objectContaining({
          pointer: '#/components/schemas/Remote/example',
          message: expect.stringMatching(/remote \$refs are not fetched unless their host is allowed/),
          hint: expect.stringContaining(`--allow-remote-ref ${server.host}`),
        }),
      ]);
      expect(server.hits).toBe(0);
      const loaded = await loadSpec(spec, { allowRemoteRefs: [server.host] });
      expect(
        (loaded.document['components'] as { schemas: Record<string, { example: unknown }> }).schemas['Remote'].example,
      ).toMatchObject({ type: 'object' });
      expect(server.hits).toBe(1);
    } finally {
      await server.close();
    }
  });

  it('follows redirects on the allowed host only, and bounds each fetch in time and size', async () => {
    const other = await serve((_, answer) => answer.writeHead(200).end(SCHEMA_YAML));
    const server = await serve((url, answer) => {
      if (url === '/moved.yaml') answer.writeHead(302, { location: '/thing.yaml' }).end();
      else if (url === '/away.yaml')
        answer.writeHead(302, { location: `${other.url.replace('127.0.0.1', 'localhost')}/thing.yaml` }).end();
      else if (url === '/big.yaml') answer.writeHead(200).end(`# ${'x'.repeat(5_000)}\n${SCHEMA_YAML}`);
      else if (url === '/silent.yaml')
        return; // never answers
      else answer.writeHead(200, { 'content-type': 'application/yaml' }).end(SCHEMA_YAML);
    });
    try {
      const { spec } = specWith({
        Moved: `${server.url}/moved.yaml`,
        Away: `${server.url}/away.yaml`,
        Big: `${server.url}/big.yaml`,
        Silent: `${server.url}/silent.yaml`,
      });
      const started = Date.now();
      const problems = await problemsOf(
        loadSpec(spec, { allowRemoteRefs: [server.host, 'localhost'], remoteTimeoutMs: 500, maxRefBytes: 1_000 }),
      );
      expect(Date.now() - started).toBeLessThan(5_000);
      const at = (name: string) => problems.find((p) => p.pointer === `#/components/schemas/${name}/example`)?.message;
      expect(at('Moved')).toBeUndefined();
      expect(at('Away')).toMatch(/redirected to localhost:\d+, another host/);
      expect(at('Big')).toMatch(/over the 1000-byte limit/);
      expect(at('Silent')).toMatch(/no answer within 500 ms/);
      expect(other.hits).toBe(0);
    } finally {
      await Promise.all([server.close(), other.close()]);
    }
  });

  it('stops a YAML alias bomb in a referenced file (the main file has the same cap)', async () => {
    const { dir, spec } = specWith({ Bomb: './bomb.yaml' });
    const levels = ['a: &a [x, x, x, x, x, x, x, x, x, x]'];
    for (let i = 1; i < 9; i++)
      levels.push(
        `${String.fromCharCode(97 + i)}: &${String.fromCharCode(97 + i)} [${Array(10)
          .fill(`*${String.fromCharCode(96 + i)}`)
          .join(', ')}]`,
      );
    writeFileSync(path.join(dir, 'spec', 'bomb.yaml'), levels.join('\n') + '\n');
    const problems = await problemsOf(loadSpec(spec));
    expect(problems).toEqual([
      expect.objectContaining({
        pointer: '#/components/schemas/Bomb/example',
        message: expect.stringMatching(/alias/i),
        hint: expect.stringMatching(/10000 aliases at most/),
      }),
    ]);
  });

  it('takes the allowed hosts from the CLI and from sync-patterns.json', async () => {
    const server = await serve((_, answer) =>
      answer.writeHead(200, { 'content-type': 'application/yaml' }).end(SCHEMA_YAML),
    );
    try {
      const { spec } = specWith({ Remote: `${server.url}/thing.yaml` });
      // the CLI in a process of its own (async: this process serves the ref meanwhile)
      const cli = (...args: string[]) =>
        new Promise<{ status: number; stderr: string }>((resolve) =>
          execFile(
            process.execPath,
            [path.join(WORKSPACE, 'libs/sync-patterns/bin/sync-patterns.js'), 'validate', '--spec', spec, ...args],
            (error, _stdout, stderr) => resolve({ status: error ? Number(error.code) : 0, stderr }),
          ),
        );
      const refused = await cli();
      expect(refused.status).toBe(2);
      expect(refused.stderr).toContain(`--allow-remote-ref ${server.host}`);
      expect(server.hits).toBe(0);
      expect((await cli('--allow-remote-ref', server.host)).status).toBe(0);
      expect(server.hits).toBe(1);
    } finally {
      await server.close();
    }
    expect(
      parseConfig(
        JSON.stringify({
          spec: 'a.yaml',
          directory: 'libs/a',
          allowRemoteRefs: ['schemas.example.com', '127.0.0.1:8080'],
        }),
        'sync-patterns.json',
      ).allowRemoteRefs,
    ).toEqual(['schemas.example.com', '127.0.0.1:8080']);
    expect(() =>
      parseConfig(
        JSON.stringify({ spec: 'a.yaml', directory: 'libs/a', allowRemoteRefs: ['http://x/'] }),
        'sync-patterns.json',
      ),
    ).toThrow(/#\/allowRemoteRefs/);
  });
});
