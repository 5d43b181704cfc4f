#!/usr/bin/env bash
# `npm test`: typecheck, lint, bring the local stack up (a no-op when it is up),
# resolve the Debezium compatibility tests' jars (scripts/compat.sh), then run
# every unit and integration test with node's test runner. Files that import
# test/harness/secure-stack.ts bring the secured stack up themselves.
# Extra arguments go to the runner, e.g. `npm test -- --test-name-pattern=toast`.
set -euo pipefail
cd "$(dirname "$0")/.."

tsc --noEmit
eslint --max-warnings 0 .
bash scripts/stack.sh up >/dev/null
# Kafka Connect and Debezium for test/compat/ (from Maven once; a no-op after).
bash scripts/compat.sh
# shellcheck source=/dev/null
. "${STACK_DIR:-.stack}/env"

files=("$@")
if [ ${#files[@]} -eq 0 ] || [[ ${files[0]} == --* ]]; then
  files=("src/**/*.test.ts" "dialects/**/*.test.ts" "test/**/*.test.ts" "bench/**/*.test.ts" "${files[@]}")
fi
exec node --test --test-concurrency=2 --test-timeout=600000 "${files[@]}"
