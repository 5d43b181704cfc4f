#!/usr/bin/env bash
# The local stack Tributary's tests and demo run against: Kafka (KRaft, one
# node), Apicurio Registry (Confluent-compatible API), PostgreSQL and MariaDB.
# Every server listens on 127.0.0.1 on its own port, and keeps its data and
# logs under .stack/ so it never touches the machine's own services.
#
#   scripts/stack.sh up [SERVICE...]     install what is missing, start what is not running
#   scripts/stack.sh down [SERVICE...]   stop exactly what `up` started
#   scripts/stack.sh status              one line per server
#
# SERVICE is postgres, mariadb, kafka or registry (default: all of them); with
# a Kafka cluster, kafka means every broker and kafka1, kafka2, kafka3 one.
# `up` writes $STACK_DIR/env (KAFKA_BROKERS, SCHEMA_REGISTRY_URL, PG_URL,
# MYSQL_URL).
#
# A second stack (the fault tests run their own, which they stop, pause and
# kill) differs in STACK_DIR and ports: STACK_KAFKA_PORT, STACK_REGISTRY_PORT,
# STACK_PG_PORT and STACK_MYSQL_PORT. STACK_KAFKA_NODES=3 runs Kafka as a
# KRaft cluster of three brokers (replication factor 3, min.insync.replicas=2)
# on STACK_KAFKA_PORT, +2 and +4 (controllers one port above each).
# STACK_CACHE_DIR is where the resolved Java servers are kept (default
# STACK_DIR); STACK_KAFKA_HEAP and STACK_REGISTRY_HEAP set the JVM heaps.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
STACK_DIR=${STACK_DIR:-$ROOT/.stack}
CACHE_DIR=${STACK_CACHE_DIR:-$STACK_DIR}
POM=$ROOT/scripts/stack/pom.xml

KAFKA_PORT=${STACK_KAFKA_PORT:-19092}
KAFKA_NODES=${STACK_KAFKA_NODES:-1}
KAFKA_HEAP=${STACK_KAFKA_HEAP:-1g}
REGISTRY_HEAP=${STACK_REGISTRY_HEAP:-512m}
REGISTRY_PORT=${STACK_REGISTRY_PORT:-18081}
PG_PORT=${STACK_PG_PORT:-15432}
MYSQL_PORT=${STACK_MYSQL_PORT:-13306}

KAFKA_VERSION=$(sed -n 's:.*<kafka.version>\(.*\)</kafka.version>.*:\1:p' "$POM")
APICURIO_VERSION=$(sed -n 's:.*<apicurio.version>\(.*\)</apicurio.version>.*:\1:p' "$POM")

case $KAFKA_NODES in
  1) KAFKA_SERVICES=(kafka) ;;
  3) KAFKA_SERVICES=(kafka1 kafka2 kafka3) ;;
  *) echo "[stack] error: STACK_KAFKA_NODES must be 1 or 3" >&2; exit 2 ;;
esac
SERVICES=(postgres mariadb "${KAFKA_SERVICES[@]}" registry)

log() { printf '[stack] %s\n' "$*" >&2; }
die() { printf '[stack] error: %s\n' "$*" >&2; exit 1; }

# --- prerequisites ----------------------------------------------------------

pg_bindir() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1; }

ensure_packages() {
  local missing=()
  command -v java >/dev/null || missing+=(openjdk-17-jre-headless)
  command -v mvn >/dev/null || missing+=(maven)
  [ -n "$(pg_bindir)" ] || missing+=(postgresql)
  command -v mariadbd >/dev/null || missing+=(mariadb-server)
  command -v curl >/dev/null || missing+=(curl)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) and run again."
  fi
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Resolve the Java servers through Maven (Maven Central or the local cache).
ensure_kafka_jars() {
  local dir=$CACHE_DIR/kafka/libs
  [ -f "$dir/.version" ] && [ "$(cat "$dir/.version")" = "$KAFKA_VERSION" ] && return 0
  log "resolving Kafka $KAFKA_VERSION from Maven"
  rm -rf "$dir"
  mkdir -p "$CACHE_DIR"
  mvn -q -B -f "$POM" dependency:copy-dependencies -DoutputDirectory="$dir" >"$CACHE_DIR/maven.log" 2>&1 ||
    die "Maven could not resolve Kafka (see $CACHE_DIR/maven.log)"
  echo "$KAFKA_VERSION" >"$dir/.version"
}

