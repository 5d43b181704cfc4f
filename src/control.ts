import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from './config/schema.ts';
import type { Dialect } from './core/dialect.ts';
import { TributaryError } from './core/errors.ts';
import { executeSnapshotData, SIGNAL } from './core/incremental-snapshot.ts';
import { tableFilter } from './core/table-filter.ts';
import type { StatusBoard } from './observe/status-page.ts';

/** What `POST /snapshots` takes: the tables to read again, and an optional SQL filter for their rows. */
export interface SnapshotRequestBody {
  tables: string[];
  where?: string | null;
}

function reply(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(`${JSON.stringify(body)}\n`);
}

async function readJson(request: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown;
}

/**
 * `POST /snapshots`: starts an incremental snapshot by writing Debezium's
 * `execute-snapshot` row to the signal table, exactly as a user could. The
 * running stream picks it up in log order.
 */
export function snapshotRoute(config: Config, dialect: Dialect) {
  const captured = tableFilter(config.source.tables);
  return (request: IncomingMessage, response: ServerResponse): void => {
    void (async () => {
      let body: SnapshotRequestBody;
      try {
        body = (await readJson(request)) as SnapshotRequestBody;
      } catch {
        return reply(response, 400, { error: 'the body is not JSON' });
      }
      const tables = Array.isArray(body.tables) ? body.tables.map(String) : [];
      if (tables.length === 0) return reply(response, 400, { error: 'name at least one table in "tables"' });
      const unknown = tables.filter((name) => {
        const dot = name.indexOf('.');
        return dot <= 0 || !captured({ schema: name.slice(0, dot), table: name.slice(dot + 1) });
      });
      if (unknown.length > 0) {
        return reply(response, 400, {
          error: `not captured (source.tables): ${unknown.join(', ')}`,
          fix: 'name captured tables as schema.table (MySQL: database.table)',
        });
      }
      if (!dialect.sendSignal)
        return reply(response, 409, { error: 'signals are off', fix: 'set source.signal.enabled: true' });
      const id = `tributary-${randomUUID()}`;
      try {
        await dialect.sendSignal({
          id,
          type: SIGNAL.executeSnapshot,
          data: executeSnapshotData(tables, body.where ?? null),
        });
      } catch (error) {
        const failure = error as TributaryError;
        return reply(response, 502, { error: failure.message, fix: failure.fix ?? null });
      }
      reply(response, 202, { id, tables, where: body.where ?? null });
    })();
  };
}

/** Where the CLI reaches the running instance: its HTTP address from the config. */
export function instanceUrl(config: Config): string {
  if (config.http.port === 0)
    throw new TributaryError('the running instance serves no HTTP (http.port is 0)', {
      code: 'CONFIG_INVALID',
      fix: 'set http.port, or insert an execute-snapshot row into the signal table yourself',
    });
  const host = config.http.host === '0.0.0.0' || config.http.host === '::' ? '127.0.0.1' : config.http.host;
  return `http://${host.includes(':') ? `[${host}]` : host}:${config.http.port}`;
}

/** `tributary snapshot TABLE... [--where SQL]`: asks the running instance for an incremental snapshot. */
export async function requestSnapshot(
  config: Config,
  tables: string[],
  where: string | null,
): Promise<string> {
  const url = `${instanceUrl(config)}/snapshots`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ tables, where }),
    });
  } catch (error) {
    throw new TributaryError(`no running instance answers at ${url}`, {
      code: 'CONFIG_INVALID',
      fix: 'start `tributary run` with this config (the snapshot runs inside it), or check http.host and http.port',
      cause: error,
    });
  }
  const body = (await response.json().catch(() => ({ error: `HTTP ${response.status}` }))) as {
    id?: string;
    error?: string;
    fix?: string;
  };
  if (!response.ok)
    throw new TributaryError(`the running instance refused the snapshot: ${body.error}`, {
      code: 'CONFIG_INVALID',
      ...(body.fix ? { fix: body.fix } : {}),
    });
  return body.id!;
}

/** `GET /`: the status page; `GET /status`: the same as JSON. */
export function statusRoutes(board: StatusBoard) {
  const serve =
    (type: string, render: () => Promise<string>) =>
    (_request: IncomingMessage, response: ServerResponse) => {
      render().then(
        (body) => {
          response.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
          response.end(body);
        },
        (error: Error) => {
          response.writeHead(500, { 'content-type': 'text/plain' });
          response.end(error.message);
        },
      );
    };
  return {
    'GET /': serve('text/html; charset=utf-8', () => board.html()),
    'GET /status': serve('application/json', async () =>
      JSON.stringify(await board.data(), (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v)),
    ),
  };
}
