import '../harness/secure-stack.ts';
import { basicsSuite } from '../conformance/basics.ts';
import { exactlyOnceSuite } from '../conformance/exactly-once.ts';
import { outboxRoutingTest } from '../conformance/outbox.ts';
import { PgTestContext } from '../harness/pg-context.ts';

/** The conformance basics, exactly-once and outbox routing cases over TLS, SCRAM and ACLs: the secured stack. */
const open = async (): Promise<PgTestContext> => {
  const ctx = await PgTestContext.open();
  await ctx.grantKafkaAcls();
  return ctx;
};
basicsSuite(open);
exactlyOnceSuite(open);
// The outbox registers primitive schemas outside the registry client: over the same TLS and credentials.
outboxRoutingTest(open);
