/**
 * Structural comparison of two registered Avro schemas: ours and Debezium's
 * for the same table. Every difference gets a path that names the record and
 * field it is in (`Value.d.type[1].logicalType`, `Source.ts_us`,
 * `Envelope.fields (order)`), so an allow-list can name it.
 */

export interface SchemaDifference {
  /** The subject compared, for messages (`<topic>-value`). */
  subject?: string;
  path: string;
  ours: unknown;
  debezium: unknown;
}

/**
 * Replaces each topic name (ours, Debezium's) by `<topic>` wherever it appears
 * in names and namespaces, and drops a named type's `namespace` where it only
 * repeats the enclosing one (the same full name either way).
 */
export function normalizeSchema(schema: unknown, topics: readonly string[], enclosing = ''): unknown {
  if (typeof schema === 'string') {
    let text = schema;
    for (const topic of topics) text = text.split(topic).join('<topic>');
    return text;
  }
  if (Array.isArray(schema)) return schema.map((item) => normalizeSchema(item, topics, enclosing));
  if (isObject(schema)) {
    const namespace =
      typeof schema.namespace === 'string'
        ? (normalizeSchema(schema.namespace, topics) as string)
        : enclosing;
    const entries = Object.entries(schema)
      .filter(([k]) => !(k === 'namespace' && namespace === enclosing))
      .map(([k, v]) => [k, normalizeSchema(v, topics, namespace)]);
    return Object.fromEntries(entries);
  }
  return schema;
}

interface Field {
  name: string;
  [key: string]: unknown;
}

function isRecord(schema: unknown): schema is { type: 'record'; name: string; fields: Field[] } {
  return !!schema && typeof schema === 'object' && (schema as { type?: unknown }).type === 'record';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return !!value && typeof value === 'object' && !Array.isArray(value);
}

/** Every difference between our schema and Debezium's, in a stable order. */
export function compareSchemas(ours: unknown, debezium: unknown): SchemaDifference[] {
  const out: SchemaDifference[] = [];
  walk(ours, debezium, '', out);
  return out;
}

function walk(ours: unknown, debezium: unknown, path: string, out: SchemaDifference[]): void {
  if (isRecord(ours) && isRecord(debezium) && ours.name === debezium.name) {
    compareRecords(ours, debezium, out);
    return;
  }
  if (Array.isArray(ours) && Array.isArray(debezium) && ours.length === debezium.length) {
    ours.forEach((item, i) => walk(item, debezium[i], `${path}[${i}]`, out));
    return;
  }
  if (isObject(ours) && isObject(debezium) && !isRecord(ours) && !isRecord(debezium)) {
    walkProperties(ours, debezium, path, out);
    return;
  }
  if (JSON.stringify(ours) !== JSON.stringify(debezium)) out.push({ path, ours, debezium });
}

function walkProperties(
  ours: Record<string, unknown>,
  debezium: Record<string, unknown>,
  path: string,
  out: SchemaDifference[],
): void {
  for (const key of new Set([...Object.keys(ours), ...Object.keys(debezium)])) {
    const at = path ? `${path}.${key}` : key;
    if (!(key in ours)) out.push({ path: at, ours: undefined, debezium: debezium[key] });
    else if (!(key in debezium)) out.push({ path: at, ours: ours[key], debezium: undefined });
    else walk(ours[key], debezium[key], at, out);
  }
}

function compareRecords(
  ours: { name: string; fields: Field[] } & Record<string, unknown>,
  debezium: { name: string; fields: Field[] } & Record<string, unknown>,
  out: SchemaDifference[],
): void {
  const name = ours.name;
  const { fields: ourFields, ...ourRest } = ours;
  const { fields: theirFields, ...theirRest } = debezium;
  walkProperties(ourRest, theirRest, name, out);
  const theirs = new Map(theirFields.map((f) => [f.name, f]));
  const mine = new Map(ourFields.map((f) => [f.name, f]));
  for (const field of ourFields) {
    const other = theirs.get(field.name);
    if (!other) out.push({ path: `${name}.${field.name}`, ours: field, debezium: undefined });
    else walk(field, other, `${name}.${field.name}`, out);
  }
  for (const field of theirFields) {
    if (!mine.has(field.name)) out.push({ path: `${name}.${field.name}`, ours: undefined, debezium: field });
  }
  const common = (list: Field[], other: Map<string, Field>) =>
    list.map((f) => f.name).filter((n) => other.has(n));
  const ourOrder = common(ourFields, theirs);
  const theirOrder = common(theirFields, mine);
  if (ourOrder.join() !== theirOrder.join()) {
    out.push({ path: `${name}.fields (order)`, ours: ourOrder, debezium: theirOrder });
  }
}

/** An allowed difference: a path (`*` matches any run of characters but `.`) and why it remains. */
export interface AllowedDifference {
  path: string;
  reason: string;
}

export function allows(entry: AllowedDifference, difference: SchemaDifference): boolean {
  const pattern = entry.path
    .split('*')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('[^.]*');
  return new RegExp(`^${pattern}($|[.[])`).test(difference.path);
}

/** Describes differences for an assertion message. */
export function describeDifferences(differences: readonly SchemaDifference[]): string {
  return differences
    .map(
      (d) =>
        `  ${d.subject ? `${d.subject} ` : ''}${d.path}: ours ${JSON.stringify(d.ours)}, Debezium ${JSON.stringify(d.debezium)}`,
    )
    .join('\n');
}