ensure_registry_jars() {
  local dir=$CACHE_DIR/registry/app
  [ -f "$dir/.version" ] && [ "$(cat "$dir/.version")" = "$APICURIO_VERSION" ] && return 0
  log "resolving Apicurio Registry $APICURIO_VERSION from Maven"
  rm -rf "$dir" && mkdir -p "$dir"
  mvn -q -B -f "$POM" dependency:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$dir" >"$CACHE_DIR/maven.log" 2>&1 ||
    die "Maven could not resolve Apicurio Registry (see $CACHE_DIR/maven.log)"
  tar -xzf "$dir"/apicurio-registry-app-*-all.tar.gz -C "$dir"
  rm -f "$dir"/apicurio-registry-app-*-all.tar.gz
  echo "$APICURIO_VERSION" >"$dir/.version"
}

# --- process bookkeeping ----------------------------------------------------

pid_file() { echo "$STACK_DIR/$1/pid"; }

running_pid() {
  local file pid
  file=$(pid_file "$1")
  [ -f "$file" ] || return 1
  pid=$(head -n 1 "$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  echo "$pid"
}

# Starts a server in a session of its own, so it outlives the shell (and the
# process group) that ran `up`; records the server's own pid.
start_detached() {
  local name=$1 log_file=$2
  shift 2
  setsid bash -c 'echo $$ >"$0"; exec "$@"' "$(pid_file "$name")" "$@" >"$log_file" 2>&1 </dev/null &
  local deadline=$((SECONDS + 10))
  until [ -s "$(pid_file "$name")" ]; do
    [ $SECONDS -lt $deadline ] || die "$name did not start"
    sleep 0.1
  done
}

port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

require_free_port() {
  if port_open "$2"; then
    die "port $2 (for $1) is taken by another process; free it or move the stack with STACK_${3}_PORT"
  fi
}

wait_until() {
  local what=$1 seconds=$2 log_file=$3
  shift 3
  local deadline=$((SECONDS + seconds))
  until "$@" >/dev/null 2>&1; do
    if [ $SECONDS -ge $deadline ]; then
      tail -n 30 "$log_file" >&2 || true
      die "$what did not answer within ${seconds}s (log: $log_file)"
    fi
    sleep 0.5
  done
}

stop_pid() {
  local name=$1 pid=$2 deadline
  kill -TERM "$pid" 2>/dev/null || true
  deadline=$((SECONDS + 60))
  while kill -0 "$pid" 2>/dev/null; do
    if [ $SECONDS -ge $deadline ]; then
      log "$name did not stop in 60s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      deadline=$((SECONDS + 60))
    fi
    sleep 0.3
  done
}

# --- PostgreSQL -------------------------------------------------------------

pg_up() {
  local dir=$STACK_DIR/postgres bin
  bin=$(pg_bindir)
  if pid=$(running_pid postgres); then return 0; fi
  require_free_port PostgreSQL "$PG_PORT" PG
  mkdir -p "$dir/run"
  chown postgres:postgres "$dir" "$dir/run"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $dir/data"
    rm -rf "$dir/data"
    runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { tail -n 20 "$dir/initdb.log" >&2; die "initdb failed (see $dir/initdb.log)"; }
    cat >>"$dir/data/postgresql.conf" <<EOF
listen_addresses = '127.0.0.1'
port = $PG_PORT
unix_socket_directories = '$dir/run'
wal_level = logical
max_replication_slots = 64
max_wal_senders = 64
max_connections = 200
wal_sender_timeout = 60s
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  fi
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null ||
    die "PostgreSQL did not start (see $dir/postgres.log)"
  head -n 1 "$dir/data/postmaster.pid" >"$(pid_file postgres)"
  runuser -u postgres -- "$bin/psql" -h "$dir/run" -p "$PG_PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 >/dev/null <<'SQL'
SELECT 'CREATE ROLE tributary LOGIN SUPERUSER REPLICATION PASSWORD ''tributary'''
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tributary') \gexec
SELECT 'CREATE DATABASE tributary OWNER tributary'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'tributary') \gexec
SQL
}

