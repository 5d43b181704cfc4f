import assert from 'node:assert/strict';
import { test } from 'node:test';
import { avroFieldNames, avroName, avroNamespace, isValidAvroName } from './names.ts';

test('valid Avro names stay as they are', () => {
  for (const name of ['id', '_x', 'Order_Total2', 'a', '_']) {
    assert.equal(isValidAvroName(name), true);
    assert.equal(avroName(name), name);
  }
});

test('invalid characters become _, a leading digit is kept behind _', () => {
  assert.equal(avroName('order-total'), 'order_total');
  assert.equal(avroName('my column'), 'my_column');
  assert.equal(avroName('prix€'), 'prix_');
  assert.equal(avroName('größe'), 'gr__e');
  assert.equal(avroName('1st'), '_1st');
  assert.equal(avroName('$'), '_');
  assert.equal(avroName(''), '_');
  assert.equal(avroName('a.b'), 'a_b');
});

test('namespaces are sanitised part by part', () => {
  assert.equal(avroNamespace('shop.public.orders'), 'shop.public.orders');
  assert.equal(avroNamespace('my-shop.public.order-items'), 'my_shop.public.order_items');
  assert.equal(avroNamespace('shop.2024.t'), 'shop._2024.t');
});

test('field names are unique and deterministic, valid names keep theirs', () => {
  assert.deepEqual(avroFieldNames(['id', 'a-b', 'a_b', 'a b', 'a_b_2']), [
    'id',
    'a_b_3',
    'a_b',
    'a_b_4',
    'a_b_2',
  ]);
  assert.deepEqual(avroFieldNames(['x-1', 'x_1']), ['x_1_2', 'x_1']);
  assert.deepEqual(avroFieldNames(['1', '2', '_1']), ['_1_2', '_2', '_1']);
  assert.deepEqual(avroFieldNames(['a-b', 'a b']), ['a_b', 'a_b_2']);
  assert.deepEqual(avroFieldNames(['a-b', 'a b']), avroFieldNames(['a-b', 'a b']));
});
