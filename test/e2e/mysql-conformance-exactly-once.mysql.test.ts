import { exactlyOnceSuite } from '../conformance/exactly-once.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

exactlyOnceSuite(() => MysqlTestContext.open());
