import { faultSuite } from './lib/suite.ts';
import { leaderKill } from './lib/scenarios.ts';

faultSuite([leaderKill], { kafkaNodes: 3 });
