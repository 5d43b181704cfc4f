import { basicsSuite } from '../conformance/basics.ts';
import { PgTestContext } from '../harness/pg-context.ts';

basicsSuite(() => PgTestContext.open());
