import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { resetLog } from './change-capture';
import { createShapeHandler, type ShapeHandlerOptions } from './shape-handler';

export interface ShapeServerOptions extends ShapeHandlerOptions {
  port?: number;
  host?: string;
  /** The path shapes are served on; Electric's is `/v1/shape`. */
  path?: string;
}

export interface RunningShapeServer {
  /** The shape endpoint, e.g. `http://127.0.0.1:3000/v1/shape`: a generated client's `shapeUrl`. */
  url: string;
  /** Starts a new log generation: every client gets 409 must-refetch and syncs its shapes afresh. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

/** The development shape server on a port of its own. */
export async function startShapeServer(options: ShapeServerOptions): Promise<RunningShapeServer> {
  const path = options.path ?? '/v1/shape';
  const handler = createShapeHandler(options);
  await handler.start();
  const server: Server = createServer((request, response) => {
    if (new URL(request.url ?? '/', 'http://localhost').pathname !== path) {
      response
        .writeHead(404, { 'content-type': 'application/json' })
        .end(JSON.stringify({ message: `shapes are served on ${path}` }));
      return;
    }
    void handler(request, response);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const { address, port } = server.address() as AddressInfo;
  return {
    url: `http://${address.includes(':') ? `[${address}]` : address}:${port}${path}`,
    reset: async () => {
      await resetLog(options.source, options.logSchema);
    },
    close: async () => {
      await handler.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
