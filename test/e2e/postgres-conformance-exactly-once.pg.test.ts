import { exactlyOnceSuite } from '../conformance/exactly-once.ts';
import { PgTestContext } from '../harness/pg-context.ts';

exactlyOnceSuite(() => PgTestContext.open());
