/**
 * information_schema rows (as MariaDB 10.11 and MySQL 8 return them through
 * mysql2) → the canonical MysqlColumn, and the value lists of ENUM/SET.
 * binlog-bytes.test.ts covers TABLE_MAP events; types.mysql.test.ts checks
 * both paths against each other on the live server.
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { TableMapEvent } from '@vlasky/zongji';
import { TributaryError } from '../../src/core/errors.ts';
import type { MysqlColumn } from './column.ts';
import {
  canonicalColumnType,
  columnsFromInformationSchema,
  constantDefaultText,
  columnsFromTableMap,
  INFORMATION_SCHEMA_COLUMNS_SQL,
  parseValueList,
} from './columns.ts';

type Row = {
  COLUMN_NAME: string;
  DATA_TYPE: string;
  COLUMN_TYPE: string | Buffer;
  IS_NULLABLE: 'YES' | 'NO';
  NUMERIC_PRECISION: number | string | null;
  NUMERIC_SCALE: number | string | null;
  DATETIME_PRECISION: number | string | null;
  CHARACTER_MAXIMUM_LENGTH: number | string | null;
  CHARACTER_SET_NAME: string | null;
};

function row(name: string, dataType: string, columnType: string | Buffer, more: Partial<Row> = {}): Row {
  return {
    COLUMN_NAME: name,
    DATA_TYPE: dataType,
    COLUMN_TYPE: columnType,
    IS_NULLABLE: 'YES',
    NUMERIC_PRECISION: null,
    NUMERIC_SCALE: null,
    DATETIME_PRECISION: null,
    CHARACTER_MAXIMUM_LENGTH: null,
    CHARACTER_SET_NAME: null,
    ...more,
  };
}

function expected(
  name: string,
  dataType: string,
  columnType: string,
  more: Partial<MysqlColumn> = {},
): MysqlColumn {
  return {
    name,
    dataType,
    columnType,
    unsigned: false,
    nullable: true,
    precision: null,
    scale: null,
    charset: null,
    ...more,
  };
}

describe('columnsFromInformationSchema', () => {
  test('the query selects what the mapping needs, for one table, in column order', () => {
    for (const name of [
      'COLUMN_NAME',
      'DATA_TYPE',
      'COLUMN_TYPE',
      'IS_NULLABLE',
      'NUMERIC_PRECISION',
      'NUMERIC_SCALE',
      'DATETIME_PRECISION',
      'CHARACTER_MAXIMUM_LENGTH',
      'CHARACTER_SET_NAME',
    ]) {
      assert.match(INFORMATION_SCHEMA_COLUMNS_SQL, new RegExp(`\\b${name}\\b`));
    }
    assert.match(INFORMATION_SCHEMA_COLUMNS_SQL, /TABLE_SCHEMA = \? AND TABLE_NAME = \?/);
    assert.match(INFORMATION_SCHEMA_COLUMNS_SQL, /ORDER BY ORDINAL_POSITION/);
  });

  test('MariaDB 10.11 spellings become the canonical ones the binlog can give', () => {
    const rows = [
      row('id', 'int', 'int(11)', { IS_NULLABLE: 'NO', NUMERIC_PRECISION: '10', NUMERIC_SCALE: '0' }),
      row('flag', 'tinyint', 'tinyint(1)', { NUMERIC_PRECISION: 3, NUMERIC_SCALE: 0 }),
      row('z', 'int', 'int(5) unsigned zerofill', { NUMERIC_PRECISION: 10, NUMERIC_SCALE: 0 }),
      row('big', 'bigint', 'bigint(20) unsigned', { NUMERIC_PRECISION: 20, NUMERIC_SCALE: 0 }),
      row('amount', 'decimal', 'decimal(65,30) unsigned', { NUMERIC_PRECISION: '65', NUMERIC_SCALE: '30' }),
      row('f', 'float', 'float(7,3)', { NUMERIC_PRECISION: 7, NUMERIC_SCALE: 3 }),
      row('d', 'double', 'double', { NUMERIC_PRECISION: 22 }),
      row('bits', 'bit', 'bit(10)', { NUMERIC_PRECISION: 10 }),
      row('code', 'char', 'char(5)', { CHARACTER_MAXIMUM_LENGTH: 5, CHARACTER_SET_NAME: 'utf8mb4' }),
      row('name', 'varchar', 'varchar(300)', {
        CHARACTER_MAXIMUM_LENGTH: '300',
        CHARACTER_SET_NAME: 'latin1',
      }),
      row('u3', 'varchar', 'varchar(10)', { CHARACTER_MAXIMUM_LENGTH: 10, CHARACTER_SET_NAME: 'utf8mb3' }),
      row('bin', 'binary', 'binary(4)', { CHARACTER_MAXIMUM_LENGTH: 4 }),
      row('body', 'mediumtext', 'mediumtext', {
        CHARACTER_MAXIMUM_LENGTH: 16777215,
        CHARACTER_SET_NAME: 'utf8mb4',
      }),
      row('doc', 'longtext', 'longtext', {
        CHARACTER_MAXIMUM_LENGTH: '4294967295',
        CHARACTER_SET_NAME: 'utf8mb4',
      }),
      row('e', 'enum', "enum('a','b''c','d\\\\e')", {
        CHARACTER_MAXIMUM_LENGTH: 3,
        CHARACTER_SET_NAME: 'latin1',
      }),
      row('s', 'set', "set('x','y,z')", { CHARACTER_MAXIMUM_LENGTH: 5, CHARACTER_SET_NAME: 'utf8mb4' }),
      row('born', 'date', 'date', { IS_NULLABLE: 'NO' }),
      row('at', 'datetime', 'datetime(6)', { DATETIME_PRECISION: 6 }),
      row('at0', 'datetime', 'datetime', { DATETIME_PRECISION: 0 }),
      row('ts', 'timestamp', 'timestamp(3)', { DATETIME_PRECISION: '3' }),
      row('hires', 'time', 'time(3) /* mariadb-5.3 */', { DATETIME_PRECISION: null }),
      row('y', 'year', 'year(4)'),
      row('shape', 'geometrycollection', 'geometrycollection'),
      row('id2', 'uuid', 'uuid'),
      row('ip', 'inet6', 'inet6'),
    ];
    assert.deepEqual(columnsFromInformationSchema(rows), [
      expected('id', 'int', 'int', { nullable: false }),
      expected('flag', 'tinyint', 'tinyint'),
      expected('z', 'int', 'int unsigned', { unsigned: true }),
      expected('big', 'bigint', 'bigint unsigned', { unsigned: true }),
      expected('amount', 'decimal', 'decimal(65,30) unsigned', { unsigned: true, precision: 65, scale: 30 }),
      expected('f', 'float', 'float'),
      expected('d', 'double', 'double'),
      expected('bits', 'bit', 'bit(10)', { precision: 10 }),
      expected('code', 'char', 'char(5)', { precision: 5, charset: 'utf8mb4' }),
      expected('name', 'varchar', 'varchar(300)', { precision: 300, charset: 'latin1' }),
      expected('u3', 'varchar', 'varchar(10)', { precision: 10, charset: 'utf8mb3' }),
      expected('bin', 'binary', 'binary(4)', { precision: 4 }),
      expected('body', 'mediumtext', 'mediumtext', { charset: 'utf8mb4' }),
      expected('doc', 'longtext', 'longtext', { charset: 'utf8mb4' }),
      expected('e', 'enum', "enum('a','b''c','d\\\\e')", {
        charset: 'latin1',
        enumValues: ['a', "b'c", 'd\\e'],
      }),
      expected('s', 'set', "set('x','y,z')", { charset: 'utf8mb4', setValues: ['x', 'y,z'] }),
      expected('born', 'date', 'date', { nullable: false }),
      expected('at', 'datetime', 'datetime(6)', { scale: 6 }),
      expected('at0', 'datetime', 'datetime', { scale: 0 }),
      expected('ts', 'timestamp', 'timestamp(3)', { scale: 3 }),
      expected('hires', 'time', 'time(3)', { scale: 3 }),
      expected('y', 'year', 'year'),
      expected('shape', 'geometrycollection', 'geometrycollection'),
      expected('id2', 'uuid', 'binary(16)', { precision: 16 }),
      expected('ip', 'inet6', 'binary(16)', { precision: 16 }),
    ]);
  });

  test('MySQL 8 spellings: no display widths, json, geomcollection, lower-case keys, Buffer text', () => {
    const rows = [
      row('id', 'int', 'int unsigned', { IS_NULLABLE: 'NO', NUMERIC_PRECISION: 10, NUMERIC_SCALE: 0 }),
      row('js', 'json', 'json', { CHARACTER_SET_NAME: 'utf8mb4' }),
      row('g', 'geomcollection', 'geomcollection'),
      row('p', 'point', Buffer.from('point')),
    ];
    const lower = Object.fromEntries(Object.entries(rows[0]!).map(([k, v]) => [k.toLowerCase(), v]));
    assert.deepEqual(columnsFromInformationSchema([lower, ...rows.slice(1)]), [
      expected('id', 'int', 'int unsigned', { unsigned: true, nullable: false }),
      expected('js', 'json', 'json'),
      expected('g', 'geometrycollection', 'geometrycollection'),
      expected('p', 'point', 'point'),
    ]);
  });

  test('an enum value that says unsigned does not make the column unsigned', () => {
    const [e] = columnsFromInformationSchema([row('e', 'enum', "enum('unsigned','zerofill')")]);
    assert.equal(e!.unsigned, false);
    assert.deepEqual(e!.enumValues, ['unsigned', 'zerofill']);
  });
});

