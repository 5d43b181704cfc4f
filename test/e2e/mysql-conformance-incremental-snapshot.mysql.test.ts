import { incrementalSnapshotSuite } from '../conformance/incremental-snapshot.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

incrementalSnapshotSuite(() => MysqlTestContext.open());
