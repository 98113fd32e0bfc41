import react from '@vitejs/plugin-react';
import { readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = path.dirname(fileURLToPath(import.meta.url));
const workspace = path.resolve(here, '../..');
const { compilerOptions } = JSON.parse(readFileSync(path.join(workspace, 'tsconfig.base.json'), 'utf8')) as { compilerOptions: { paths: Record<string, string[]> } };

/**
 * The app imports the generated libraries by their workspace aliases (tsconfig.base.json), and
 * reaches the example API through this server (`/api`, including the shape stream), so the page
 * and the API share an origin. EXAMPLE_API_URL says where the API runs.
 */
export default defineConfig({
  root: here,
  plugins: [react()],
  resolve: {
    alias: Object.entries(compilerOptions.paths)
      .sort(([a], [b]) => b.length - a.length)
      .map(([find, [target]]) => ({ find: new RegExp(`^${find.replace(/[/.]/g, '\\$&')}$`), replacement: path.join(workspace, target) })),
  },
  server: {
    proxy: {
      '/api': { target: process.env['EXAMPLE_API_URL'] ?? 'http://127.0.0.1:3100', rewrite: (url) => url.replace(/^\/api/, ''), changeOrigin: true },
    },
  },
});
