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
#
# STACK_SECURE=1 runs the secured stack (see "secured stack" below) in its own
# STACK_DIR (default .stack-secure) on its own ports (29092, 28081, 25432,
# 23306), beside the plain one.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
SECURE=${STACK_SECURE:-}
[ "$SECURE" = 0 ] && SECURE=
if [ -n "$SECURE" ]; then
  # Its own dir and ports, beside the plain stack; the Java servers are shared.
  STACK_DIR=${STACK_DIR:-$ROOT/.stack-secure}
  STACK_CACHE_DIR=${STACK_CACHE_DIR:-$ROOT/.stack}
  STACK_KAFKA_PORT=${STACK_KAFKA_PORT:-29092}
  STACK_REGISTRY_PORT=${STACK_REGISTRY_PORT:-28081}
  STACK_PG_PORT=${STACK_PG_PORT:-25432}
  STACK_MYSQL_PORT=${STACK_MYSQL_PORT:-23306}
  [ "${STACK_KAFKA_NODES:-1}" = 1 ] || { echo "[stack] error: the secured stack runs one broker" >&2; exit 2; }
fi
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
  # The secured stack's certificates, and the status page test's browser.
  command -v openssl >/dev/null || missing+=(openssl)
  command -v flock >/dev/null || missing+=(util-linux)
  command -v chromium >/dev/null || missing+=(chromium)
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ "$(id -u)" -ne 0 ]; then
    die "missing packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) and run again."
  fi
  log "installing ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# Resolve the Java servers through Maven (Maven Central or the local cache).
# Several stacks may share one cache dir and start at once (the fault tests
# do): resolving is serialised by a lock, and each server is unpacked beside
# its final place and moved there whole, so no stack ever starts from a
# half-written directory. The lock is held in a subshell only: the servers
# started later must not inherit it.
resolve_once() {
  local what=$1 dir=$2 version=$3 fn=$4
  installed "$dir" "$version" && return 0
  mkdir -p "$CACHE_DIR"
  (
    flock 9
    installed "$dir" "$version" && exit 0
    log "resolving $what $version from Maven"
    local tmp="$dir.partial"
    rm -rf "$tmp" && mkdir -p "$tmp"
    "$fn" "$tmp" >"$CACHE_DIR/maven.log" 2>&1 || die "Maven could not resolve $what (see $CACHE_DIR/maven.log)"
    echo "$version" >"$tmp/.version"
    rm -rf "$dir"
    mv "$tmp" "$dir"
  ) 9>"$CACHE_DIR/.resolve.lock"
}

installed() { [ -f "$1/.version" ] && [ "$(cat "$1/.version")" = "$2" ]; }

copy_kafka_jars() { mvn -q -B -f "$POM" dependency:copy-dependencies -DoutputDirectory="$1"; }

copy_registry_app() {
  mvn -q -B -f "$POM" dependency:copy \
    -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" -DoutputDirectory="$1" &&
    tar -xzf "$1"/apicurio-registry-app-*-all.tar.gz -C "$1" &&
    rm -f "$1"/apicurio-registry-app-*-all.tar.gz
}

ensure_kafka_jars() { resolve_once Kafka "$CACHE_DIR/kafka/libs" "$KAFKA_VERSION" copy_kafka_jars; }
ensure_registry_jars() { resolve_once "Apicurio Registry" "$CACHE_DIR/registry/app" "$APICURIO_VERSION" copy_registry_app; }

# --- process bookkeeping ----------------------------------------------------

# A server's pid file: its pid, then the process's start time (in clock
# ticks since boot). Pids wrap at 32768 here: a server stopped behind the
# script's back (pg_ctl stop) may see its pid taken by another process, which
# must not count as the server running, nor be stopped in its place.
pid_file() { echo "$STACK_DIR/$1/pid"; }

start_time() { sed 's/.*) //' "/proc/$1/stat" 2>/dev/null | cut -d' ' -f20; }

# Appends the start time of the process in $1's pid file.
record_start_time() {
  local file pid
  file=$(pid_file "$1")
  pid=$(head -n 1 "$file")
  echo "$(start_time "$pid")" >>"$file"
}

