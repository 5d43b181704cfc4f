import assert from 'node:assert/strict';
import { test } from 'node:test';
import { median, phaseFigures, type Sample } from './measure.ts';

const samples: Sample[] = [
  { t: 1, end: 0, rssKiB: 100 * 1024, cpuSeconds: 0.5 },
  { t: 2, end: 600, rssKiB: 150 * 1024, cpuSeconds: 1 },
  { t: 3, end: 1001, rssKiB: 170 * 1024, cpuSeconds: 2 },
  { t: 4, end: 1002, rssKiB: 160 * 1024, cpuSeconds: 2.5 },
  { t: 5, end: 1002, rssKiB: 160 * 1024, cpuSeconds: 2.6 },
];

/** 1,000 events in records 0..999: the last commit marker is at 1000, so the end passes it at 1001. */
const phase = {
  events: 1000,
  records: 1000,
  bytes: 200_000,
  lastOffset: 999,
  peakRssKiB: 180 * 1024,
  keysChecked: true,
};

test('a phase ends at the first sample past the last record and its commit marker', () => {
  const figures = phaseFigures(samples, phase);
  assert.equal(figures.seconds, 3);
  assert.equal(figures.startupSeconds, 2);
  assert.equal(figures.rate, 1000 / 3);
  assert.equal(figures.rateAfterFirst, 1000);
  assert.equal(figures.cpuSeconds, 2);
  assert.equal(figures.cpuSecondsPer1k, 2);
  assert.equal(figures.peakRssMiB, 180);
  assert.equal(figures.steadyRssMiB, 160);
  assert.equal(figures.meanRecordBytes, 200);
  assert.equal(figures.commitSeen, true);
});

test('a phase whose last commit no sample saw ends at the last sample', () => {
  const figures = phaseFigures(samples, { ...phase, lastOffset: 1005 });
  assert.equal(figures.seconds, 5);
  assert.equal(figures.commitSeen, false);
});

test('median', () => {
  assert.equal(median([3, 1, 2]), 2);
  assert.equal(median([4, 1, 2, 3]), 2.5);
  assert.ok(Number.isNaN(median([])));
});
