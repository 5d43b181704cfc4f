import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { PrivateStack } from './private-stack.ts';
import { failures, runScenario, summary, timingFromEnv, type Scenario } from './runner.ts';

/**
 * Declares one test per scenario, all on one private stack started for the
 * file (both dialects' databases, Kafka with `kafkaNodes` brokers, the
 * registry), and prints each scenario's figures.
 */
export function faultSuite(scenarios: Scenario[], options: { kafkaNodes?: 1 | 3 } = {}): void {
  let stack: PrivateStack;
  before(async () => {
    stack = await PrivateStack.start({ kafkaNodes: options.kafkaNodes ?? 1 });
  });
  after(async () => {
    // FAULTS_KEEP_STACK=1 leaves the servers running, to look into a failure.
    if (process.env.FAULTS_KEEP_STACK) console.error(`kept the stack: ${JSON.stringify(stack?.env)}`);
    else await stack?.[Symbol.asyncDispose]();
  });
  for (const scenario of scenarios) {
    const name = `${scenario.name}: both dialects recover by themselves with nothing lost, duplicated or reordered`;
    test(name, scenario.knownIssue ? { todo: scenario.knownIssue } : {}, async (t) => {
      const result = await runScenario(stack, scenario, timingFromEnv());
      t.diagnostic(summary(result));
      assert.deepEqual(failures(result), []);
    });
  }
}