pg_down() {
  local dir=$STACK_DIR/postgres
  running_pid postgres >/dev/null || return 0
  runuser -u postgres -- "$(pg_bindir)/pg_ctl" -D "$dir/data" -m fast -w -t 60 stop >/dev/null ||
    stop_pid postgres "$(running_pid postgres)"
  rm -f "$(pid_file postgres)"
}

# --- MariaDB ----------------------------------------------------------------

mysql_socket() { echo "$STACK_DIR/mariadb/run/mysqld.sock"; }

mariadb_up() {
  local dir=$STACK_DIR/mariadb
  if running_pid mariadb >/dev/null; then return 0; fi
  require_free_port MariaDB "$MYSQL_PORT" MYSQL
  mkdir -p "$dir/run"
  chown mysql:mysql "$dir" "$dir/run"
  local fresh=
  if [ ! -d "$dir/data/mysql" ]; then
    log "initialising MariaDB in $dir/data"
    rm -rf "$dir/data"
    mariadb-install-db --no-defaults --user=mysql --datadir="$dir/data" \
      --auth-root-authentication-method=socket --skip-test-db >"$dir/install.log" 2>&1 ||
      { tail -n 20 "$dir/install.log" >&2; die "mariadb-install-db failed (see $dir/install.log)"; }
    fresh=1
  fi
  # --no-defaults: the machine's /etc/mysql settings must not leak in.
  rm -f "$(pid_file mariadb)"
  start_detached mariadb "$dir/stdout.log" mariadbd --no-defaults --user=mysql --datadir="$dir/data" \
    --bind-address=127.0.0.1 --port="$MYSQL_PORT" --socket="$(mysql_socket)" \
    --pid-file="$dir/run/mariadbd.pid" --log-error="$dir/mariadb.log" \
    --server-id=1 --log-bin=binlog --binlog-format=ROW --binlog-row-image=FULL \
    --binlog-row-metadata=FULL --gtid-strict-mode=1 --gtid-domain-id=0 \
    --expire-logs-days=2 --max-connections=300 \
    --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci
  wait_until MariaDB 60 "$dir/mariadb.log" mariadb --no-defaults -S "$(mysql_socket)" -uroot -e 'SELECT 1'
  if [ -n "$fresh" ]; then
    mariadb --no-defaults -S "$(mysql_socket)" -uroot <<'SQL'
CREATE USER IF NOT EXISTS 'tributary'@'%' IDENTIFIED BY 'tributary';
CREATE USER IF NOT EXISTS 'tributary'@'localhost' IDENTIFIED BY 'tributary';
GRANT ALL PRIVILEGES ON *.* TO 'tributary'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'tributary'@'localhost' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS tributary;
SQL
  fi
}

mariadb_down() {
  local pid
  pid=$(running_pid mariadb) || return 0
  stop_pid MariaDB "$pid"
  rm -f "$(pid_file mariadb)"
}

# --- Kafka ------------------------------------------------------------------

# One broker is `kafka`; a cluster's brokers are kafka1..kafka3, node ids 1..3,
# each its own KRaft controller too, on ports two apart.
kafka_node() { if [ "$1" = kafka ]; then echo 1; else echo "${1#kafka}"; fi; }
kafka_port() { echo $((KAFKA_PORT + 2 * ($(kafka_node "$1") - 1))); }

kafka_brokers() {
  local name list=
  for name in "${KAFKA_SERVICES[@]}"; do list+="${list:+,}127.0.0.1:$(kafka_port "$name")"; done
  echo "$list"
}

kafka_voters() {
  local name list=
  for name in "${KAFKA_SERVICES[@]}"; do
    list+="${list:+,}$(kafka_node "$name")@127.0.0.1:$(($(kafka_port "$name") + 1))"
  done
  echo "$list"
}

