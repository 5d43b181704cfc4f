import { readFileSync } from 'node:fs';

/** Clock ticks per second of the times in /proc/<pid>/stat (USER_HZ: 100 on Linux). */
const TICKS_PER_SECOND = 100;

/** A process's memory and CPU at one instant, from /proc. */
export interface ProcessUsage {
  rssKiB: number;
  /** The highest resident size the process ever had (VmHWM). */
  peakRssKiB: number;
  /** User plus system CPU time. */
  cpuSeconds: number;
}

/** VmRSS and VmHWM of a /proc/<pid>/status text, in KiB. */
export function parseStatus(text: string): { rssKiB: number; peakRssKiB: number } {
  const field = (name: string): number => {
    const match = new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(text);
    if (!match) throw new Error(`no ${name} in /proc status`);
    return Number(match[1]);
  };
  return { rssKiB: field('VmRSS'), peakRssKiB: field('VmHWM') };
}

/** utime + stime of a /proc/<pid>/stat line, in seconds. */
export function parseStatCpuSeconds(text: string): number {
  // The command name (field 2) is in parentheses and may hold spaces: count fields after the last `)`.
  const rest = text.slice(text.lastIndexOf(')') + 2).split(' ');
  // rest[0] is field 3 (state); utime and stime are fields 14 and 15.
  const utime = Number(rest[11]);
  const stime = Number(rest[12]);
  if (!Number.isFinite(utime) || !Number.isFinite(stime)) throw new Error('malformed /proc stat line');
  return (utime + stime) / TICKS_PER_SECOND;
}

/** The process's usage now, or null once it is gone. */
export function processUsage(pid: number): ProcessUsage | null {
  try {
    const memory = parseStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
    const cpuSeconds = parseStatCpuSeconds(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return { ...memory, cpuSeconds };
  } catch {
    return null;
  }
}
