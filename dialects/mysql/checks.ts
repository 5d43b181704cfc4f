import type mysql from 'mysql2/promise';
import type { CheckProblem } from '../../src/core/dialect.ts';

export interface ServerInfo {
  version: string;
  isMariaDb: boolean;
  serverId: number;
  /** Whether binlog_row_metadata=FULL, so TABLE_MAP events carry column names and types. */
  fullRowMetadata: boolean;
  /** MySQL with gtid_mode=ON, or any MariaDB (GTIDs are always on there). */
  gtids: boolean;
}

async function variable(connection: mysql.Connection, name: string): Promise<string | null> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>(
    'SHOW GLOBAL VARIABLES WHERE Variable_name = ?',
    [name],
  );
  return rows[0] ? String(rows[0].Value) : null;
}

export async function serverInfo(connection: mysql.Connection): Promise<ServerInfo> {
  const version = (await variable(connection, 'version')) ?? '';
  const isMariaDb = /mariadb/i.test(version);
  const gtidMode = await variable(connection, 'gtid_mode');
  return {
    version,
    isMariaDb,
    serverId: Number(await variable(connection, 'server_id')),
    fullRowMetadata: (await variable(connection, 'binlog_row_metadata'))?.toUpperCase() === 'FULL',
    gtids: isMariaDb || gtidMode?.toUpperCase() === 'ON',
  };
}

/**
 * Binlog settings, the replica server id and privileges the dialect needs;
 * each problem names the setting and the fix.
 */
export async function checkServer(
  connection: mysql.Connection,
  replicaServerId: number,
): Promise<CheckProblem[]> {
  const problems: CheckProblem[] = [];
  const info = await serverInfo(connection);
  const config = info.isMariaDb ? 'my.cnf [mariadbd]' : 'my.cnf [mysqld]';
  const logBin = (await variable(connection, 'log_bin'))?.toUpperCase();
  if (logBin !== 'ON' && logBin !== '1') {
    problems.push({
      subject: 'log_bin',
      message: 'the binary log is off, so there are no changes to read',
      fix: `set log_bin=binlog (and a server_id) in ${config}, then restart the server`,
    });
  }
  const format = (await variable(connection, 'binlog_format'))?.toUpperCase();
  if (format !== 'ROW') {
    problems.push({
      subject: 'binlog_format',
      message: `binlog_format is ${format}, but row events need ROW`,
      fix: `SET GLOBAL binlog_format = 'ROW' and binlog_format=ROW in ${config}`,
    });
  }
  const image = (await variable(connection, 'binlog_row_image'))?.toUpperCase();
  if (image !== 'FULL') {
    problems.push({
      subject: 'binlog_row_image',
      message: `binlog_row_image is ${image}, so before and after images would be incomplete`,
      fix: `SET GLOBAL binlog_row_image = 'FULL' and binlog_row_image=FULL in ${config}`,
    });
  }
  if (!info.fullRowMetadata) {
    problems.push({
      subject: 'binlog_row_metadata',
      message:
        'binlog_row_metadata is not FULL, so the schema of each event cannot be read from the log itself',
      fix: `SET GLOBAL binlog_row_metadata = 'FULL' and binlog_row_metadata=FULL in ${config} (MariaDB 10.5+, MySQL 8.0.14+)`,
    });
  }
  if (info.serverId === replicaServerId) {
    problems.push({
      subject: 'source.serverId',
      message: `source.serverId ${replicaServerId} equals the server's own server_id`,
      fix: 'choose another source.serverId (unique among the server and all its replicas)',
    });
  }
  if (!info.isMariaDb && !info.gtids) {
    problems.push({
      subject: 'gtid_mode',
      message:
        'gtid_mode is not ON: positions are binlog file and offset only, which do not survive a failover',
      fix: `set gtid_mode=ON and enforce_gtid_consistency=ON in ${config}`,
    });
  }
  problems.push(...(await checkGrants(connection)));
  return problems;
}

async function checkGrants(connection: mysql.Connection): Promise<CheckProblem[]> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW GRANTS FOR CURRENT_USER()');
  const grants = rows.map((row) => String(Object.values(row)[0]).toUpperCase());
  const global = grants.filter((g) => / ON \*\.\* TO /.test(g)).join(' ');
  if (/ALL PRIVILEGES/.test(global)) return [];
  const needed: Array<[string, RegExp]> = [
    ['REPLICATION SLAVE', /REPLICATION (SLAVE|REPLICA)/],
    ['REPLICATION CLIENT', /REPLICATION CLIENT|BINLOG MONITOR/],
    ['RELOAD', /RELOAD/],
  ];
  const missing = needed.filter(([, pattern]) => !pattern.test(global)).map(([name]) => name);
  if (!grants.some((g) => /GRANT (ALL PRIVILEGES|.*SELECT)/.test(g))) missing.push('SELECT');
  if (missing.length === 0) return [];
  return [
    {
      subject: 'privileges',
      message: `the user in source.url lacks ${missing.join(', ')}`,
      fix: `GRANT ${missing.join(', ')} ON *.* TO <user> (RELOAD is for the brief read lock that pins the snapshot's binlog position)`,
    },
  ];
}

/** Whether the binlog file of a committed offset is still on the server. */
export async function binlogFileExists(connection: mysql.Connection, file: string): Promise<boolean> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS');
  return rows.some((row) => row.Log_name === file);
}

/** Bytes of binlog written after `file`:`pos`, summed over the files still on the server. */
export async function bytesBehind(
  connection: mysql.Connection,
  file: string,
  pos: number,
): Promise<number | null> {
  const [rows] = await connection.query<mysql.RowDataPacket[]>('SHOW BINARY LOGS');
  const index = rows.findIndex((row) => row.Log_name === file);
  if (index < 0) return null;
  let total = Number(rows[index]!.File_size) - pos;
  for (const row of rows.slice(index + 1)) total += Number(row.File_size);
  return Math.max(0, total);
}
