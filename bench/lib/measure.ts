import { performance } from 'node:perf_hooks';
import { MIB, type TributaryFigures } from './figures.ts';
import type { EndOffsets } from './offsets.ts';
import { progress } from './progress.ts';
import { sleep, type Sidecar } from './sidecar.ts';

/** How often the topic's end and the sidecar's /proc figures are read. */
const SAMPLE_MS = 100;
/** A run whose topic has not grown for this long has stalled. */
const STALL_MS = 180_000;
/** Readings in a row with the same end, past the records, before the topic counts as written. */
const STABLE_SAMPLES = 3;

/** One reading, `t` seconds after the sidecar's spawn. */
export interface Sample {
  t: number;
  /** The topic's end offset (records plus commit markers, committed or not). */
  end: number;
  rssKiB: number;
  cpuSeconds: number;
}

/**
 * Samples until the topic holds at least `records` records and a commit
 * marker, and its end has stopped moving; when exactly the last record was
 * committed is worked out afterwards (phaseFigures), once the key check has
 * found the last record's offset.
 */
export async function sampleUntilWritten(options: {
  sidecar: Sidecar;
  offsets: EndOffsets;
  topic: string;
  records: number;
  label: string;
}): Promise<Sample[]> {
  const { sidecar, offsets, topic, records, label } = options;
  const samples: Sample[] = [];
  let lastGrowth = performance.now();
  for (;;) {
    sidecar.assertRunning();
    const end = await offsets.end(topic);
    const usage = sidecar.usage();
    const now = performance.now();
    const previous = samples.at(-1);
    samples.push({
      t: sidecar.elapsed(now),
      end,
      rssKiB: usage?.rssKiB ?? 0,
      cpuSeconds: usage?.cpuSeconds ?? 0,
    });
    if (!previous || end !== previous.end) lastGrowth = now;
    const stable = samples.slice(-STABLE_SAMPLES);
    progress(label, `${end} / ${records} records`);
    // Past the records plus one marker, and not moving: written, and no transaction still adding.
    if (end > records && stable.length === STABLE_SAMPLES && stable.every((s) => s.end === end))
      return samples;
    if (now - lastGrowth > STALL_MS) {
      throw new Error(
        `stalled: ${topic} stayed at end offset ${end} for ${STALL_MS / 1000} s (want ${records} records)`,
      );
    }
    await sleep(SAMPLE_MS);
  }
}

/**
 * The phase's figures from its samples. The last record (offset `lastOffset`)
 * was committed once the end passed its commit marker (`lastOffset + 2`):
 * the topic has one producer, so that marker comes right after it. When no
 * sample saw that (the last commit came while the sidecar was stopping), the
 * last sample stands in: `commitSeen` is then false.
 */
export function phaseFigures(
  samples: Sample[],
  options: {
    events: number;
    records: number;
    bytes: number;
    lastOffset: number;
    peakRssKiB: number;
    keysChecked: boolean;
  },
): TributaryFigures & { commitSeen: boolean } {
  const committed = samples.find((s) => s.end >= options.lastOffset + 2);
  const done = committed ?? samples.at(-1);
  const first = samples.find((s) => s.end > 0);
  if (!done || !first) throw new Error('no samples with records');
  const writing = samples.filter((s) => s.t >= first.t && s.t <= done.t).map((s) => s.rssKiB);
  const cpuSeconds = done.cpuSeconds;
  return {
    events: options.events,
    seconds: done.t,
    startupSeconds: first.t,
    rate: options.events / done.t,
    rateAfterFirst: done.t > first.t ? options.events / (done.t - first.t) : NaN,
    peakRssMiB: (options.peakRssKiB * 1024) / MIB,
    steadyRssMiB: (median(writing) * 1024) / MIB,
    cpuSeconds,
    cpuSecondsPer1k: cpuSeconds / (options.events / 1000),
    keysChecked: options.keysChecked,
    records: options.records,
    meanRecordBytes: options.records > 0 ? options.bytes / options.records : 0,
    commitSeen: committed !== undefined,
  };
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
