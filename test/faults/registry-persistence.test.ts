import assert from 'node:assert/strict';
import { test } from 'node:test';
import { registryRequestAt as call } from '../harness/registry.ts';
import { PrivateStack } from './lib/private-stack.ts';

const schema = (name: string) =>
  JSON.stringify({ type: 'record', name, fields: [{ name: 'id', type: 'int' }] });

test("the stack's registry keeps every schema and id across a restart", async () => {
  await using stack = await PrivateStack.start({ services: ['registry'] });
  const base = stack.env.registryUrl;
  const first = (await call(base, 'POST', '/subjects/orders-value/versions', {
    schema: schema('Orders'),
  })) as {
    id: number;
  };
  const second = (await call(base, 'POST', '/subjects/items-value/versions', {
    schema: schema('Items'),
  })) as {
    id: number;
  };

  await stack.down('registry');
  await stack.up('registry');

  for (const [id, name] of [
    [first.id, 'Orders'],
    [second.id, 'Items'],
  ] as const) {
    const read = (await call(base, 'GET', `/schemas/ids/${id}`)) as { schema: string };
    assert.equal(
      (JSON.parse(read.schema) as { name: string }).name,
      name,
      `schema id ${id} after the restart`,
    );
  }
  assert.deepEqual(((await call(base, 'GET', '/subjects')) as string[]).sort(), [
    'items-value',
    'orders-value',
  ]);
  // A schema registered after the restart gets an id of its own, not a reused one.
  const third = (await call(base, 'POST', '/subjects/parts-value/versions', { schema: schema('Parts') })) as {
    id: number;
  };
  assert.ok(![first.id, second.id].includes(third.id), `new id ${third.id}`);
});
