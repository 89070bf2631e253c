#!/usr/bin/env bash
# A single-node Apache Kafka 4.x broker (KRaft) on 127.0.0.1 for development, tests and benchmarks,
# built from Maven Central jars (no tarball, no Docker).
#
#   bash scripts/kafka.sh start    resolve the jars, format storage once, start, wait until ready
#   bash scripts/kafka.sh stop     stop the broker this script started (by its PID file)
#   bash scripts/kafka.sh status   say whether it runs
#   bash scripts/kafka.sh tool <main class> [args]   run a Kafka tool (TopicCommand, ProducerPerformance...)
#
# `start` prints KAFKA_BROKERS=127.0.0.1:39092 and writes it to .cache/kafka/env. Data stays in
# .cache/kafka/data across stop/start, so a restart loses nothing; delete that folder to start empty.
# Needs Java 17+ and Maven. Ports: KAFKA_PORT (39092) and KAFKA_CONTROLLER_PORT (39093); state
# folder: KAFKA_HOME_DIR (.cache/kafka). Tests run a second broker with other values of these.
# KAFKA_SASL_PORT adds a SASL_PLAINTEXT listener (SCRAM-SHA-256 and -512, user KAFKA_SASL_USERNAME,
# password KAFKA_SASL_PASSWORD, made after start); KAFKA_TLS_PORT adds a TLS listener whose key is
# made with Java's keytool, its certificate (for 127.0.0.1) in $HOME_DIR/tls/ca.pem. `start` then
# prints KAFKA_SASL_BROKERS, KAFKA_TLS_BROKERS and KAFKA_TLS_CA_FILE too.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PORT=${KAFKA_PORT:-39092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-39093}
SASL_PORT=${KAFKA_SASL_PORT:-}
TLS_PORT=${KAFKA_TLS_PORT:-}
SASL_USER=${KAFKA_SASL_USERNAME:-hatecrimes}
SASL_PASSWORD=${KAFKA_SASL_PASSWORD:-hatecrimes-secret}
LIBS_DIR=$ROOT/.cache/kafka-libs
HOME_DIR=${KAFKA_HOME_DIR:-$ROOT/.cache/kafka}
PID_FILE=$HOME_DIR/broker.pid
LOG_FILE=$HOME_DIR/broker.log
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
TOOLS_LOG="-Dlog4j2.configurationFile=$ROOT/infra/kafka/log4j2-tools.properties"

fail() { echo "kafka.sh: $*" >&2; exit 1; }
source scripts/java-jars.sh
need_tools() { need_java "Apache Kafka 4.x"; }

running_pid() {
  [ -f "$PID_FILE" ] || return 1
  local pid
  pid=$(cat "$PID_FILE")
  kill -0 "$pid" 2>/dev/null && grep -q kafka.Kafka "/proc/$pid/cmdline" 2>/dev/null && echo "$pid"
}

run_tool() {
  "$JAVA" -Xmx512m $TOOLS_LOG -cp "$LIBS_DIR/*" "$@"
}

# The extra listeners, appended to server.properties (a later key wins over the template's).
secure_listeners() {
  local listeners="PLAINTEXT://127.0.0.1:$PORT,CONTROLLER://127.0.0.1:$CONTROLLER_PORT" map="CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT"
  if [ -n "$SASL_PORT" ]; then
    listeners="$listeners,SASL_PLAINTEXT://127.0.0.1:$SASL_PORT"
    map="$map,SASL_PLAINTEXT:SASL_PLAINTEXT"
    echo "sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512"
    for mechanism in scram-sha-256 scram-sha-512; do
      echo "listener.name.sasl_plaintext.$mechanism.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
    done
  fi
  if [ -n "$TLS_PORT" ]; then
    listeners="$listeners,SSL://127.0.0.1:$TLS_PORT"
    map="$map,SSL:SSL"
    local store=$HOME_DIR/tls/broker.p12
    if [ ! -f "$store" ]; then
      mkdir -p "$HOME_DIR/tls"
      keytool -genkeypair -keystore "$store" -storetype PKCS12 -storepass hatecrimes-tls -alias broker -keyalg RSA \
        -keysize 2048 -validity 3650 -dname CN=127.0.0.1 -ext SAN=ip:127.0.0.1,dns:localhost >/dev/null 2>&1 \
        || fail "Could not make a TLS key with keytool in $HOME_DIR/tls"
      keytool -exportcert -rfc -keystore "$store" -storepass hatecrimes-tls -alias broker > "$HOME_DIR/tls/ca.pem"
    fi
    echo "ssl.keystore.location=$store"
    echo "ssl.keystore.type=PKCS12"
    echo "ssl.keystore.password=hatecrimes-tls"
  fi
  echo "listeners=$listeners"
  echo "advertised.listeners=$listeners"
  echo "listener.security.protocol.map=$map"
}

