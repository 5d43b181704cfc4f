import assert from 'node:assert/strict';
import { test } from 'node:test';
import avro from 'avsc';
import type { Envelope } from '../core/pipeline.ts';
import type { Row } from '../core/schema.ts';
import { TributaryError } from '../core/errors.ts';
import { avroTypeOptions } from './logical-types.ts';
import { buildTableSchemas } from './schema-builder.ts';
import { compileTableCodec } from './table-codec.ts';
import { everyKind, postgresSourceFields, small } from './test-tables.ts';
import { decodeFramed, frame } from './wire.ts';

const codec = compileTableCodec(
  buildTableSchemas(everyKind, {
    topic: 'shop.public.everything',
    connector: 'postgresql',
    sourceFields: postgresSourceFields,
  }),
);

const full: Row = {
  id: 2n ** 63n - 1n,
  'tenant-id': -32768,
  qty: 2147483647,
  ratio: 0.5,
  score: -0,
  active: true,
  price: '-9999999999.99',
  name: 'ümlaut 🚀',
  doc: '{"a":[1,2]}',
  mood: 'happy',
  amount: '-12345678901234567890.000000000000000000001',
  total: '0',
  cash: '-92233720368547758.08',
  flags: '1000000001',
  vintage: 1,
  span: 'P1Y2M3DT4H5M6.789S',
  blob: Buffer.from([0, 255, 1]),
  born: -719162,
  opens: 86_399_999_999n,
  alarm: 86_399_999_000n,
  created: BigInt(Date.UTC(2100, 0, 1)) * 1000n + 1n,
  local: -1n,
  logged: -62135596800000000n,
  uid: '123e4567-e89b-12d3-a456-426614174000',
  grid: [[1, null], [], null],
  'Order Note': 'x',
};

const empty: Row = {
  id: -(2n ** 63n),
  'tenant-id': 0,
  qty: null,
  ratio: null,
  score: Number.NaN,
  active: false,
  price: null,
  name: null,
  doc: null,
  mood: '',
  amount: null,
  total: '1.5',
  cash: null,
  flags: null,
  vintage: null,
  span: null,
  blob: null,
  born: null,
  opens: null,
  alarm: null,
  created: 0n,
  local: null,
  logged: null,
  uid: null,
  grid: null,
  'Order Note': null,
};

const source = {
  version: '0.1.0',
  connector: 'postgresql',
  name: 'shop',
  ts_ms: 1_700_000_000_000n,
  snapshot: 'false',
  db: 'shop',
  sequence: null,
  ts_us: 1_700_000_000_000_000n,
  ts_ns: null,
  schema: 'public',
  table: 'everything',
  txId: 42n,
  lsn: 2n ** 40n,
};

const events: Record<string, Envelope> = {
  c: {
    op: 'c',
    before: null,
    after: full,
    source,
    tsUs: 1000n,
    transaction: { id: '42', totalOrder: 1n, dataCollectionOrder: 1n },
  },
  u: {
    op: 'u',
    before: empty,
    after: full,
    source,
    tsUs: 2000n,
    transaction: { id: '42', totalOrder: 2n, dataCollectionOrder: 2n },
  },
  d: { op: 'd', before: full, after: null, source, tsUs: 3000n, transaction: null },
  r: {
    op: 'r',
    before: null,
    after: empty,
    source: { ...source, snapshot: 'true', txId: null, lsn: null },
    tsUs: 4000n,
    transaction: null,
  },
  t: { op: 't', before: null, after: null, source, tsUs: 5000n, transaction: null },
};

test('envelopes of every op round-trip with rows keyed by the original column names', () => {
  for (const [op, event] of Object.entries(events)) {
    const decoded = codec.decodeValue(codec.encodeValue(event));
    assert.deepEqual(decoded, event, op);
    assert.ok(
      Object.is(
        (decoded.after ?? decoded.before)?.['score'],
        event.after?.['score'] ?? event.before?.['score'],
      ),
      `${op}: -0 and NaN kept`,
    );
  }
});