running_pid() {
  local file pid started
  file=$(pid_file "$1")
  [ -f "$file" ] || return 1
  pid=$(head -n 1 "$file")
  started=$(sed -n 2p "$file")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
  [ -z "$started" ] || [ "$started" = "$(start_time "$pid")" ] || return 1
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
  record_start_time "$name"
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
  if pid=$(running_pid postgres); then
    pg_require_passwords "$dir" reload
    return 0
  fi
  require_free_port PostgreSQL "$PG_PORT" PG
  mkdir -p "$dir/run"
  chown postgres:postgres "$dir" "$dir/run"
  if [ ! -f "$dir/data/PG_VERSION" ]; then
    log "initialising PostgreSQL in $dir/data"
    rm -rf "$dir/data"
    runuser -u postgres -- "$bin/initdb" -D "$dir/data" -U postgres --auth-local=peer --auth-host=scram-sha-256 -E UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
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
    if [ -n "$SECURE" ]; then secure_pg_conf "$dir" >>"$dir/data/postgresql.conf"; fi
  fi
  pg_require_passwords "$dir"
  runuser -u postgres -- "$bin/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 start >/dev/null ||
    die "PostgreSQL did not start (see $dir/postgres.log)"
  head -n 1 "$dir/data/postmaster.pid" >"$(pid_file postgres)"
  record_start_time postgres
  runuser -u postgres -- "$bin/psql" -h "$dir/run" -p "$PG_PORT" -U postgres -d postgres -qAt -v ON_ERROR_STOP=1 \
    -v password="$(db_password)" >/dev/null <<'SQL'
SELECT format('CREATE ROLE tributary LOGIN SUPERUSER REPLICATION PASSWORD %L', :'password')
  WHERE NOT EXISTS (SELECT FROM pg_roles WHERE rolname = 'tributary') \gexec
SELECT 'CREATE DATABASE tributary OWNER tributary'
  WHERE NOT EXISTS (SELECT FROM pg_database WHERE datname = 'tributary') \gexec
SQL
}

# Passwords by default: every TCP connection, normal or replication, logs in
# with scram-sha-256 (the secured stack: over TLS only); the unix socket, used
# by this script as the postgres OS user, stays peer. An older datadir that
# trusted every connection gets this file at `up`, and a running server
# reloads it: open sessions keep going, new ones need the password.
pg_hba() {
  local host=host
  [ -n "$SECURE" ] && host=hostssl
  cat <<EOF
# Written by scripts/stack.sh.
local   all           all                       peer
$host   all           all       127.0.0.1/32    scram-sha-256
$host   replication   all       127.0.0.1/32    scram-sha-256
EOF
}

pg_require_passwords() {
  local dir=$1 reload=${2:-} file=$1/data/pg_hba.conf
  [ "$(cat "$file" 2>/dev/null)" = "$(pg_hba)" ] && return 0
  log "PostgreSQL: requiring passwords (pg_hba.conf: scram-sha-256)"
  pg_hba >"$file"
  chown postgres:postgres "$file"
  if [ -n "$reload" ]; then
    runuser -u postgres -- "$(pg_bindir)/pg_ctl" -D "$dir/data" reload >/dev/null
  fi
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
  local tls_options=()
  if [ -n "$SECURE" ]; then read -r -a tls_options <<<"$(secure_mariadb_options)"; fi
  start_detached mariadb "$dir/stdout.log" mariadbd --no-defaults --user=mysql --datadir="$dir/data" \
    --bind-address=127.0.0.1 --port="$MYSQL_PORT" --socket="$(mysql_socket)" \
    --pid-file="$dir/run/mariadbd.pid" --log-error="$dir/mariadb.log" \
    --server-id=1 --log-bin=binlog --binlog-format=ROW --binlog-row-image=FULL \
    --binlog-row-metadata=FULL --gtid-strict-mode=1 --gtid-domain-id=0 \
    --expire-logs-days=2 --max-connections=300 \
    --innodb-flush-log-at-trx-commit=2 --sync-binlog=0 \
    --character-set-server=utf8mb4 --collation-server=utf8mb4_unicode_ci "${tls_options[@]}"
  wait_until MariaDB 60 "$dir/mariadb.log" mariadb --no-defaults -S "$(mysql_socket)" -uroot -e 'SELECT 1'
  if [ -n "$fresh" ]; then
    local password require=
    password=$(db_password)
    [ -n "$SECURE" ] && require='REQUIRE SSL'
    mariadb --no-defaults -S "$(mysql_socket)" -uroot <<SQL
CREATE USER IF NOT EXISTS 'tributary'@'%' IDENTIFIED BY '$password' $require;
CREATE USER IF NOT EXISTS 'tributary'@'localhost' IDENTIFIED BY '$password' $require;
GRANT ALL PRIVILEGES ON *.* TO 'tributary'@'%' WITH GRANT OPTION;
GRANT ALL PRIVILEGES ON *.* TO 'tributary'@'localhost' WITH GRANT OPTION;
CREATE DATABASE IF NOT EXISTS tributary;
SQL
  fi
  mariadb_require_passwords
}

