import { incrementalSnapshotSuite } from '../conformance/incremental-snapshot.ts';
import { PgTestContext } from '../harness/pg-context.ts';

incrementalSnapshotSuite(() => PgTestContext.open());
