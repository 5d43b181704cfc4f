import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** The Prometheus metrics Tributary exports on /metrics. */
export class Metrics {
  readonly registry = new Registry();
  readonly events = new Counter({
    name: 'tributary_events_total',
    help: 'Change events written to Kafka, by table and op',
    labelNames: ['table', 'op'],
    registers: [this.registry],
  });
  readonly kafkaTransactions = new Counter({
    name: 'tributary_kafka_transactions_total',
    help: 'Kafka transactions committed',
    registers: [this.registry],
  });
  readonly sourceTransactions = new Counter({
    name: 'tributary_source_transactions_total',
    help: 'Source transactions committed to Kafka',
    registers: [this.registry],
  });
  readonly transactionEvents = new Histogram({
    name: 'tributary_kafka_transaction_events',
    help: 'Events per Kafka transaction',
    buckets: [0, 1, 10, 100, 1000, 10_000, 100_000],
    registers: [this.registry],
  });
  readonly transactionBytes = new Histogram({
    name: 'tributary_kafka_transaction_bytes',
    help: 'Encoded bytes per Kafka transaction',
    buckets: [0, 1024, 65_536, 1_048_576, 8_388_608, 67_108_864],
    registers: [this.registry],
  });
  readonly lagSeconds = new Gauge({
    name: 'tributary_lag_seconds',
    help: 'Seconds between the source commit of the last committed transaction and its Kafka commit',
    registers: [this.registry],
  });
  readonly lagBytes = new Gauge({
    name: 'tributary_lag_bytes',
    help: 'Bytes of source log between the server position and the last committed position',
    registers: [this.registry],
  });
  readonly snapshotRows = new Counter({
    name: 'tributary_snapshot_rows_total',
    help: 'Rows read by snapshots, by table',
    labelNames: ['table'],
    registers: [this.registry],
  });
  readonly snapshotTables = new Gauge({
    name: 'tributary_snapshot_tables',
    help: 'Tables the running (or last) snapshot reads: total, and completed',
    labelNames: ['state'],
    registers: [this.registry],
  });
  readonly streaming = new Gauge({
    name: 'tributary_streaming',
    help: '1 while streaming changes from the source log, 0 during a snapshot or a restart',
    registers: [this.registry],
  });
  readonly deadLetters = new Counter({
    name: 'tributary_dead_letters_total',
    help: 'Changes written to the dead-letter topic instead of their own (errors.tolerance: all), by table and error code',
    labelNames: ['table', 'code'],
    registers: [this.registry],
  });
  readonly errors = new Counter({
    name: 'tributary_errors_total',
    help: 'Failures, by error code',
    labelNames: ['code'],
    registers: [this.registry],
  });

  snapshotTablesProgress(total: number, completed: number): void {
    this.snapshotTables.set({ state: 'total' }, total);
    this.snapshotTables.set({ state: 'completed' }, completed);
  }

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'tributary_process_' });
  }
}
