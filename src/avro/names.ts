/**
 * Avro names are `[A-Za-z_][A-Za-z0-9_]*`. Like Debezium, invalid characters
 * become `_`; unlike Debezium, a leading digit is kept behind a `_` so that
 * `1a` and `2a` stay apart.
 */

const VALID_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

export function isValidAvroName(name: string): boolean {
  return VALID_NAME.test(name);
}

/** The Avro name for `name`: itself when valid, otherwise sanitised. */
export function avroName(name: string): string {
  if (VALID_NAME.test(name)) return name;
  const replaced = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(replaced) ? replaced : `_${replaced}`;
}

/** A dotted Avro namespace for a topic: each part sanitised. */
export function avroNamespace(topic: string): string {
  return topic.split('.').map(avroName).join('.');
}

/**
 * Unique Avro field names for `names`, in order. Valid names keep themselves;
 * a sanitised name that collides gets `_2`, `_3`, ... in column order.
 */
export function avroFieldNames(names: readonly string[]): string[] {
  const used = new Set(names.filter(isValidAvroName));
  return names.map((name) => {
    if (isValidAvroName(name)) return name;
    const base = avroName(name);
    let candidate = base;
    for (let n = 2; used.has(candidate); n += 1) candidate = `${base}_${n}`;
    used.add(candidate);
    return candidate;
  });
}
