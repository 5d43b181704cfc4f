import { faultSuite } from './lib/suite.ts';
import { registryPause, registryRestart } from './lib/scenarios.ts';

faultSuite([registryPause, registryRestart]);
