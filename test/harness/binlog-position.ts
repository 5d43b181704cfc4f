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
