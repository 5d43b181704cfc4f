import type { Admin } from 'kafkajs';
import { testKafka } from '../../test/harness/kafka-events.ts';
import { forEachLimit } from './concurrently.ts';

/** Offset requests in flight at once when many topics are read. */
const CONCURRENCY = 50;

/**
 * Topic end offsets (log end: records plus commit markers, whether their
 * transaction is committed yet or not) through one admin connection. A
 * topic that does not exist yet ends at 0.
 */
export class EndOffsets implements AsyncDisposable {
  readonly admin: Admin;

  private constructor(admin: Admin) {
    this.admin = admin;
  }

  static async open(): Promise<EndOffsets> {
    // No retries: a topic the sidecar has not created yet must answer at once, not after backoffs.
    const admin = testKafka().admin({ retry: { retries: 0 } });
    await admin.connect();
    return new EndOffsets(admin);
  }

  /** Each partition's end; none when the topic does not exist (yet). */
  async partitionEnds(topic: string): Promise<Array<{ partition: number; end: number }>> {
    try {
      const partitions = await this.admin.fetchTopicOffsets(topic);
      return partitions.map((p) => ({ partition: p.partition, end: Number(p.high) }));
    } catch {
      return [];
    }
  }

  async end(topic: string): Promise<number> {
    return (await this.partitionEnds(topic)).reduce((sum, p) => sum + p.end, 0);
  }

  /**
   * The ends of many topics, a bounded number of requests at a time. Topics
   * not created yet are found from one listing, not by a failing request
   * each (each costs two metadata requests).
   */
  async ends(topics: string[]): Promise<Map<string, number>> {
    const existing = new Set(await this.admin.listTopics());
    const out = new Map(topics.map((topic) => [topic, 0]));
    await forEachLimit(
      topics.filter((topic) => existing.has(topic)),
      CONCURRENCY,
      async (topic) => void out.set(topic, await this.end(topic)),
    );
    return out;
  }

  /** Deletes the topics whose names contain `name` (a connector's data, offsets and transaction topics). */
  async deleteTopicsOf(name: string): Promise<void> {
    const topics = (await this.admin.listTopics()).filter((topic) => topic.includes(name));
    if (topics.length > 0) await this.admin.deleteTopics({ topics, timeout: 60_000 });
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.admin.disconnect();
  }
}
