/** A compact name for an Avro field type: `?` for ["null", T], logical and semantic names kept. */
export function avroSummary(schema: unknown): string {
  if (typeof schema === 'string') return schema;
  if (Array.isArray(schema)) {
    const [first, second] = schema as unknown[];
    return schema.length === 2 && first === 'null' ? `?${avroSummary(second)}` : JSON.stringify(schema);
  }
  const s = schema as Record<string, unknown>;
  if (s['type'] === 'array') return `array<${avroSummary(s['items'])}>`;
  if (s['logicalType'] === 'decimal') return `decimal(${String(s['precision'])},${String(s['scale'])})`;
  if (typeof s['logicalType'] === 'string') return s['logicalType'];
  if (typeof s['tributary.semantic'] === 'string') return `string:${s['tributary.semantic']}`;
  if (typeof s['connect.type'] === 'string') return s['connect.type'];
  return avroSummary(s['type']);
}
