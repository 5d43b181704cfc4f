import { statusAndTerminalSuite } from '../conformance/status-and-terminal.ts';
import { MysqlTestContext } from '../harness/mysql-context.ts';

statusAndTerminalSuite(() => MysqlTestContext.open());
