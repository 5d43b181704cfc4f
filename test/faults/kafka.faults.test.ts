import { faultSuite } from './lib/suite.ts';
import { kafkaDown, kafkaPause, kafkaRestart } from './lib/scenarios.ts';

faultSuite([kafkaPause, kafkaRestart, kafkaDown]);