# Passwords by default: no account may log in without one. root and mysql
# log in only through the unix socket as those OS users (unix_socket); any
# other account without a password (an anonymous one, say) is dropped.
mariadb_require_passwords() {
  local account
  for account in $(mariadb --no-defaults -S "$(mysql_socket)" -uroot -N -e "
    SELECT CONCAT(QUOTE(User), '@', QUOTE(Host)) FROM mysql.global_priv
     WHERE User NOT IN ('root', 'mysql', 'mariadb.sys')
       AND IFNULL(JSON_VALUE(Priv, '\$.is_role'), 'false') <> 'true'
       AND IFNULL(JSON_VALUE(Priv, '\$.authentication_string'), '') = ''
       AND IFNULL(JSON_VALUE(Priv, '\$.plugin'), 'mysql_native_password')
           IN ('mysql_native_password', 'mysql_old_password', 'ed25519')"); do
    log "MariaDB: dropping $account, which has no password"
    mariadb --no-defaults -S "$(mysql_socket)" -uroot -e "DROP USER $account"
  done
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
  # The secured listeners override the plain ones (the last value of a key wins).
  if [ -n "$SECURE" ]; then secure_kafka_properties "$port" "$controller_port" >>"$dir/server.properties"; fi
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
    local id_file=$STACK_DIR/kafka-cluster-id scram_users=()
    if [ -n "$SECURE" ]; then read -r -a scram_users <<<"$(secure_kafka_scram_users)"; fi
    if [ ! -s "$id_file" ]; then
      java -cp "$libs/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1 >"$id_file"
    fi
    java -cp "$libs/*" -Dlog4j2.configurationFile="$dir/log4j2.properties" \
      kafka.tools.StorageTool format -t "$(cat "$id_file")" -c "$dir/server.properties" "${scram_users[@]}" \
      >"$dir/format.log" 2>&1 ||
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

registry_url() {
  if [ -n "$SECURE" ]; then echo "https://127.0.0.1:$REGISTRY_PORT/apis/ccompat/v7"; else registry_backend_url; fi
}
# Where Apicurio itself listens: the secured stack puts a TLS proxy in front, one port up.
registry_backend_port() { if [ -n "$SECURE" ]; then echo $((REGISTRY_PORT + 1)); else echo "$REGISTRY_PORT"; fi; }
registry_backend_url() { echo "http://127.0.0.1:$(registry_backend_port)/apis/ccompat/v7"; }

registry_up() {
  local dir=$STACK_DIR/registry
  if running_pid registry >/dev/null; then
    if [ -n "$SECURE" ]; then secure_registry_proxy_up; fi
    return 0
  fi
  require_free_port "the schema registry" "$(registry_backend_port)" REGISTRY
  ensure_registry_jars
  mkdir -p "$dir/data"
  # Apicurio's SQL storage on an H2 database file: schemas and ids outlive a
  # restart (the Maven Central build carries only the H2 driver; see README).
  rm -f "$(pid_file registry)"
  start_detached registry "$dir/registry.log" java -Xms64m -Xmx"$REGISTRY_HEAP" -Djava.awt.headless=true \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$(registry_backend_port)" \
    -Dquarkus.log.level=WARN -Dquarkus.banner.enabled=false \
    -Dquarkus.datasource.jdbc.url="jdbc:h2:file:$dir/data/registry" \
    -Dquarkus.datasource.jdbc.min-size=2 -Dquarkus.datasource.jdbc.initial-size=2 \
    -Dregistry.ccompat.legacy-id-mode.enabled=true \
    -jar "$CACHE_DIR"/registry/app/apicurio-registry-app-*-runner.jar
  wait_until "The schema registry" 120 "$dir/registry.log" curl -fsS "$(registry_backend_url)/subjects"
  if [ -n "$SECURE" ]; then secure_registry_proxy_up; fi
}

registry_down() {
  local pid
  if [ -n "$SECURE" ]; then secure_registry_proxy_down; fi
  pid=$(running_pid registry) || return 0
  stop_pid "the schema registry" "$pid"
  rm -f "$(pid_file registry)"
}

# --- secured stack (STACK_SECURE=1) ---------------------------------------------
#
# A throwaway CA (tls/ca.pem) signs one server certificate for 127.0.0.1 and
# localhost (the machine's own host name is then a hostname mismatch).
# Random passwords live in secrets/, one file each, and reach the tests
# through env. What each server requires:
#   PostgreSQL  hostssl only, scram-sha-256 (clients verify-full against the CA)
#   MariaDB     the tributary user REQUIRE SSL
#   Kafka       SASL_SSL with SCRAM-SHA-512 and the StandardAuthorizer: the
#               admin user is a super user, the tributary user has no ACL
#               until one is granted (per connector, see README); the KRaft
#               controller listener takes TLS client certificates only
#   registry    Apicurio on the next port, plain HTTP on 127.0.0.1, behind a
#               TLS proxy with basic auth (scripts/stack/registry-proxy.ts):
#               `tributary` may do anything, `reader` only GET

secret() { cat "$STACK_DIR/secrets/$1"; }

db_password() { if [ -n "$SECURE" ]; then secret db; else echo tributary; fi; }

secure_init() {
  local tls=$STACK_DIR/tls secrets=$STACK_DIR/secrets name
  mkdir -p "$secrets" "$tls"
  chmod 700 "$secrets"
  for name in db kafka-admin kafka-tributary registry-tributary registry-reader; do
    [ -s "$secrets/$name" ] || openssl rand -hex 16 >"$secrets/$name"
  done
  [ -s "$tls/server.pem" ] || secure_make_certificates
  secure_copy_tls "$STACK_DIR/postgres/tls" postgres:postgres
  secure_copy_tls "$STACK_DIR/mariadb/tls" mysql:mysql
}

secure_make_certificates() {
  local tls=$STACK_DIR/tls
  log "making a throwaway CA and a server certificate in $tls"
  (
    cd "$tls"
    openssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.pem -days 3650 \
      -subj "/CN=Tributary test CA" 2>/dev/null
    openssl req -newkey rsa:2048 -nodes -keyout server.key -out server.csr -subj "/CN=127.0.0.1" 2>/dev/null
    printf 'subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth,clientAuth\n' >server.ext
    openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 3650 \
      -extfile server.ext -out server.pem 2>/dev/null
    # Kafka's PEM key store: the key and its certificate in one file.
    cat server.key server.pem >kafka-keystore.pem
    rm -f server.csr server.ext
  ) || die "openssl could not make the certificates"
}

# Copies the server key and certificate where a server's OS user can read them.
secure_copy_tls() {
  local dir=$1 owner=$2
  mkdir -p "$dir"
  cp "$STACK_DIR/tls/server.pem" "$STACK_DIR/tls/server.key" "$STACK_DIR/tls/ca.pem" "$dir/"
  chown -R "$owner" "$dir"
  chmod 600 "$dir/server.key"
}

secure_pg_conf() {
  local tls=$1/tls
  cat <<EOF
ssl = on
ssl_cert_file = '$tls/server.pem'
ssl_key_file = '$tls/server.key'
ssl_ca_file = '$tls/ca.pem'
password_encryption = scram-sha-256
EOF
}

secure_mariadb_options() {
  local tls=$STACK_DIR/mariadb/tls
  echo "--ssl-ca=$tls/ca.pem --ssl-cert=$tls/server.pem --ssl-key=$tls/server.key"
}

secure_kafka_properties() {
  local port=$1 controller_port=$2 tls=$STACK_DIR/tls
  cat <<EOF
listeners=SASL_SSL://127.0.0.1:$port,CONTROLLER://127.0.0.1:$controller_port
advertised.listeners=SASL_SSL://127.0.0.1:$port
inter.broker.listener.name=SASL_SSL
listener.security.protocol.map=SASL_SSL:SASL_SSL,CONTROLLER:SSL
sasl.enabled.mechanisms=SCRAM-SHA-512
sasl.mechanism.inter.broker.protocol=SCRAM-SHA-512
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="admin" password="$(secret kafka-admin)";
ssl.keystore.type=PEM
ssl.keystore.location=$tls/kafka-keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$tls/ca.pem
listener.name.controller.ssl.client.auth=required
authorizer.class.name=org.apache.kafka.metadata.authorizer.StandardAuthorizer
allow.everyone.if.no.acl.found=false
super.users=User:admin;User:CN=127.0.0.1
EOF
}

# SCRAM credentials go into the metadata log when the storage is formatted.
secure_kafka_scram_users() {
  echo "--add-scram SCRAM-SHA-512=[name=admin,password=$(secret kafka-admin)]" \
    "--add-scram SCRAM-SHA-512=[name=tributary,password=$(secret kafka-tributary)]"
}

secure_registry_proxy_up() {
  running_pid registry-proxy >/dev/null && return 0
  require_free_port "the schema registry's TLS proxy" "$REGISTRY_PORT" REGISTRY
  mkdir -p "$STACK_DIR/registry-proxy"
  start_detached registry-proxy "$STACK_DIR/registry-proxy/proxy.log" \
    env PROXY_PORT="$REGISTRY_PORT" PROXY_BACKEND="http://127.0.0.1:$(registry_backend_port)" \
    PROXY_TLS_DIR="$STACK_DIR/tls" PROXY_SECRETS_DIR="$STACK_DIR/secrets" \
    "$ROOT/node_modules/.bin/node" "$ROOT/scripts/stack/registry-proxy.ts"
  wait_until "The schema registry's TLS proxy" 30 "$STACK_DIR/registry-proxy/proxy.log" \
    curl -fsS --cacert "$STACK_DIR/tls/ca.pem" -u "tributary:$(secret registry-tributary)" "$(registry_url)/subjects"
}

secure_registry_proxy_down() {
  local pid
  pid=$(running_pid registry-proxy) || return 0
  stop_pid "the schema registry's TLS proxy" "$pid"
  rm -f "$(pid_file registry-proxy)"
}

secure_write_env() {
  cat >"$STACK_DIR/env" <<EOF
# Written by scripts/stack.sh (STACK_SECURE=1); source it to reach the secured stack.
export STACK_SECURE=1
export STACK_CA_FILE=$STACK_DIR/tls/ca.pem
export KAFKA_BROKERS=$(kafka_brokers)
export KAFKA_SASL_MECHANISM=scram-sha-512
export KAFKA_SASL_USERNAME=tributary
export KAFKA_SASL_PASSWORD=$(secret kafka-tributary)
export KAFKA_ADMIN_USERNAME=admin
export KAFKA_ADMIN_PASSWORD=$(secret kafka-admin)
export SCHEMA_REGISTRY_URL=$(registry_url)
export SCHEMA_REGISTRY_USERNAME=tributary
export SCHEMA_REGISTRY_PASSWORD=$(secret registry-tributary)
export SCHEMA_REGISTRY_READER_PASSWORD=$(secret registry-reader)
export PG_URL=postgres://tributary:$(db_password)@127.0.0.1:$PG_PORT/tributary
export MYSQL_URL=mysql://tributary:$(db_password)@127.0.0.1:$MYSQL_PORT/tributary
EOF
}

# --- commands -----------------------------------------------------------------

write_env() {
  if [ -n "$SECURE" ]; then
    secure_write_env
    return
  fi
  cat >"$STACK_DIR/env" <<EOF
# Written by scripts/stack.sh; source it to reach the local stack.
export KAFKA_BROKERS=$(kafka_brokers)
export SCHEMA_REGISTRY_URL=$(registry_url)
export PG_URL=postgres://tributary:$(db_password)@127.0.0.1:$PG_PORT/tributary
export MYSQL_URL=mysql://tributary:$(db_password)@127.0.0.1:$MYSQL_PORT/tributary
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
  if [ -n "$SECURE" ]; then secure_init; fi
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
