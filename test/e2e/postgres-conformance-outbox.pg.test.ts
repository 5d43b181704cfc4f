import { outboxSuite } from '../conformance/outbox.ts';
import { PgTestContext } from '../harness/pg-context.ts';

outboxSuite(() => PgTestContext.open());