describe('enum and set value lists', () => {
  test('quotes, commas, parentheses, backslash escapes and the empty value', () => {
    assert.deepEqual(parseValueList("enum('a','b''c','d\\\\e')", 'enum'), ['a', "b'c", 'd\\e']);
    assert.deepEqual(parseValueList("enum('a,b','(x)',' ')", 'enum'), ['a,b', '(x)', ' ']);
    assert.deepEqual(parseValueList("enum('','x')", 'enum'), ['', 'x']);
    assert.deepEqual(parseValueList("set('\\0','\\n','\\r')", 'set'), ['\0', '\n', '\r']);
    assert.deepEqual(parseValueList("enum('é','😀')", 'enum'), ['é', '😀']);
  });

  test('malformed lists are refused', () => {
    assert.throws(() => parseValueList("enum('a", 'enum'), TributaryError);
    assert.throws(() => parseValueList('enum(a)', 'enum'), TributaryError);
  });

  test('the canonical spelling quotes values back as information_schema does', () => {
    for (const columnType of ["enum('a','b''c','d\\\\e')", "set('\\0','\\n','\\r','x,y')", "enum('')"]) {
      const enumValues = parseValueList(columnType, 'enum');
      const column = expected('c', columnType.startsWith('set') ? 'set' : 'enum', '', {
        enumValues,
        setValues: enumValues,
      });
      assert.equal(canonicalColumnType(column), columnType);
    }
  });
});

