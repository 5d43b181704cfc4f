#!/usr/bin/env bash
# `npm run demo` (Postgres) or `npm run demo -- mysql` (MariaDB): bring the
# local stack up, create a demo table with rows, start the sidecar, make a few
# changes, and print the events as they arrive in Kafka. Ctrl-C stops the
# sidecar (the stack keeps running: npm run stack:down).
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH=$PWD/node_modules/.bin:$PATH
dialect=${1:-postgres}

bash scripts/stack.sh up >/dev/null
. .stack/env

DDL="CREATE TABLE IF NOT EXISTS orders (
  id bigint PRIMARY KEY,
  item varchar(100) NOT NULL,
  qty integer,
  price numeric(10, 2),
  ordered_at timestamp(6) DEFAULT CURRENT_TIMESTAMP(6)
)"
CHANGES=(
  "INSERT INTO orders (id, item, qty, price) VALUES (4, 'fig', 2, 3.10)"
  "UPDATE orders SET qty = qty + 1 WHERE id = 1"
  "DELETE FROM orders WHERE id = 2"
)
case $dialect in
  postgres)
    CONFIG=config/postgres.example.yaml
    TOPIC=shop.public.orders
    run_sql() { psql -q -v ON_ERROR_STOP=1 "$PG_URL" -c "$1" >/dev/null; }
    ;;
  mysql | mariadb)
    CONFIG=config/mysql.example.yaml
    TOPIC=shop_mysql.tributary.orders
    port=${MYSQL_URL##*:}
    port=${port%%/*}
    run_sql() { mariadb --no-defaults -h 127.0.0.1 -P "$port" -u tributary -ptributary tributary -e "$1"; }
    ;;
  *)
    echo "usage: npm run demo [-- postgres|mysql]" >&2
    exit 2
    ;;
esac

echo "== creating orders with three rows ($dialect)"
run_sql "$DDL"
run_sql "DELETE FROM orders WHERE id = 4"
for row in "1, 'apple', 3, 1.50" "2, 'pear', 1, 2.25" "3, 'plum', 12, 0.99"; do
  run_sql "INSERT INTO orders (id, item, qty, price) SELECT $row WHERE NOT EXISTS (SELECT 1 FROM orders WHERE id = ${row%%,*})"
done

echo "== starting the sidecar: bin/tributary run --config $CONFIG (log: .stack/demo-$dialect.log)"
TRIBUTARY_HTTP__PORT=0 bin/tributary run --config "$CONFIG" >".stack/demo-$dialect.log" 2>&1 &
sidecar=$!
trap 'kill -TERM $sidecar 2>/dev/null; wait $sidecar 2>/dev/null' EXIT

# A few live changes once the snapshot is under way.
(
  sleep 8
  for change in "${CHANGES[@]}"; do run_sql "$change"; done
) &

echo "== events on $TOPIC (Ctrl-C to stop)"
for _ in $(seq 1 60); do
  if ! kill -0 $sidecar 2>/dev/null; then
    echo "the sidecar stopped; its log:" >&2
    tail -n 20 ".stack/demo-$dialect.log" >&2
    exit 1
  fi
  bin/tributary tail --config "$CONFIG" "$TOPIC" --from-beginning 2>/dev/null && break
  sleep 1
done
