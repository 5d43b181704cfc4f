import { atomicitySuite } from '../conformance/atomicity.ts';
import { PgTestContext } from '../harness/pg-context.ts';

atomicitySuite(() => PgTestContext.open());
