import type { Logger } from 'pino';
import type { SourceMessage, SourceOffset } from './change-event.ts';
import type { TableSchema } from './schema.ts';

/**
 * When the connector reads the captured tables' rows, with Debezium's names:
 * - `initial`: on first start, then stream;
 * - `never`: never, stream from the current position;
 * - `when_needed`: on first start, and again when the committed position is gone from the source;
 * - `initial_only`: on first start, then stop instead of streaming;
 * - `no_data`: never, but register every captured table's schemas (and create its topic) first.
 */
export type SnapshotMode = 'initial' | 'never' | 'when_needed' | 'initial_only' | 'no_data';

/** Whether a first start reads the tables' rows. */
export function readsRows(mode: SnapshotMode): boolean {
  return mode === 'initial' || mode === 'when_needed' || mode === 'initial_only';
}

/** Whether the connector streams once the snapshot is done. */
export function streams(mode: SnapshotMode): boolean {
  return mode !== 'initial_only';
}

/**
 * A first start that reads no rows: the schemas of the captured tables (for
 * `no_data`, so subjects and topics exist before the first change), then the
 * stream's start position as the committed offset.
 */
export async function* startWithoutRows(
  mode: SnapshotMode,
  tables: () => Promise<TableSchema[]>,
  offset: SourceOffset,
): AsyncGenerator<SourceMessage> {
  if (mode === 'no_data') for (const table of await tables()) yield { kind: 'schema', table, register: true };
  yield { kind: 'heartbeat', offset };
}

/**
 * `when_needed` found the committed position gone: say so loudly, since every
 * captured table is read again (consumers see `r` events for rows they have).
 */
export function logPositionLost(logger: Logger, why: string): void {
  logger.error(
    { snapshotMode: 'when_needed' },
    `the committed position is gone (${why}): taking a new snapshot of every captured table (source.snapshot.mode: when_needed)`,
  );
}