kafka_up() {
  local name=$1 dir=$STACK_DIR/$1 port controller_port replicas=$KAFKA_NODES min_isr=1
  if running_pid "$name" >/dev/null; then return 0; fi
  port=$(kafka_port "$name")
  controller_port=$((port + 1))
  [ "$KAFKA_NODES" -gt 1 ] && min_isr=2
  require_free_port Kafka "$port" KAFKA
  require_free_port "the Kafka controller" "$controller_port" KAFKA
  ensure_kafka_jars
  mkdir -p "$dir"
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=$(kafka_node "$name")
controller.quorum.voters=$(kafka_voters)
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=PLAINTEXT://127.0.0.1:$port
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT
log.dirs=$dir/data
num.partitions=1
auto.create.topics.enable=false
default.replication.factor=$replicas
min.insync.replicas=$min_isr
offsets.topic.replication.factor=$replicas
offsets.topic.num.partitions=4
transaction.state.log.replication.factor=$replicas
transaction.state.log.min.isr=$min_isr
transaction.state.log.num.partitions=4
group.initial.rebalance.delay.ms=0
share.coordinator.state.topic.replication.factor=$replicas
share.coordinator.state.topic.min.isr=$min_isr
EOF
  cat >"$dir/log4j2.properties" <<EOF
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
appender.file.type=File
appender.file.name=file
appender.file.fileName=$dir/kafka.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
logger.kafka.name=kafka
logger.kafka.level=WARN
logger.apache.name=org.apache.kafka
logger.apache.level=WARN
EOF
  local libs=$CACHE_DIR/kafka/libs
  if [ ! -f "$dir/data/meta.properties" ]; then
    log "formatting Kafka storage in $dir/data"
    # Every node of a cluster is formatted with the same cluster id.
    local id_file=$STACK_DIR/kafka-cluster-id
    if [ ! -s "$id_file" ]; then
      java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$id_file"
    fi
    java -cp "$libs/*" -Dlog4j2.configurationFile="$dir/log4j2.properties" \
      kafka.tools.StorageTool format -t "$(cat "$id_file")" -c "$dir/server.properties" >"$dir/format.log" 2>&1 ||
      die "formatting Kafka storage failed (see $dir/format.log)"
  fi
  rm -f "$(pid_file "$name")"
  start_detached "$name" "$dir/stdout.log" java -Xms128m -Xmx"$KAFKA_HEAP" -XX:+UseG1GC -Djava.awt.headless=true \
    -Dlog4j2.configurationFile="$dir/log4j2.properties" \
    -cp "$libs/*" kafka.Kafka "$dir/server.properties"
}

# Brokers start together and are waited for afterwards: a cluster's node only
# opens its port once a quorum of controllers is up.
kafka_wait() {
  local name
  for name in "$@"; do
    wait_until Kafka 90 "$STACK_DIR/$name/stdout.log" port_open "$(kafka_port "$name")"
  done
}

kafka_down() {
  local pid
  pid=$(running_pid "$1") || return 0
  stop_pid "Kafka ($1)" "$pid"
  rm -f "$(pid_file "$1")"
}

# --- schema registry ----------------------------------------------------------

registry_url() { echo "http://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"; }

registry_up() {
  local dir=$STACK_DIR/registry
  if running_pid registry >/dev/null; then return 0; fi
  require_free_port "the schema registry" "$REGISTRY_PORT" REGISTRY
  ensure_registry_jars
  mkdir -p "$dir/data"
  # Apicurio's SQL storage on an H2 database file: schemas and ids outlive a
  # restart (the Maven Central build carries only the H2 driver; see README).
  rm -f "$(pid_file registry)"
  start_detached registry "$dir/registry.log" java -Xms64m -Xmx"$REGISTRY_HEAP" -Djava.awt.headless=true \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$REGISTRY_PORT" \
    -Dquarkus.log.level=WARN -Dquarkus.banner.enabled=false \
    -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$dir/data/registry" \
    -Dquarkus.datasource.jdbc.min-size=2 -Dquarkus.datasource.jdbc.initial-size=2 \
    -Dregistry.ccompat.legacy-id-mode.enabled=true \
    -jar "$CACHE_DIR"/registry/app/apicurio-registry-app-*-runner.jar
  wait_until "The schema registry" 120 "$dir/registry.log" curl -fsS "$(registry_url)/subjects"
}

