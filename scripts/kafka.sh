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
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
PORT=${KAFKA_PORT:-39092}
CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-39093}
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

start() {
  if pid=$(running_pid); then
    echo "kafka.sh: broker already running (pid $pid) on 127.0.0.1:$PORT" >&2
    echo "KAFKA_BROKERS=127.0.0.1:$PORT"
    return
  fi
  need_tools
  resolve_jars infra/kafka/pom.xml "$LIBS_DIR" "the Kafka jars"
  mkdir -p "$HOME_DIR/data"
  sed -e "s#@PORT@#$PORT#g" -e "s#@CONTROLLER_PORT@#$CONTROLLER_PORT#g" -e "s#@LOG_DIR@#$HOME_DIR/data#g" \
    infra/kafka/server.properties.template > "$HOME_DIR/server.properties"
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
  echo "KAFKA_BROKERS=127.0.0.1:$PORT" > "$HOME_DIR/env"
  echo "kafka.sh: broker ready (pid $pid) on 127.0.0.1:$PORT" >&2
  echo "KAFKA_BROKERS=127.0.0.1:$PORT"
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
