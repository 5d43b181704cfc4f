import { z } from 'zod';

/** Reading the config schema's shape: which keys exist where, and what type each key holds. */

export type Kind =
  'string' | 'number' | 'integer' | 'boolean' | 'enum' | 'array' | 'object' | 'record' | 'union';

type Schema = z.core.$ZodType;

/** The schema beneath defaults, optionals and transforms. */
export function unwrap(schema: Schema): Schema {
  let current = schema;
  for (;;) {
    if (
      current instanceof z.ZodDefault ||
      current instanceof z.ZodPrefault ||
      current instanceof z.ZodOptional
    ) {
      current = current.unwrap();
    } else if (current instanceof z.ZodPipe) {
      current = current.in;
    } else {
      return current;
    }
  }
}

export function kindOf(schema: Schema): Kind | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodString) return 'string';
  if (inner instanceof z.ZodNumber) return inner.format?.includes('int') ? 'integer' : 'number';
  if (inner instanceof z.ZodBoolean) return 'boolean';
  if (inner instanceof z.ZodEnum) return 'enum';
  if (inner instanceof z.ZodArray) return 'array';
  if (inner instanceof z.ZodObject) return 'object';
  if (inner instanceof z.ZodRecord) return 'record';
  if (inner instanceof z.ZodUnion) return 'union';
  return undefined;
}

/** The keys of a group (of the object branch, for a union such as `kafka.ssl`). */
export function objectKeys(schema: Schema): string[] {
  const object = objectOf(schema);
  return object ? Object.keys(object.shape) : [];
}

/** The schema of `key` inside a group; for a map, its value schema. */
export function childOf(schema: Schema, key: string | number): Schema | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodArray) return typeof key === 'number' ? inner.element : undefined;
  if (inner instanceof z.ZodRecord) return inner.valueType;
  const object = objectOf(inner);
  return object && Object.hasOwn(object.shape, key) ? object.shape[key] : undefined;
}

export function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let current: Schema | undefined = root;
  for (const key of path) {
    if (!current || typeof key === 'symbol') return undefined;
    current = childOf(current, key);
  }
  return current;
}

export function elementOf(schema: Schema): Schema | undefined {
  const inner = unwrap(schema);
  return inner instanceof z.ZodArray ? inner.element : undefined;
}

export function enumValues(schema: Schema): string[] {
  const inner = unwrap(schema);
  return inner instanceof z.ZodEnum ? inner.options.map(String) : [];
}

/** What a value of this schema looks like, for messages: `an integer`, `an array of strings`. */
export function describe(schema: Schema): string {
  const inner = unwrap(schema);
  switch (kindOf(inner)) {
    case 'string':
      return 'a string';
    case 'number':
      return 'a number';
    case 'integer':
      return 'an integer';
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${enumValues(inner)
        .map((value) => `\`${value}\``)
        .join(', ')}`;
    case 'array': {
      const element = elementOf(inner);
      return `an array of ${element ? plural(describe(element)) : 'values'}`;
    }
    case 'object':
      return `a mapping with keys ${objectKeys(inner).join(', ')}`;
    case 'record':
      return 'a mapping';
    case 'union':
      return (inner as z.ZodUnion).options.map((option) => describe(option)).join(' or ');
    default:
      return 'a valid value';
  }
}

function plural(description: string): string {
  return description.replace(/^an? (\w+)/, '$1s');
}

function objectOf(schema: Schema): z.ZodObject | undefined {
  const inner = unwrap(schema);
  if (inner instanceof z.ZodObject) return inner;
  if (inner instanceof z.ZodUnion) {
    for (const option of inner.options) {
      const object = objectOf(option);
      if (object) return object;
    }
  }
  return undefined;
}
