import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseStatCpuSeconds, parseStatus } from './proc-stats.ts';

test('parses VmRSS and VmHWM from /proc/<pid>/status', () => {
  const text = 'Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t  204800 kB\nVmRSS:\t  102400 kB\n';
  assert.deepEqual(parseStatus(text), { rssKiB: 102400, peakRssKiB: 204800 });
});

test('reads utime + stime from /proc/<pid>/stat, a command name with spaces and parentheses included', () => {
  const fields = ['S', '1', '2', '3', '0', '-1', '4194560', '100', '0', '0', '0', '250', '50', '0', '0'];
  assert.equal(parseStatCpuSeconds(`1234 (node (main) x) ${fields.join(' ')}`), 3);
});
