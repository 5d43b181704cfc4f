/**
 * Every failure Tributary reports carries structure, so callers decide by field
 * and never by message text.
 *
 * - `retriable`: a transient fault (a server down, a network cut); the run loop
 *   backs off and tries again from the last committed offset.
 * - otherwise final: configuration, server settings, privileges, a refused
 *   schema. The process exits non-zero with `message` and `fix`, no stack trace.
 */
export type ErrorCode =
  | 'CONFIG_INVALID'
  | 'SOURCE_SETTING'
  | 'SOURCE_PRIVILEGE'
  | 'SOURCE_UNREACHABLE'
  | 'SOURCE_POSITION_LOST'
  | 'SOURCE_FAILED'
  | 'SCHEMA_REFUSED'
  | 'REGISTRY_UNREACHABLE'
  | 'KAFKA_UNREACHABLE'
  | 'KAFKA_FENCED'
  | 'KAFKA_FAILED'
  /** One record: a value its Avro type cannot hold. */
  | 'ENCODING_FAILED'
  /** One record: larger than its topic's max.message.bytes. */
  | 'RECORD_TOO_LARGE'
  /** One record: an outbox row with no route value. */
  | 'OUTBOX_INVALID'
  | 'UNSUPPORTED';

export interface TributaryErrorOptions {
  code: ErrorCode;
  retriable?: boolean;
  /** What the user should do about it. */
  fix?: string;
  cause?: unknown;
}

export class TributaryError extends Error {
  readonly code: ErrorCode;
  readonly retriable: boolean;
  readonly fix: string | undefined;

  constructor(message: string, options: TributaryErrorOptions) {
    super(message, { cause: options.cause });
    this.name = 'TributaryError';
    this.code = options.code;
    this.retriable = options.retriable ?? false;
    this.fix = options.fix;
  }

  /** The one-paragraph text a user sees. */
  describe(): string {
    return this.fix ? `${this.message}\n  fix: ${this.fix}` : this.message;
  }
}

export function isRetriable(error: unknown): boolean {
  return error instanceof TributaryError ? error.retriable : false;
}

/** Socket error codes that mean a server is (for now) out of reach: worth a retry. */
const NETWORK_ERRORS = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENOTFOUND',
  'EPIPE',
]);

export function isNetworkError(code: string | undefined): boolean {
  return code !== undefined && NETWORK_ERRORS.has(code);
}
