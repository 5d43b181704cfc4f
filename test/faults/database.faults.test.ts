import { faultSuite } from './lib/suite.ts';
import { databaseRestart, replicationKill } from './lib/scenarios.ts';

faultSuite([databaseRestart, replicationKill]);
