import type { MysqlTestContext } from './mysql-context.ts';

/** A binlog position, comparable: file then offset. */
export interface Position {
  file: string;
  pos: number;
}

/** Whether position `a` is at or before position `b`. */
export function atOrBefore(a: Position, b: Position): boolean {
  return a.file < b.file || (a.file === b.file && a.pos <= b.pos);
}

/** The server's current binlog position (SHOW MASTER STATUS). */
export async function serverPosition(ctx: MysqlTestContext): Promise<Position> {
  const [status] = await ctx.sql<{ File: string; Position: number | string }>('SHOW MASTER STATUS');
  return { file: String(status!.File), pos: Number(status!.Position) };
}

/**
 * Whether the executed MariaDB GTID position `executed` (e.g. `0-1-41` or
 * `0-1-41,1-2-7`) stops before transaction `gtid` (e.g. `0-1-42`): its
 * domain's sequence number is lower, or the domain has not been seen.
 */
export function gtidBefore(executed: string, gtid: string): boolean {
  const [domain, , seq] = gtid.split('-');
  const same = executed
    .split(',')
    .map((entry) => entry.trim().split('-'))
    .find(([d]) => d === domain);
  return !same || BigInt(same[2]!) < BigInt(seq!);
}