# The SCRAM user of the SASL listener; KRaft keeps it in the cluster's metadata, so once is enough.
add_scram_user() {
  for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
    run_tool kafka.admin.ConfigCommand --bootstrap-server "127.0.0.1:$PORT" --alter --entity-type users \
      --entity-name "$SASL_USER" --add-config "$mechanism=[iterations=4096,password=$SASL_PASSWORD]" >/dev/null \
      || fail "Could not add the SCRAM user $SASL_USER"
  done
}

# What clients need, for the shell (start prints it) and for .cache/kafka/env.
client_env() {
  echo "KAFKA_BROKERS=127.0.0.1:$PORT"
  if [ -n "$SASL_PORT" ]; then echo "KAFKA_SASL_BROKERS=127.0.0.1:$SASL_PORT"; fi
  if [ -n "$TLS_PORT" ]; then
    echo "KAFKA_TLS_BROKERS=127.0.0.1:$TLS_PORT"
    echo "KAFKA_TLS_CA_FILE=$HOME_DIR/tls/ca.pem"
  fi
}

start() {
  if pid=$(running_pid); then
    echo "kafka.sh: broker already running (pid $pid) on 127.0.0.1:$PORT" >&2
    client_env
    return
  fi
  need_tools
  resolve_jars infra/kafka/pom.xml "$LIBS_DIR" "the Kafka jars"
  mkdir -p "$HOME_DIR/data"
  sed -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@LOG_DIR@#$HOME_DIR/data#g" \
    infra/kafka/server.properties.template > "$HOME_DIR/server.properties"
  if [ -n "$SASL_PORT$TLS_PORT" ]; then secure_listeners >> "$HOME_DIR/server.properties"; fi
  if [ ! -f "$HOME_DIR/data/meta.properties" ]; then
    local cluster_id
    cluster_id=$(run_tool kafka.tools.StorageTool random-uuid)
    run_tool kafka.tools.StorageTool format --standalone --ignore-formatted -t "$cluster_id" \
      -c "$HOME_DIR/server.properties" >/dev/null || fail "Could not format Kafka storage in $HOME_DIR/data"
  fi
  : > "$LOG_FILE"
  # The flags of kafka-server-start.sh, with a small heap: a test broker needs far less than 1 GiB.
  setsid "$JAVA" -Xms256m -Xmx512m -server -XX:+UseG1GC -XX:MaxGCPauseMillis=20 \
    -XX:InitiatingHeapOccupancyPercent=35 -XX:+ExplicitGCInvokesConcurrent -XX:MaxInlineLevel=15 \
    -Djava.awt.headless=true -Dkafka.logs.dir="$HOME_DIR" \
    -Dlog4j2.configurationFile="$ROOT/infra/kafka/log4j2-server.properties" \
    -cp "$LIBS_DIR/*" kafka.Kafka "$HOME_DIR/server.properties" >>"$LOG_FILE" 2>&1 < /dev/null &
  local pid=$!
  echo "$pid" > "$PID_FILE"
  local deadline=$((SECONDS + 60))
  until grep -q "Kafka Server started" "$LOG_FILE"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$LOG_FILE" >&2
      rm -f "$PID_FILE"
      fail "The broker exited during startup (log above, full log in $LOG_FILE)"
    fi
    if [ $SECONDS -ge $deadline ]; then
      tail -n 30 "$LOG_FILE" >&2
      kill -TERM "$pid" 2>/dev/null || true
      rm -f "$PID_FILE"
      fail "Expected 'Kafka Server started' in $LOG_FILE within 60 s (not seen; last lines above)"
    fi
    sleep 0.5
  done
  if [ -n "$SASL_PORT" ]; then add_scram_user; fi
  client_env > "$HOME_DIR/env"
  echo "kafka.sh: broker ready (pid $pid) on 127.0.0.1:$PORT" >&2
  client_env
}

stop() {
  local pid
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    echo "kafka.sh: no broker running" >&2
    return
  fi
  kill -TERM "$pid"
  # A clean shutdown (controlled, logs flushed) takes a few seconds; after 30 s it is forced.
  for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  if kill -0 "$pid" 2>/dev/null; then kill -KILL "$pid"; fi
  rm -f "$PID_FILE"
  echo "kafka.sh: broker stopped (pid $pid)" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status)
    if pid=$(running_pid); then echo "running (pid $pid) on 127.0.0.1:$PORT"; else echo "stopped"; exit 1; fi ;;
  tool) shift; need_tools; resolve_jars infra/kafka/pom.xml "$LIBS_DIR" "the Kafka jars"; run_tool "$@" ;;
  *) echo "usage: bash scripts/kafka.sh start|stop|status|tool <main class> [args]" >&2; exit 2 ;;
esac
