import { atomicitySuite } from '../conformance/atomicity.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

atomicitySuite(() => MysqlTestContext.open());
