import '../harness/secure-stack.ts';
import { basicsSuite } from '../conformance/basics.ts';
import { exactlyOnceSuite } from '../conformance/exactly-once.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

/** The conformance basics and exactly-once cases over TLS, SCRAM and ACLs: the secured stack. */
const open = async (): Promise<MysqlTestContext> => {
  const ctx = await MysqlTestContext.open();
  await ctx.grantKafkaAcls();
  return ctx;
};
basicsSuite(open);
exactlyOnceSuite(open);
