import type { Logger } from 'pino';
import { TributaryError, type ErrorCode } from '../core/errors.ts';
import type {
  EncoderFactory,
  FailedChange,
  FailedChangeHandler,
  OutgoingRecord,
  TableEncoder,
} from '../core/pipeline.ts';
import type { TableSchema } from '../core/schema.ts';
import { recordBatchBytes } from './record-limits.ts';
import type { TopicEnsurer } from './topics.ts';

/**
 * Failures of one record, which `errors.tolerance: all` dead-letters. Never
 * these: configuration, authentication, lost connections, fencing (they
 * retry or stop as always).
 */
const RECORD_FAILURES: ReadonlySet<ErrorCode> = new Set([
  'SCHEMA_REFUSED',
  'ENCODING_FAILED',
  'RECORD_TOO_LARGE',
  'OUTBOX_INVALID',
]);

export function recordFailureCode(error: unknown): ErrorCode | null {
  return error instanceof TributaryError && !error.retriable && RECORD_FAILURES.has(error.code)
    ? error.code
    : null;
}

/** Header names, as Kafka Connect's `__connect.errors.*` context headers. */
export const DEAD_LETTER_HEADERS = {
  code: '__tributary.errors.code',
  message: '__tributary.errors.message',
  fix: '__tributary.errors.fix',
  connector: '__tributary.errors.connector.name',
  table: '__tributary.errors.table',
  op: '__tributary.errors.op',
  position: '__tributary.errors.position',
  /** Present when the value was cut to fit: the byte length of the whole value. */
  cut: '__tributary.errors.value.cut.from.bytes',
} as const;

const MAX_MESSAGE_CHARS = 2000;
/** Room kept for the cut header, added after the value is measured. */
const CUT_HEADER_ROOM = 64;
const WARN_EVERY_MS = 10_000;

/** Canonical row values as JSON: 64-bit integers as strings (exact), bytes as base64, NaN and infinities as strings. */
function toJson(value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (Array.isArray(value)) return value.map(toJson);
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJson(v)]));
  }
  return value;
}

interface DeadLetterDocument {
  table: string;
  op: string;
  before: Record<string, unknown> | null;
  after: Record<string, unknown> | null;
  source: Record<string, unknown>;
  /** Set when the row images had to be dropped to fit. */
  imagesDropped?: true;
}

interface StringLeaf {
  holder: Record<string, unknown>;
  key: string;
  bytes: number;
}

/** The strings of the row images, longest (in UTF-8 bytes) first. */
function stringLeaves(doc: DeadLetterDocument): StringLeaf[] {
  const leaves: StringLeaf[] = [];
  const visit = (holder: Record<string, unknown>) => {
    for (const [key, value] of Object.entries(holder)) {
      if (typeof value === 'string') leaves.push({ holder, key, bytes: Buffer.byteLength(value) });
      else if (value !== null && typeof value === 'object') visit(value as Record<string, unknown>);
    }
  };
  if (doc.before) visit(doc.before);
  if (doc.after) visit(doc.after);
  return leaves.sort((a, b) => b.bytes - a.bytes);
}

/** The length to cut the longest strings to, so that `excess` bytes go: the longest lose most, short ones nothing. */
function cutLength(leaves: StringLeaf[], excess: number): number {
  let sum = 0;
  for (let k = 0; k < leaves.length; k++) {
    sum += leaves[k]!.bytes;
    const length = Math.floor((sum - excess) / (k + 1));
    if (length >= (leaves[k + 1]?.bytes ?? 0)) return Math.max(0, length);
  }
  return 0;
}

/**
 * Cuts the longest strings of the row images to one length (each cut ends in
 * `…`) so the document's JSON fits `budget` bytes; drops the images if that is
 * not enough.
 * Returns the JSON and, when it was cut, the byte length it had.
 */
export function fitDocument(
  doc: DeadLetterDocument,
  budget: number,
): { json: Buffer; cutFrom: number | null } {
  let json = Buffer.from(JSON.stringify(doc));
  const original = json.length;
  // A string's JSON takes at least its UTF-8 bytes, so cutting `excess` bytes of it frees at least as many.
  for (let round = 0; round < 5 && json.length > budget; round++) {
    const leaves = stringLeaves(doc);
    // Each cut string also gains a 3-byte `…`.
    const length = cutLength(leaves, json.length - budget + 3 * leaves.length);
    for (const leaf of leaves) {
      if (leaf.bytes <= length) break;
      // A cut inside a multi-byte character decodes to U+FFFD: drop it.
      const text = Buffer.from(leaf.holder[leaf.key] as string)
        .subarray(0, length)
        .toString()
        .replace(/\uFFFD$/, '');
      leaf.holder[leaf.key] = `${text}…`;
    }
    json = Buffer.from(JSON.stringify(doc));
  }
  if (json.length > budget) {
    doc.before = null;
    doc.after = null;
    doc.imagesDropped = true;
    json = Buffer.from(JSON.stringify(doc));
  }
  return { json, cutFrom: json.length < original ? original : null };
}

