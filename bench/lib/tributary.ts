import { performance } from 'node:perf_hooks';
import type { ConfigOverrides, ConnectorTestContext } from '../../test/harness/connector-context.ts';
import { MIB, type TributaryFigures } from './figures.ts';
import { checkKeys, type KeyCheckResult, type KeyExpectation } from './key-check.ts';
import { median, phaseFigures, sampleUntilWritten } from './measure.ts';
import { progress } from './progress.ts';
import { Metrics } from '../../src/observe/metrics.ts';
import type { EndOffsets } from './offsets.ts';
import { Sidecar, sleep } from './sidecar.ts';

/** A drain's sidecar reads no rows on its first start; it only takes its position in the log (and registers schemas). */
export const STREAM_ONLY: ConfigOverrides = { source: { snapshot: { mode: 'no_data' } } };

/**
 * Runs the connector until its position in the log is committed (it
 * streams), then stops it: what a backlog committed afterwards is drained
 * from. Not measured, so it runs in this process (no second Node start).
 */
export async function takeStreamPosition(ctx: ConnectorTestContext, timeoutMs = 300_000): Promise<void> {
  const metrics = new Metrics();
  const connector = ctx.start(STREAM_ONLY, { metrics });
  let failure: unknown = null;
  connector.done.then(
    () => (failure ??= new Error('the connector stopped before streaming')),
    (error: unknown) => (failure = error),
  );
  try {
    const deadline = performance.now() + timeoutMs;
    while ((await metrics.streaming.get()).values[0]?.value !== 1) {
      if (failure) throw failure;
      if (performance.now() > deadline) throw new Error('the connector did not start streaming');
      await sleep(50);
    }
  } finally {
    await connector.stop().catch(() => {});
  }
}

/**
 * One phase of Tributary on one topic: start the sidecar, sample until the
 * expected records are in, stop it, check every key, and work out the figures.
 */
export async function runTributaryPhase(options: {
  ctx: ConnectorTestContext;
  offsets: EndOffsets;
  label: string;
  expectation: KeyExpectation;
  events: number;
  overrides?: ConfigOverrides;
}): Promise<{ figures: TributaryFigures; keys: KeyCheckResult }> {
  const { ctx, offsets, label, expectation, events } = options;
  const records = events + (expectation.tombstones ?? 0);
  const sidecar = await Sidecar.start(ctx, options.overrides ?? {});
  let samples;
  let usage;
  try {
    samples = await sampleUntilWritten({ sidecar, offsets, topic: expectation.topic, records, label });
  } finally {
    usage = await sidecar.stop();
  }
  const keys = await checkKeys([expectation], offsets, { label });
  const topic = keys.topics[0]!;
  const figures = phaseFigures(samples, {
    events,
    records: keys.records,
    bytes: keys.bytes,
    lastOffset: topic.lastOffset,
    peakRssKiB: usage?.peakRssKiB ?? 0,
    keysChecked: keys.ok,
  });
  if (!figures.commitSeen) {
    process.stderr.write(
      `  ${label}: the last commit was not seen while sampling; its time is the last sample's\n`,
    );
  }
  const { commitSeen: _, ...plain } = figures;
  return { figures: plain, keys };
}

/**
 * Many small tables: start the sidecar and wait until /readyz answers and
 * every topic holds its rows. Polling a thousand topics is not free, so
 * their ends are read once a second before readiness, then as fast as the
 * answers come; a topic counts as written once its end passes its rows plus
 * one commit marker (the key check then proves every row is there, once).
 */
export async function runManyTables(options: {
  ctx: ConnectorTestContext;
  offsets: EndOffsets;
  label: string;
  expectations: KeyExpectation[];
  rowsPerTable: number;
}): Promise<{ figures: TributaryFigures; keys: KeyCheckResult; readySeconds: number }> {
  const { ctx, offsets, label, expectations, rowsPerTable } = options;
  const sidecar = await Sidecar.start(ctx);
  const waiting = new Set(expectations.map((e) => e.topic));
  const rss: number[] = [];
  let readyAt: number | null = null;
  let firstAt: number | null = null;
  let writtenAt = 0;
  let cpuAtDone = 0;
  let lastPoll = 0;
  let usage;
  try {
    while (readyAt === null || waiting.size > 0) {
      sidecar.assertRunning();
      const sample = sidecar.usage();
      if (sample) rss.push(sample.rssKiB);
      if (readyAt === null && (await sidecar.ready())) readyAt = sidecar.elapsed();
      if (readyAt !== null || performance.now() - lastPoll > 1000) {
        lastPoll = performance.now();
        const ends = await offsets.ends([...waiting]);
        const at = sidecar.elapsed();
        for (const [topic, end] of ends) {
          if (end > 0 && firstAt === null) firstAt = at;
          if (end > rowsPerTable) waiting.delete(topic);
        }
        if (waiting.size === 0) writtenAt = at;
      }
      progress(
        label,
        `${expectations.length - waiting.size} / ${expectations.length} topics written${readyAt === null ? '' : ', ready'}`,
      );
      if (readyAt !== null && waiting.size === 0) cpuAtDone = sidecar.usage()?.cpuSeconds ?? 0;
      else await sleep(100);
    }
  } finally {
    usage = await sidecar.stop();
  }
  const keys = await checkKeys(expectations, offsets, { label });
  const seconds = Math.max(readyAt, writtenAt);
  const events = expectations.length * rowsPerTable;
  const startupSeconds = firstAt ?? seconds;
  return {
    readySeconds: readyAt,
    keys,
    figures: {
      events,
      seconds,
      startupSeconds,
      rate: events / seconds,
      rateAfterFirst: seconds > startupSeconds ? events / (seconds - startupSeconds) : NaN,
      peakRssMiB: ((usage?.peakRssKiB ?? 0) * 1024) / MIB,
      steadyRssMiB: (median(rss) * 1024) / MIB,
      cpuSeconds: cpuAtDone,
      cpuSecondsPer1k: cpuAtDone / (events / 1000),
      keysChecked: keys.ok,
      records: keys.records,
      meanRecordBytes: keys.records > 0 ? keys.bytes / keys.records : 0,
    },
  };
}