describe('columnsFromTableMap', () => {
  test('a TABLE_MAP without FULL row metadata is a server-setting error naming the fix', () => {
    const event = {
      schemaName: 'shop',
      tableName: 'orders',
      hasSelfDescribingMetadata: () => false,
    } as unknown as TableMapEvent;
    assert.throws(
      () => columnsFromTableMap(event),
      (e: unknown) =>
        e instanceof TributaryError &&
        e.code === 'SOURCE_SETTING' &&
        /binlog_row_metadata=FULL/.test(e.fix ?? ''),
    );
  });
});

test('COLUMN_DEFAULT: MariaDB quoted literals and numbers are constants; NULL and expressions are not', () => {
  assert.equal(constantDefaultText("'it''s \\\\ x'"), "it's \\ x");
  assert.equal(constantDefaultText("'2000-01-01'"), '2000-01-01');
  assert.equal(constantDefaultText("''"), '');
  assert.equal(constantDefaultText("'NULL'"), 'NULL');
  assert.equal(constantDefaultText("'a\\nb'"), 'a\nb');
  assert.equal(constantDefaultText('1.50'), '1.50');
  assert.equal(constantDefaultText('-1.5e3'), '-1.5e3');
  for (const none of ['NULL', null, 'current_timestamp()', "b'101'", 'uuid()']) {
    assert.equal(constantDefaultText(none), undefined, String(none));
  }
});
