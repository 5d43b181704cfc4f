import { basicsSuite } from '../conformance/basics.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

basicsSuite(() => MysqlTestContext.open());
