import type { Logger } from 'pino';
import type { Config } from './config/schema.ts';
import type { SourceOffset } from './core/change-event.ts';
import type { ChangeStream } from './core/dialect.ts';
import { filterColumns, hasColumnRules } from './core/column-filter.ts';
import { withIncrementalSnapshots, type IncrementalState } from './core/incremental-snapshot.ts';
import { tableFilter } from './core/table-filter.ts';
import type { Metrics } from './observe/metrics.ts';

/**
 * What the core adds to a dialect's stream, innermost first: incremental
 * snapshots through the signal table, then the column filters (so re-read
 * rows are filtered like streamed ones).
 */
export function withStreamFeatures(
  stream: ChangeStream,
  options: {
    config: Config;
    offset: SourceOffset | null;
    logger: Logger;
    metrics: Metrics;
    onIncrementalProgress?: (state: IncrementalState | null) => void;
  },
): ChangeStream {
  const { config, metrics } = options;
  let features = stream;
  if (stream.incremental) {
    features = withIncrementalSnapshots(stream, stream.incremental, {
      chunkSize: config.source.snapshot.incrementalChunkSize,
      offset: options.offset,
      accepts: tableFilter(config.source.tables),
      logger: options.logger,
      onRows: (table, rows) => metrics.snapshotRows.inc({ table }, rows),
      ...(options.onIncrementalProgress ? { onProgress: options.onIncrementalProgress } : {}),
    });
  }
  if (hasColumnRules(config.columns)) features = filterColumns(features, config.columns);
  return features;
}
