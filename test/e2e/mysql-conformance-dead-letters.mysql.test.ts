import { deadLettersSuite } from '../conformance/dead-letters.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

deadLettersSuite(() => MysqlTestContext.open());
