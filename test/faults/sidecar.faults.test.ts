import { faultSuite } from './lib/suite.ts';
import { secondInstance, sidecarKills } from './lib/scenarios.ts';

faultSuite([secondInstance, sidecarKills]);
