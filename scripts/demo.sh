#!/usr/bin/env bash
# `npm run demo`: bring the local stack up, create a demo table with rows,
# start the Postgres sidecar, make a few changes, and print the events as they
# arrive in Kafka. Ctrl-C stops it (the stack keeps running: npm run stack:down).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PWD/node_modules/.bin:$PATH

bash scripts/stack.sh up >/dev/null
. .stack/env
CONFIG=config/postgres.example.yaml
TOPIC=shop.public.orders

echo "== creating public.orders with three rows in $PG_URL"
psql -q "$PG_URL" <<'SQL'
CREATE TABLE IF NOT EXISTS orders (
  id bigint PRIMARY KEY,
  item text NOT NULL,
  qty integer,
  price numeric(10, 2),
  ordered_at timestamptz DEFAULT now()
);
INSERT INTO orders (id, item, qty, price) VALUES
  (1, 'apple', 3, 1.50), (2, 'pear', 1, 2.25), (3, 'plum', 12, 0.99)
ON CONFLICT (id) DO NOTHING;
SQL

echo "== starting the sidecar: bin/tributary run --config $CONFIG (log: .stack/demo.log)"
TRIBUTARY_HTTP__PORT=0 bin/tributary run --config "$CONFIG" >.stack/demo.log 2>&1 &
sidecar=$!
trap 'kill -TERM $sidecar 2>/dev/null; wait $sidecar 2>/dev/null' EXIT

# A few live changes once the snapshot is under way.
(
  sleep 8
  psql -q "$PG_URL" -c "INSERT INTO orders (id, item, qty, price) VALUES (4, 'fig', 2, 3.10) ON CONFLICT (id) DO NOTHING" \
    -c "UPDATE orders SET qty = qty + 1 WHERE id = 1" \
    -c "DELETE FROM orders WHERE id = 2" >/dev/null
) &

echo "== events on $TOPIC (Ctrl-C to stop)"
for _ in $(seq 1 60); do
  bin/tributary tail --config "$CONFIG" "$TOPIC" --from-beginning 2>/dev/null && break
  sleep 1
done
