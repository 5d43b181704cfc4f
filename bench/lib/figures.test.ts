import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatNumber, ratios, summaryLine, type ScenarioResult } from './figures.ts';
import { markdown } from './report.ts';

const sampleResult: ScenarioResult = {
  scenario: 'drain-insert-tx100',
  dialect: 'postgres',
  ok: true,
  figure: 40_000,
  unit: 'events/s',
  count: 1000,
  baselines: [
    { kind: 'source', tool: 'pg_recvlogical', figure: 200_000, seconds: 5, detail: {} },
    {
      kind: 'producer',
      tool: 'ProducerPerformance',
      figure: 80_000,
      seconds: 12.5,
      detail: { recordSize: 240 },
    },
  ],
  skipped: [],
  tributary: {
    events: 1000,
    seconds: 25,
    startupSeconds: 1.2,
    rate: 40_000,
    rateAfterFirst: 42_000,
    peakRssMiB: 180,
    steadyRssMiB: 150,
    cpuSeconds: 20,
    cpuSecondsPer1k: 0.02,
    keysChecked: true,
    records: 1000,
    meanRecordBytes: 240,
  },
};

test('ratios and the summary line', () => {
  assert.deepEqual(ratios(sampleResult), { source: 0.2, producer: 0.5 });
  assert.equal(
    summaryLine(sampleResult),
    'postgres drain-insert-tx100: 40,000 events/s | x0.20 pg_recvlogical (200,000), x0.50 ProducerPerformance (80,000) | ' +
      'startup 1.2 s, after first 42,000/s, total 25.0 s | RSS peak 180 MiB steady 150 MiB | CPU 0.020 s/1k | keys ok (1000)',
  );
  assert.equal(
    summaryLine({ ...sampleResult, ok: false, failure: '3 ids missing' }),
    'postgres drain-insert-tx100: FAILED (40,000 events/s): 3 ids missing',
  );
  assert.equal(
    summaryLine({ ...sampleResult, figure: null, skipped: ['bench/latency.ts is not there'] }),
    'postgres drain-insert-tx100: not run (bench/latency.ts is not there)',
  );
  assert.equal(formatNumber(1.23456), '1.23');
});

test('the Markdown report has a row per scenario and one per baseline', () => {
  const page = markdown(
    {
      date: '2026-01-01',
      dialect: 'postgres',
      commit: 'abc1234',
      quick: false,
      rows: 1000,
      wideRows: 100,
      smallTables: 10,
      producerTransactionMs: 100,
      node: 'v24',
      cpus: 2,
    },
    [sampleResult],
  );
  assert.match(
    page,
    /\| drain-insert-tx100 \| 40,000 \| events\/s \| 0\.20 \| 0\.50 \| - \| 1\.2 \| 180 \| 150 \| 0\.020 \| ok \|/,
  );
  assert.match(
    page,
    /\| drain-insert-tx100 \| producer \| ProducerPerformance \| 80,000 \| events\/s \| 12\.50 \| recordSize 240 \|/,
  );
});
