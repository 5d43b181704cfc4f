/**
 * Confluent wire format: magic byte 0, the schema id as a 4-byte big-endian
 * int, then the Avro body.
 */
import type { Type } from 'avsc';

export const MAGIC_BYTE = 0;
const HEADER = 5;

// One growing scratch buffer for all encoding: encoding is synchronous, and
// avsc's own toBuffer encodes twice whenever a value exceeds its 1 KiB buffer.
let scratch = Buffer.allocUnsafe(64 * 1024);

/** Avro binary of `value`, framed with `schemaId` when one is given. */
export function encodeAvro(type: Type, value: unknown, schemaId?: number): Buffer {
  const start = schemaId === undefined ? 0 : HEADER;
  for (;;) {
    const end = type.encode(value, scratch, start);
    if (end >= 0) {
      const out = Buffer.allocUnsafe(end);
      scratch.copy(out, start, start, end);
      if (schemaId !== undefined) writeHeader(out, schemaId);
      return out;
    }
    // `end` is minus the bytes missing.
    scratch = Buffer.allocUnsafe(Math.max(scratch.length * 2, scratch.length - end));
  }
}

/** Confluent framing around an Avro body. */
export function frame(schemaId: number, body: Buffer): Buffer {
  const out = Buffer.allocUnsafe(HEADER + body.length);
  writeHeader(out, schemaId);
  body.copy(out, HEADER);
  return out;
}

function writeHeader(out: Buffer, schemaId: number): void {
  if (!Number.isInteger(schemaId) || schemaId < 0 || schemaId > 0x7fffffff) {
    throw new RangeError(`schema id ${schemaId} does not fit Confluent framing`);
  }
  out[0] = MAGIC_BYTE;
  out.writeInt32BE(schemaId, 1);
}

/** The schema id and Avro body of a framed message. */
export function unframe(buffer: Buffer): { schemaId: number; body: Buffer } {
  if (buffer.length < HEADER || buffer[0] !== MAGIC_BYTE) {
    throw new Error(`not a Confluent-framed Avro message (${buffer.length} bytes, first byte ${buffer[0]})`);
  }
  return { schemaId: buffer.readInt32BE(1), body: buffer.subarray(HEADER) };
}

export type TypeLookup = ReadonlyMap<number, Type> | ((schemaId: number) => Type | undefined);

/** Decodes a framed message with the writer type of its schema id. */
export function decodeFramed(buffer: Buffer, typeById: TypeLookup): { schemaId: number; value: unknown } {
  const { schemaId, body } = unframe(buffer);
  const type = typeof typeById === 'function' ? typeById(schemaId) : typeById.get(schemaId);
  if (!type) throw new Error(`no Avro type known for schema id ${schemaId}`);
  return { schemaId, value: type.fromBuffer(body) };
}
