import { snapshotModesSuite } from '../conformance/snapshot-modes.ts';
import { PgTestContext } from '../harness/pg-context.ts';

snapshotModesSuite(() => PgTestContext.open());
