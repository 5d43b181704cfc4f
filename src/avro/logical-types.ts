/**
 * avsc has a `long` limited to ±2^53 and no logical types. These give it a
 * BigInt long and the logical types Tributary writes, each producing and
 * accepting the canonical JS values of src/core/schema.ts.
 */
import avro from 'avsc';
import type { ForSchemaOptions, Schema, Type } from 'avsc';
import { bigIntLong } from './bigint-long.ts';
import { debeziumTypeHook } from './debezium-types.ts';
import { bigIntToBytes, bytesToBigInt, decimalToUnscaled, unscaledToDecimal } from './decimal.ts';

export { bigIntLong };

type Resolve = ((value: unknown) => unknown) | undefined;
const identity = (value: unknown): unknown => value;

/** `bytes` (or `fixed`) + `decimal`: exact decimal text such as "-12.50". */
export class DecimalType extends avro.types.LogicalType {
  readonly precision: number;
  readonly scale: number;
  readonly #fixedSize: number | undefined;
  // Unions check then write each value: remember the last conversion.
  #lastText: unknown = undefined;
  #lastBytes: Buffer | undefined = undefined;

  constructor(schema: Schema, opts?: unknown) {
    super(schema, opts);
    const { precision, scale = 0 } = schema as { precision?: unknown; scale?: unknown };
    if (!Number.isInteger(precision) || (precision as number) < 1) {
      throw new Error(`decimal: invalid precision ${String(precision)}`);
    }
    if (!Number.isInteger(scale) || (scale as number) < 0 || (scale as number) > (precision as number)) {
      throw new Error(`decimal: invalid scale ${String(scale)} for precision ${String(precision)}`);
    }
    this.precision = precision as number;
    this.scale = scale as number;
    const underlying = this.underlyingType;
    if (underlying.typeName === 'fixed') {
      this.#fixedSize = (underlying as avro.types.FixedType).size;
    } else if (underlying.typeName !== 'bytes') {
      throw new Error(`decimal: underlying type must be bytes or fixed, not ${underlying.typeName}`);
    }
  }

  protected override _fromValue(bytes: Buffer): string {
    return unscaledToDecimal(bytesToBigInt(bytes), this.scale);
  }