registry_down() {
  local pid
  pid=$(running_pid registry) || return 0
  stop_pid "the schema registry" "$pid"
  rm -f "$(pid_file registry)"
}

# --- commands -----------------------------------------------------------------

write_env() {
  cat >"$STACK_DIR/env" <<EOF
# Written by scripts/stack.sh; source it to reach the local stack.
export KAFKA_BROKERS=$(kafka_brokers)
export SCHEMA_REGISTRY_URL=$(registry_url)
export PG_URL=postgres://tributary:tributary@127.0.0.1:$PG_PORT/tributary
export MYSQL_URL=mysql://tributary:tributary@127.0.0.1:$MYSQL_PORT/tributary
EOF
}

# The services named on the command line (kafka: every broker), in start order.
selected_services() {
  local wanted=("$@") name want out=()
  [ ${#wanted[@]} -eq 0 ] && wanted=(postgres mariadb kafka registry)
  for want in "${wanted[@]}"; do
    case $want in
      postgres | mariadb | registry) ;;
      kafka) ;;
      kafka[1-3]) [ "$KAFKA_NODES" -gt 1 ] || die "$want: the stack runs one broker, named kafka" ;;
      *) die "unknown service $want (postgres, mariadb, kafka, kafka1..3, registry)" ;;
    esac
  done
  for name in "${SERVICES[@]}"; do
    for want in "${wanted[@]}"; do
      if [ "$want" = "$name" ] || { [ "$want" = kafka ] && [[ $name == kafka* ]]; }; then
        out+=("$name")
        break
      fi
    done
  done
  echo "${out[@]}"
}

cmd_up() {
  local services name kafkas=()
  read -r -a services <<<"$(selected_services "$@")"
  mkdir -p "$STACK_DIR"
  ensure_packages
  for name in "${services[@]}"; do
    mkdir -p "$STACK_DIR/$name"
    case $name in
      postgres) pg_up ;;
      mariadb) mariadb_up ;;
      kafka*) kafka_up "$name" && kafkas+=("$name") ;;
      registry) kafka_wait "${kafkas[@]}" && kafkas=() && registry_up ;;
    esac
  done
  kafka_wait "${kafkas[@]}"
  write_env
  [ $# -gt 0 ] || cmd_status
}

cmd_down() {
  local services i
  read -r -a services <<<"$(selected_services "$@")"
  for ((i = ${#services[@]} - 1; i >= 0; i--)); do
    case ${services[i]} in
      postgres) pg_down ;;
      mariadb) mariadb_down ;;
      # A cluster's brokers stop together: the last one alone would wait for a
      # quorum of controllers that is gone.
      kafka*) kafka_down "${services[i]}" & ;;
      registry) registry_down ;;
    esac
    [[ ${services[i]} == kafka* ]] || wait
  done
  wait
  log "stopped ${*:-}"
}

cmd_status() {
  local name pid port all_up=0
  for name in "${SERVICES[@]}"; do
    case $name in
      postgres) port=$PG_PORT ;;
      mariadb) port=$MYSQL_PORT ;;
      kafka*) port=$(kafka_port "$name") ;;
      registry) port=$REGISTRY_PORT ;;
    esac
    if pid=$(running_pid "$name"); then
      printf '%-9s up    127.0.0.1:%s  pid %s\n' "$name" "$port" "$pid"
    else
      printf '%-9s down\n' "$name"
      all_up=1
    fi
  done
  return $all_up
}

command=${1:-}
shift || true
case $command in
  up) cmd_up "$@" ;;
  down) cmd_down "$@" ;;
  status) cmd_status ;;
  *) echo "usage: $0 up|down [SERVICE...] | status" >&2; exit 2 ;;
esac
