import { snapshotModesSuite } from '../conformance/snapshot-modes.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

snapshotModesSuite(() => MysqlTestContext.open());