test('a consumer decoding with the registered schema text sees the Debezium field names', () => {
  const reader = avro.Type.forSchema(JSON.parse(codec.envelopeSchemaJson), avroTypeOptions());
  const value = reader.fromBuffer(codec.encodeValue(events['u']!));
  assert.equal(value.op, 'u');
  assert.equal(value.ts_ms, 2n);
  assert.equal(value.ts_us, 2000n);
  assert.equal(value.ts_ns, 2000000n);
  assert.deepEqual({ ...value.transaction }, { id: '42', total_order: 2n, data_collection_order: 2n });
  assert.equal(value.after.tenant_id, -32768);
  assert.equal(value.after.Order_Note, 'x');
  assert.equal(value.after.price, '-9999999999.99');
  assert.equal(value.after.created, events['u']!.after!['created']);
  assert.deepEqual(value.after.grid, [[1, null], [], null]);
  assert.equal(value.before.qty, null);
  assert.equal(value.source.lsn, 2n ** 40n);
});

test('keys encode the key columns only, and round-trip', () => {
  const key = codec.encodeKey(full);
  assert.ok(key);
  assert.deepEqual(codec.decodeKey(key), { id: 2n ** 63n - 1n, 'tenant-id': -32768 });
  const keyless = compileTableCodec(
    buildTableSchemas({ ...small, primaryKey: [] }, { topic: 't', connector: 'mysql', sourceFields: [] }),
  );
  assert.equal(keyless.encodeKey({ id: 1, note: null }), null);
  assert.equal(keyless.keySchemaJson, null);
});

test('a nullable column missing from a row encodes as null', () => {
  const smallCodec = compileTableCodec(
    buildTableSchemas(small, { topic: 't', connector: 'mysql', sourceFields: [] }),
  );
  const event: Envelope = {
    op: 'd',
    before: { id: 7 },
    after: null,
    source: { version: 'v', connector: 'mysql', name: 'n', ts_ms: 0n, db: 'd' },
    tsUs: 0n,
    transaction: null,
  };
  assert.deepEqual(smallCodec.decodeValue(smallCodec.encodeValue(event)).before, { id: 7, note: null });
});

test('a value the column cannot hold fails with the column, the value and the reason', () => {
  const bad = (row: Row): Envelope => ({ ...events['c']!, after: row });
  const expectFailure = (row: Row, pattern: RegExp) =>
    assert.throws(
      () => codec.encodeValue(bad(row)),
      (error: unknown) =>
        error instanceof TributaryError && error.code === 'ENCODING_FAILED' && pattern.test(error.message),
    );
  expectFailure(
    { ...full, price: '1.005' },
    /shop\.public\.everything: field after\.price cannot hold "1\.005": decimal\(12,2\): "1\.005" has more than 2 fraction digits/,
  );
  expectFailure(
    { ...full, 'tenant-id': undefined },
    /field after\.tenant-id cannot hold no value \(column missing from the row\)/,
  );
  expectFailure(
    { ...full, id: 2n ** 63n },
    /field after\.id cannot hold 9223372036854775808n: not a valid long/,
  );
  expectFailure({ ...full, created: '2024-01-01' }, /field after\.created cannot hold "2024-01-01"/);
  expectFailure({ ...full, flags: '10x' }, /field after\.flags cannot hold "10x"/);
  expectFailure({ ...full, qty: 1.5 }, /field after\.qty cannot hold number 1\.5/);
});

test('framed encoding equals frame(id, body) and decodes by schema id', () => {
  const body = codec.encodeValue(events['c']!);
  const framed = codec.encodeValueFramed(7, events['c']!);
  assert.deepEqual(framed, frame(7, body));
  assert.deepEqual(codec.encodeKeyFramed(8, full), frame(8, codec.encodeKey(full)!));
  const { schemaId, value } = decodeFramed(framed, new Map([[7, codec.envelopeType]]));
  assert.equal(schemaId, 7);
  assert.equal((value as { op: string }).op, 'c');
});

test('rows larger than the scratch buffer encode in one piece', () => {
  const big = { ...full, name: 'x'.repeat(300_000), blob: Buffer.alloc(200_000, 7) };
  const decoded = codec.decodeValue(codec.encodeValue({ ...events['c']!, after: big }));
  assert.equal((decoded.after?.['name'] as string).length, 300_000);
  assert.deepEqual(decoded.after?.['blob'], big.blob);
  // and small rows still come out exact afterwards
  assert.deepEqual(codec.decodeValue(codec.encodeValue(events['d']!)), events['d']);
});
