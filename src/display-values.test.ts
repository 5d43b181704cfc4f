import assert from 'node:assert/strict';
import { test } from 'node:test';
import { displayValue } from './display-values.ts';

test('times print as ISO-8601 and decimals as exact text, guided by the schema', () => {
  const schema = {
    type: 'record',
    name: 'Value',
    fields: [
      { name: 'd', type: ['null', { type: 'int', 'connect.name': 'io.debezium.time.Date' }] },
      { name: 'old', type: { type: 'int', 'connect.name': 'io.debezium.time.Date' } },
      { name: 'ts', type: { type: 'long', logicalType: 'timestamp-micros' } },
      { name: 'local', type: { type: 'long', 'connect.name': 'io.debezium.time.MicroTimestamp' } },
      { name: 't', type: { type: 'long', 'connect.name': 'io.debezium.time.MicroTime' } },
      { name: 'price', type: { type: 'bytes', logicalType: 'decimal', scale: 2, precision: 10 } },
      { name: 'text_price', type: { type: 'bytes', logicalType: 'decimal', scale: 2, precision: 10 } },
      {
        name: 'var',
        type: {
          type: 'record',
          name: 'VariableScaleDecimal',
          'connect.name': 'io.debezium.data.VariableScaleDecimal',
          fields: [
            { name: 'scale', type: 'int' },
            { name: 'value', type: 'bytes' },
          ],
        },
      },
      { name: 'big', type: 'long' },
      { name: 'ts_ms', type: 'long' },
      { name: 'again', type: ['null', 'VariableScaleDecimal'] },
    ],
  };
  const value = {
    d: 19_000,
    old: -1,
    ts: 1_700_000_000_123_456n,
    local: -1n,
    t: 86_399_999_999n,
    price: Buffer.from([0xff, 0x38]), // -200 → -2.00
    text_price: '12345678.90',
    var: { scale: 3, value: Buffer.from([0x30, 0x39]) }, // 12345 → 12.345
    big: 9_007_199_254_740_993n,
    ts_ms: 1_700_000_000_123n,
    again: { scale: 1, value: Buffer.from([0x05]) },
  };
  assert.deepEqual(displayValue(schema, value), {
    d: '2022-01-08',
    old: '1969-12-31',
    ts: '2023-11-14T22:13:20.123456Z',
    local: '1969-12-31T23:59:59.999999',
    t: '23:59:59.999999',
    price: '-2.00',
    text_price: '12345678.90',
    var: '12.345',
    big: '9007199254740993',
    ts_ms: '2023-11-14T22:13:20.123Z',
    again: '0.5',
  });
});
