import type { Logger } from 'pino';
import type { ChangeMessage } from './change-event.ts';
import { TributaryError } from './errors.ts';
import type { ChangeRouter, OutgoingRecord } from './pipeline.ts';
import { tableKey, type ColumnSchema, type TableSchema } from './schema.ts';

/** One outbox table's settings; the defaults are those of Debezium's outbox EventRouter. */
export interface OutboxTable {
  /** `schema.table` */
  table: string;
  id: string;
  key: string;
  route: string;
  payload: string;
  topicPrefix: string;
  headers: readonly string[];
  tableTopic: boolean;
}

/** Encoders of one routed topic: the key column's value and the payload column's value, framed. */
export interface OutboxCodec {
  encodeKey(value: unknown): Buffer | null;
  encodeValue(value: unknown): Buffer | null;
}

export interface OutboxCodecFactory {
  /** Registers the topic's key and value schemas (from the columns' types), creates the topic. */
  forTopic(topic: string, key: ColumnSchema, payload: ColumnSchema): Promise<OutboxCodec>;
}

/** A header's text: the value as Kafka Connect's SimpleHeaderConverter writes it (bytes as base64). */
function headerText(value: unknown): string | Buffer | undefined {
  if (value === null || value === undefined) return undefined;
  if (Buffer.isBuffer(value)) return value;
  return typeof value === 'object'
    ? JSON.stringify(value, (_, v: unknown) => (typeof v === 'bigint' ? String(v) : v))
    : String(value);
}

/**
 * The outbox event router, as Debezium's EventRouter: an insert into an
 * outbox table (or a snapshot read of one of its rows) becomes an event on
 * `<topicPrefix>.<route column>`, keyed by the key column, its value the
 * payload column, the event id in header `id`. Deletes are ignored (so
 * insert-then-delete housekeeping works) and updates are ignored with a warning.
 * The events go into the Kafka transaction of their source transaction.
 */
export class OutboxRouter implements ChangeRouter {
  private readonly tables: ReadonlyMap<string, OutboxTable>;
  private readonly codecs: OutboxCodecFactory;
  private readonly logger: Logger;
  private readonly updatesWarned = new Set<string>();

  constructor(options: { tables: readonly OutboxTable[]; codecs: OutboxCodecFactory; logger: Logger }) {
    this.tables = new Map(options.tables.map((table) => [table.table, table]));
    this.codecs = options.codecs;
    this.logger = options.logger;
  }

  async route(
    change: ChangeMessage,
    schema: TableSchema,
  ): Promise<{ records: OutgoingRecord[]; keepChange: boolean } | null> {
    const name = tableKey(change.table);
    const outbox = this.tables.get(name);
    if (!outbox) return null;
    const keepChange = outbox.tableTopic;
    if (change.op === 'd') return { records: [], keepChange };
    if (change.op === 'u') {
      if (!this.updatesWarned.has(name)) {
        this.updatesWarned.add(name);
        this.logger.warn(
          { table: name },
          'an update of an outbox table is ignored: outbox rows are inserted (and deleted), never updated',
        );
      }
      return { records: [], keepChange };
    }
    const row = change.after!;
    const routeValue = row[outbox.route];
    if (routeValue === null || routeValue === undefined || String(routeValue) === '') {
      throw new TributaryError(`an outbox row of ${name} has no value in its route column ${outbox.route}`, {
        code: 'OUTBOX_INVALID',
        fix: `every row inserted into ${name} needs a ${outbox.route} (the topic it goes to)`,
      });
    }
    const topic = `${outbox.topicPrefix}.${String(routeValue)}`.replace(/[^a-zA-Z0-9._-]/g, '_');
    const codec = await this.codecFor(topic, outbox, schema);
    const headers: Record<string, string | Buffer> = {};
    for (const [header, column] of [['id', outbox.id], ...outbox.headers.map((c) => [c, c])] as const) {
      const text = headerText(row[column]);
      if (text !== undefined) headers[header] = text;
    }
    return {
      records: [
        {
          topic,
          key: codec.encodeKey(row[outbox.key]),
          value: codec.encodeValue(row[outbox.payload]),
          headers,
        },
      ],
      keepChange,
    };
  }

  /** The codec of a routed topic for the outbox table's current columns. */
  private async codecFor(topic: string, outbox: OutboxTable, schema: TableSchema): Promise<OutboxCodec> {
    const column = (name: string, role: string): ColumnSchema => {
      const found = schema.columns.find((c) => c.name === name);
      if (found) return found;
      throw new TributaryError(`outbox table ${outbox.table} has no column ${name} (its ${role} column)`, {
        code: 'CONFIG_INVALID',
        fix: `name the ${role} column of ${outbox.table} in the outbox settings, or add the column`,
      });
    };
    for (const [name, role] of [
      [outbox.id, 'id'],
      [outbox.route, 'route'],
      ...outbox.headers.map((h) => [h, 'header']),
    ] as const) {
      column(name, role);
    }
    return this.codecs.forTopic(topic, column(outbox.key, 'key'), column(outbox.payload, 'payload'));
  }
}
