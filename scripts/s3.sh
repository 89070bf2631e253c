#!/usr/bin/env bash
# An S3-compatible server (S3Proxy, a Maven Central jar) on 127.0.0.1 for development and tests,
# storing objects under .cache/s3/data, with the bucket hatecrimes-test.
#
#   bash scripts/s3.sh start    fetch the jar once, start, wait until it answers, create the bucket
#   bash scripts/s3.sh stop     stop the server this script started (by its PID file)
#   bash scripts/s3.sh status   say whether it runs
#
# `start` prints the environment a client needs (endpoint, credentials, region, bucket).
# Needs Java 17+ and Maven. Port: S3_PORT (39000); state folder: S3_HOME_DIR (.cache/s3).
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VERSION=4.0.0
PORT=${S3_PORT:-39000}
HOME_DIR=${S3_HOME_DIR:-$ROOT/.cache/s3}
JAR_DIR=$ROOT/.cache/s3proxy
JAR=$JAR_DIR/s3proxy-$VERSION-jar-with-dependencies.jar
PID_FILE=$HOME_DIR/s3proxy.pid
LOG_FILE=$HOME_DIR/s3proxy.log
BUCKET=hatecrimes-test
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java

fail() { echo "s3.sh: $*" >&2; exit 1; }

running() { [ -f "$PID_FILE" ] && kill -0 "$(cat "$PID_FILE")" 2>/dev/null; }

print_env() {
  cat <<ENV
HATECRIMES_S3_ENDPOINT=http://127.0.0.1:$PORT
AWS_ACCESS_KEY_ID=hatecrimes
AWS_SECRET_ACCESS_KEY=hatecrimes-secret
AWS_REGION=us-east-1
HATECRIMES_TEST_BUCKET=$BUCKET
ENV
}

fetch_jar() {
  [ -f "$JAR" ] && return
  command -v "$JAVA" >/dev/null || fail "Expected Java 17+ on PATH or in JAVA_HOME (found none). Install a JDK, e.g. apt-get install openjdk-17-jre-headless"
  command -v mvn >/dev/null || fail "Expected Maven (mvn) on PATH to fetch S3Proxy from Maven Central (found none). Install it, e.g. apt-get install maven"
  echo "s3.sh: fetching org.gaul:s3proxy:$VERSION from Maven Central into .cache/s3proxy" >&2
  mvn -B -q org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy \
    -Dartifact="org.gaul:s3proxy:$VERSION:jar:jar-with-dependencies" -DoutputDirectory="$JAR_DIR" >&2 \
    || fail "Could not fetch org.gaul:s3proxy:$VERSION from Maven Central (see the Maven output above)"
}

start() {
  if running; then
    echo "s3.sh: S3Proxy already running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT" >&2
    print_env
    return
  fi
  fetch_jar
  if curl -s -o /dev/null "http://127.0.0.1:$PORT/"; then
    fail "Expected port $PORT on 127.0.0.1 to be free for S3Proxy (something already answers there). Stop it, or set S3_PORT"
  fi
  mkdir -p "$HOME_DIR/data/$BUCKET"
  sed -e "s#@PORT@#$PORT#" -e "s#@DATA@#$HOME_DIR/data#" infra/s3/s3proxy.properties.template > "$HOME_DIR/s3proxy.properties"
  "$JAVA" -Xms64m -Xmx512m -jar "$JAR" --properties "$HOME_DIR/s3proxy.properties" > "$LOG_FILE" 2>&1 &
  echo $! > "$PID_FILE"
  for _ in $(seq 1 120); do
    # Our own process must be the one answering: another server on the port would fool curl alone.
    if running && curl -s -o /dev/null "http://127.0.0.1:$PORT/" && ! grep -q "BindException\|Address already in use" "$LOG_FILE"; then
      echo "s3.sh: S3Proxy $VERSION running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT, bucket $BUCKET" >&2
      print_env
      return
    fi
    running || { tail -20 "$LOG_FILE" >&2; fail "S3Proxy exited during start (log above, full log in $LOG_FILE)"; }
    sleep 0.5
  done
  tail -20 "$LOG_FILE" >&2
  fail "S3Proxy did not answer on 127.0.0.1:$PORT within 60 s (log above)"
}

stop() {
  if ! running; then
    echo "s3.sh: S3Proxy is not running" >&2
    rm -f "$PID_FILE"
    return
  fi
  local pid
  pid=$(cat "$PID_FILE")
  kill -TERM "$pid"
  for _ in $(seq 1 40); do kill -0 "$pid" 2>/dev/null || break; sleep 0.25; done
  kill -0 "$pid" 2>/dev/null && kill -KILL "$pid"
  rm -f "$PID_FILE"
  echo "s3.sh: S3Proxy stopped" >&2
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  status) if running; then echo "running (pid $(cat "$PID_FILE")) on 127.0.0.1:$PORT"; else echo "not running"; exit 1; fi ;;
  *) fail "usage: bash scripts/s3.sh start|stop|status" ;;
esac
