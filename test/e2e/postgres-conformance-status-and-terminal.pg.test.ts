import { statusAndTerminalSuite } from '../conformance/status-and-terminal.ts';
import { PgTestContext } from '../harness/pg-context.ts';

statusAndTerminalSuite(() => PgTestContext.open());
