import { outboxSuite } from '../conformance/outbox.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

outboxSuite(() => MysqlTestContext.open());