/** The dead letter of a failed change: its row as JSON, the failure and the change in headers. */
export function deadLetterRecord(
  failed: FailedChange,
  error: TributaryError,
  options: { topic: string; connector: string; limit: number },
): OutgoingRecord {
  const source = toJson(failed.source) as Record<string, unknown>;
  const headers: Record<string, string> = {
    [DEAD_LETTER_HEADERS.code]: error.code,
    [DEAD_LETTER_HEADERS.message]: error.message.slice(0, MAX_MESSAGE_CHARS),
    ...(error.fix ? { [DEAD_LETTER_HEADERS.fix]: error.fix.slice(0, MAX_MESSAGE_CHARS) } : {}),
    [DEAD_LETTER_HEADERS.connector]: options.connector,
    [DEAD_LETTER_HEADERS.table]: failed.table,
    [DEAD_LETTER_HEADERS.op]: failed.op,
    [DEAD_LETTER_HEADERS.position]: JSON.stringify(source),
  };
  const doc: DeadLetterDocument = {
    table: failed.table,
    op: failed.op,
    before: toJson(failed.before) as DeadLetterDocument['before'],
    after: toJson(failed.after) as DeadLetterDocument['after'],
    source,
  };
  const budget = options.limit - recordBatchBytes({ key: null, value: null, headers }) - CUT_HEADER_ROOM;
  const { json, cutFrom } = fitDocument(doc, budget);
  if (cutFrom !== null) headers[DEAD_LETTER_HEADERS.cut] = String(cutFrom);
  return { topic: options.topic, key: null, value: json, headers };
}

export interface DeadLetterQueueOptions {
  topic: string;
  connector: string;
  topics: TopicEnsurer;
  limits: { limitFor(topic: string): Promise<number> };
  logger: Logger;
  onDeadLetter?(table: string, code: ErrorCode): void;
}

/** `errors.tolerance: all`: a change that cannot be written goes to the dead-letter topic instead. */
export class DeadLetterQueue implements FailedChangeHandler {
  private readonly options: DeadLetterQueueOptions;
  /** Per table and code: when the last warning was logged, and how many were not logged since. */
  private readonly warned = new Map<string, { at: number; suppressed: number }>();

  constructor(options: DeadLetterQueueOptions) {
    this.options = options;
  }

  async recordsFor(failed: FailedChange, error: unknown): Promise<OutgoingRecord[] | null> {
    const code = recordFailureCode(error);
    if (code === null) return null;
    const { topic } = this.options;
    // One partition keeps the dead letters in log order; they expire, never compact.
    await this.options.topics.ensure([topic], {
      numPartitions: 1,
      configEntries: [{ name: 'cleanup.policy', value: 'delete' }],
    });
    const limit = await this.options.limits.limitFor(topic);
    const record = deadLetterRecord(failed, error as TributaryError, {
      topic,
      connector: this.options.connector,
      limit,
    });
    this.warn(failed, code, (error as TributaryError).message);
    this.options.onDeadLetter?.(failed.table, code);
    return [record];
  }

  /** At once for each table and code, then at most every 10 s with the count left unsaid. */
  private warn(failed: FailedChange, code: ErrorCode, message: string): void {
    const key = `${failed.table}\n${code}`;
    const last = this.warned.get(key);
    const now = Date.now();
    if (last && now - last.at < WARN_EVERY_MS) {
      last.suppressed += 1;
      return;
    }
    this.options.logger.warn(
      {
        table: failed.table,
        op: failed.op,
        code,
        deadLetterTopic: this.options.topic,
        ...(last ? { suppressedSinceLast: last.suppressed } : {}),
      },
      `a change was sent to the dead-letter topic: ${message}`,
    );
    this.warned.set(key, { at: now, suppressed: 0 });
  }
}

/**
 * Remembers a table version the registry refused, so its further changes go
 * to the dead-letter topic without asking the registry again. A new version
 * of the table (a new schema object) is registered afresh.
 */
export function rememberRefusals(factory: EncoderFactory): EncoderFactory {
  const refused = new WeakMap<TableSchema, unknown>();
  return {
    async forTable(table: TableSchema): Promise<TableEncoder> {
      if (refused.has(table)) throw refused.get(table);
      try {
        return await factory.forTable(table);
      } catch (error) {
        if (recordFailureCode(error) !== null) refused.set(table, error);
        throw error;
      }
    },
  };
}
