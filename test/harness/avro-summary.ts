/**
 * A compact name for an Avro field type: `?` for ["null", T], `decimal(p,s)`,
 * Debezium's semantic types by the last part of their Connect name (`Date`,
 * `ZonedTimestamp`, `Enum`, …), `int16` for Connect's int16.
 */
export function avroSummary(schema: unknown): string {
  if (typeof schema === 'string') return schema.startsWith('io.debezium.') ? lastPart(schema) : schema;
  if (Array.isArray(schema)) {
    const [first, second] = schema as unknown[];
    if (schema.length === 2 && first === 'null') return `?${avroSummary(second)}`;
    // A nullable column with a default puts the default's branch first.
    return schema.length === 2 && second === 'null' ? `?${avroSummary(first)}` : JSON.stringify(schema);
  }
  const s = schema as Record<string, unknown>;
  if (s['type'] === 'array') return `array<${avroSummary(s['items'])}>`;
  if (s['logicalType'] === 'decimal') return `decimal(${String(s['precision'])},${String(s['scale'])})`;
  if (typeof s['logicalType'] === 'string') return s['logicalType'];
  if (typeof s['connect.name'] === 'string') return lastPart(s['connect.name']);
  if (typeof s['connect.type'] === 'string') return s['connect.type'];
  return avroSummary(s['type']);
}

function lastPart(name: string): string {
  return name.slice(name.lastIndexOf('.') + 1);
}
