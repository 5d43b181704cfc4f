import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SchemaRegistry, SchemaType } from '@kafkajs/confluent-schema-registry';
import { stackEnv, uniqueName } from '../harness/stack.ts';

const env = stackEnv();

test('an Avro schema registers and values round-trip in Confluent framing', async () => {
  const registry = new SchemaRegistry({ host: env.registryUrl });
  const subject = `${uniqueName('smoke')}-value`;
  const schema = {
    type: 'record',
    name: 'Row',
    namespace: 'smoke',
    fields: [
      { name: 'id', type: 'int' },
      { name: 'name', type: ['null', 'string'], default: null },
    ],
  };
  const { id } = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
    { subject },
  );
  assert.ok(id > 0);

  const encoded = await registry.encode(id, { id: 7, name: 'ümlaut 🚀' });
  assert.equal(encoded[0], 0, 'magic byte');
  assert.equal(encoded.readInt32BE(1), id, 'schema id after the magic byte');
  assert.deepEqual({ ...(await registry.decode(encoded)) }, { id: 7, name: 'ümlaut 🚀' });

  // Registering the same schema again answers with the same id.
  const again = await registry.register(
    { type: SchemaType.AVRO, schema: JSON.stringify(schema) },
    { subject },
  );
  assert.equal(again.id, id);
});
