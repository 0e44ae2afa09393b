/** The adapter's own HTTP surface: GET /healthz, and the base URL of a listening server. */
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** GET /healthz: `{"status":"ok","cards":N}`. */
export function healthHandler(cardCount: () => number): RequestListener {
  return (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ status: 'ok', cards: cardCount() }));
  };
}

/** Socket Mode has no HTTP server of Bolt's: serve /healthz (only) on one of our own. */
export async function listenHealth(
  health: RequestListener,
  port: number,
  host: string | undefined,
): Promise<Server> {
  const server = createServer((req, res) => {
    if (req.method === 'GET' && req.url?.split('?')[0] === '/healthz') return health(req, res);
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, ...(host ? { host } : {}) }, () => resolve());
  });
  return server;
}

export function closeServer(server: Server | undefined): Promise<void> {
  return new Promise<void>((resolve) => {
    if (!server) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

export function baseUrl(server: Server, host: string | undefined): string {
  const address = server.address() as AddressInfo;
  const h = host && host !== '0.0.0.0' && host !== '::' ? host : '127.0.0.1';
  return `http://${h.includes(':') ? `[${h}]` : h}:${address.port}`;
}
