import { columnFiltersSuite } from '../conformance/column-filters.ts';
import { PgTestContext } from '../harness/pg-context.ts';

columnFiltersSuite(() => PgTestContext.open());