  protected override _toValue(value: unknown): Buffer {
    if (value === this.#lastText && this.#lastBytes) return this.#lastBytes;
    let unscaled: bigint;
    if (typeof value === 'string') unscaled = decimalToUnscaled(value, this.precision, this.scale);
    else if (typeof value === 'bigint')
      unscaled = decimalToUnscaled(value.toString(), this.precision, this.scale);
    else
      throw new TypeError(
        `decimal(${this.precision},${this.scale}): expected decimal text, got ${typeof value}`,
      );
    let bytes = bigIntToBytes(unscaled);
    if (this.#fixedSize !== undefined) bytes = signExtend(bytes, this.#fixedSize);
    this.#lastText = value;
    this.#lastBytes = bytes;
    return bytes;
  }

  protected override _resolve(type: Type): Resolve {
    if (type instanceof DecimalType && type.scale === this.scale) return identity;
    if (type.typeName === 'bytes' || type.typeName === 'fixed')
      return (bytes) => this._fromValue(bytes as Buffer);
    return undefined;
  }

  protected override _export(schema: Schema): void {
    Object.assign(schema, { precision: this.precision, scale: this.scale });
  }
}

function signExtend(bytes: Buffer, size: number): Buffer {
  if (bytes.length > size)
    throw new RangeError(`decimal: value needs ${bytes.length} bytes, fixed size is ${size}`);
  const out = Buffer.alloc(size, (bytes[0]! & 0x80) === 0 ? 0 : 0xff);
  bytes.copy(out, size - bytes.length);
  return out;
}

/** `int` + `date`: days since 1970-01-01 as a number. */
export class DateType extends avro.types.LogicalType {
  protected override _fromValue(days: number): number {
    return days;
  }

  protected override _toValue(days: unknown): unknown {
    return days;
  }

  protected override _resolve(type: Type): Resolve {
    return type.typeName === 'int' || type.typeName === 'logical:date' ? identity : undefined;
  }
}

/** A logical type over the BigInt long whose values are bigint microseconds. */
class MicrosType extends avro.types.LogicalType {
  constructor(schema: Schema, opts?: Partial<ForSchemaOptions>) {
    // avsc would build the underlying `{"type": "long", ...}` as its own
    // 53-bit long, past any hook: hand it the BigInt long for this schema.
    const outerHook = opts?.typeHook;
    super(schema, {
      ...opts,
      typeHook: (inner: Schema, innerOpts: ForSchemaOptions) =>
        inner === schema ? bigIntLong : outerHook?.(inner, innerOpts),
    });
    if (!['abstract:long', 'long'].includes(this.underlyingType.typeName)) {
      throw new Error(`${this.typeName}: underlying type must be long`);
    }
  }

  protected override _fromValue(micros: bigint): bigint {
    return micros;
  }

  protected override _toValue(micros: unknown): unknown {
    return micros;
  }

  protected override _resolve(type: Type): Resolve {
    switch (type.typeName) {
      case this.typeName:
      case 'abstract:long':
        return identity;
      case 'long':
      case 'int':
        return (value) => BigInt(value as number);
      default:
        return undefined;
    }
  }
}

/** `long` + `time-micros`: microseconds since midnight. */
export class TimeMicrosType extends MicrosType {}
/** `long` + `timestamp-micros`: microseconds since the epoch, UTC. */
export class TimestampMicrosType extends MicrosType {}
/** `long` + `local-timestamp-micros`: microseconds since the epoch on a wall clock with no zone. */
export class LocalTimestampMicrosType extends MicrosType {}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** `string` + `uuid`: UUID text. */
export class UuidType extends avro.types.LogicalType {
  protected override _fromValue(text: string): string {
    return text;
  }

  protected override _toValue(text: unknown): string {
    if (typeof text !== 'string' || !UUID.test(text)) {
      throw new TypeError(`uuid: ${JSON.stringify(text)} is not a UUID`);
    }
    return text;
  }

  protected override _resolve(type: Type): Resolve {
    return type.typeName === 'string' || type.typeName === 'logical:uuid' ? identity : undefined;
  }
}

export const logicalTypes = {
  decimal: DecimalType,
  date: DateType,
  'time-micros': TimeMicrosType,
  'timestamp-micros': TimestampMicrosType,
  'local-timestamp-micros': LocalTimestampMicrosType,
  uuid: UuidType,
} as const;

export type AvroTypeOptions = Pick<ForSchemaOptions, 'logicalTypes' | 'typeHook'> & {
  assertLogicalTypes?: boolean;
};

/**
 * Every `long` is the BigInt long: the name `"long"` and `{"type": "long"}`
 * objects without a logical type of ours. (A hook rather than avsc's
 * `registry: { long }`, which misses the object form, and which avsc fills with
 * every named type it parses, so that a shared options object refuses the
 * second parse of a schema.)
 */
function longTypeHook(schema: Schema): Type | undefined {
  if (schema === 'long') return bigIntLong;
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) return undefined;
  const { type, logicalType } = schema as { type?: unknown; logicalType?: unknown };
  if (type !== 'long') return undefined;
  return typeof logicalType === 'string' && Object.hasOwn(logicalTypes, logicalType) ? undefined : bigIntLong;
}

/**
 * Options for `avsc.Type.forSchema` and for the registry client's AVRO
 * options. avsc adds a `registry` of named types to the object it is given:
 * take a fresh object for each direct `forSchema` call (the registry client
 * copies its options for every parse, so one object serves it).
 */
export function avroTypeOptions(options: { assertLogicalTypes?: boolean } = {}): AvroTypeOptions {
  return {
    logicalTypes,
    typeHook: (schema, opts) => debeziumTypeHook(schema, opts) ?? longTypeHook(schema),
    assertLogicalTypes: options.assertLogicalTypes ?? false,
  };
}
