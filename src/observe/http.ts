import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Metrics } from './metrics.ts';

export interface Health {
  /** The process runs its loop (false once it gave up). */
  live(): boolean;
  /** Streaming and caught up with the source. */
  ready(): boolean;
  /** Why it is not ready, in one line (what is being retried, or the phase). */
  notReadyReason?(): string;
}

/** Serves /healthz, /readyz and /metrics. Port 0 in the config turns it off (the caller does not start it). */
export async function startHttpServer(options: {
  host: string;
  port: number;
  metrics: Metrics;
  health: Health;
  /** More endpoints, keyed `METHOD /path` (e.g. `POST /snapshots`). */
  routes?: Record<string, (request: IncomingMessage, response: ServerResponse) => void>;
}): Promise<Server> {
  const { metrics, health } = options;
  const server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0];
    const route = options.routes?.[`${request.method} ${path}`];
    if (route) return route(request, response);
    const answer = (ok: boolean, reason?: string) => {
      response.writeHead(ok ? 200 : 503, { 'content-type': 'text/plain' });
      response.end(ok ? 'ok\n' : `not ready${reason ? `: ${reason}` : ''}\n`);
    };
    if (path === '/healthz') return answer(health.live());
    if (path === '/readyz') return answer(health.ready(), health.notReadyReason?.());
    if (path === '/metrics') {
      metrics.registry
        .metrics()
        .then((text) => {
          response.writeHead(200, { 'content-type': metrics.registry.contentType });
          response.end(text);
        })
        .catch((error: Error) => {
          response.writeHead(500);
          response.end(error.message);
        });
      return;
    }
    response.writeHead(404);
    response.end();
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  return server;
}
