#!/usr/bin/env bash
# Resolves what the Debezium compatibility tests (test/compat/) run, from
# Maven Central (or ~/.m2), into a directory of its own:
#
#   $COMPAT_DIR/worker/              Kafka Connect standalone's classpath
#   $COMPAT_DIR/plugins/<name>/      one isolated Connect plugin each: Debezium's
#                                    Postgres and MariaDB connectors, its JDBC
#                                    sink, Apicurio's converter
#
# COMPAT_DIR defaults to .compat/ in the repository. A directory that already
# holds the versions of scripts/compat/pom.xml is left alone, so only the first
# run downloads (about 140 MB, once per ~/.m2).
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
COMPAT_DIR=${COMPAT_DIR:-$ROOT/.compat}
POM=$ROOT/scripts/compat/pom.xml
PROFILES=(worker apicurio-converter debezium-postgres debezium-mariadb debezium-jdbc)

log() { printf '[compat] %s\n' "$*" >&2; }
die() { printf '[compat] error: %s\n' "$*" >&2; exit 1; }

command -v mvn >/dev/null || die "Maven is missing: run \`npm run stack:up\` (it installs it) or apt-get install maven"

# The pom's content stands for the versions: any edit re-resolves.
stamp=$(sha256sum "$POM" | cut -c1-16)
[ -f "$COMPAT_DIR/.stamp" ] && [ "$(cat "$COMPAT_DIR/.stamp")" = "$stamp" ] && exit 0

# Test files run in parallel: one resolves, the others wait for it.
mkdir -p "$COMPAT_DIR"
exec 9>"$COMPAT_DIR/.lock"
flock 9
[ -f "$COMPAT_DIR/.stamp" ] && [ "$(cat "$COMPAT_DIR/.stamp")" = "$stamp" ] && exit 0
rm -rf "$COMPAT_DIR/worker" "$COMPAT_DIR/plugins" "$COMPAT_DIR/.stamp"
for profile in "${PROFILES[@]}"; do
  if [ "$profile" = worker ]; then
    out=$COMPAT_DIR/worker
    exclude=()
  else
    out=$COMPAT_DIR/plugins/$profile
    # The worker provides Kafka's own classes and Jackson to every plugin.
    exclude=(-DexcludeGroupIds=org.apache.kafka,com.fasterxml.jackson.core,com.fasterxml.jackson.datatype)
  fi
  log "resolving $profile from Maven (first run only)"
  mvn -B -f "$POM" -P "$profile" dependency:copy-dependencies -DincludeScope=runtime \
    -DoutputDirectory="$out" "${exclude[@]}" >"$COMPAT_DIR/maven-$profile.log" 2>&1 ||
    die "Maven could not resolve $profile (see $COMPAT_DIR/maven-$profile.log)"
  log "  $(find "$out" -name '*.jar' | wc -l) jars in $out"
done
echo "$stamp" >"$COMPAT_DIR/.stamp"
