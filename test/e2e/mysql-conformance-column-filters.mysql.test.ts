import { columnFiltersSuite } from '../conformance/column-filters.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

columnFiltersSuite(() => MysqlTestContext.open());
