import { deadLettersSuite } from '../conformance/dead-letters.ts';
import { PgTestContext } from '../harness/pg-context.ts';

deadLettersSuite(() => PgTestContext.open());
