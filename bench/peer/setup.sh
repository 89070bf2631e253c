#!/usr/bin/env bash
# Installs what the original Python/PySpark pipeline needs for bench/peer-pipeline.ts:
#   .cache/peer-venv   a Python virtual environment with pyspark, pandas and confluent-kafka (pinned,
#                      from PyPI; confluent-kafka's wheel bundles librdkafka)
#   .cache/peer-jars   the Spark Kafka connector and its clients, from Maven Central (bench/peer/pom.xml)
# Needs python3 (3.10+) with the venv module, Java 17+ (Spark 4) and Maven. Idempotent: what is
# already present is kept. Prints PEER_PYTHON=... and PEER_JARS=... on success.
set -euo pipefail
cd "$(dirname "$0")/../.."
ROOT=$PWD
VENV=$ROOT/.cache/peer-venv
JARS=$ROOT/.cache/peer-jars
JAVA=${JAVA_HOME:+$JAVA_HOME/bin/}java
# pandas 2: pyspark 4.2 supports pandas below 3 only, and the original was written for pandas 2.
PACKAGES=(pyspark==4.2.0 pandas==2.3.3 confluent-kafka==2.16.1)

fail() { echo "peer/setup.sh: $*" >&2; exit 1; }

command -v "$JAVA" >/dev/null || fail "Expected Java 17+ on PATH or in JAVA_HOME for Spark 4 (found none). Install a JDK 17+, e.g. apt-get install openjdk-17-jre-headless"
java_major=$("$JAVA" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -1)
[ "${java_major:-0}" -ge 17 ] || fail "Expected Java 17 or newer for Spark 4 (found Java ${java_major:-unknown} at $(command -v "$JAVA"))"

# The marker names the pinned versions, so changing a pin reinstalls.
marker="$VENV/.installed-$(printf '%s_' "${PACKAGES[@]}" | tr '=' '-')"
if [ ! -f "$marker" ]; then
  command -v python3 >/dev/null || fail "Expected python3 (3.10+) on PATH (found none). Install it, e.g. apt-get install python3 python3-venv"
  python3 -c 'import sys; sys.exit(0 if sys.version_info >= (3, 10) else 1)' \
    || fail "Expected Python 3.10 or newer for pyspark 4 (found $(python3 --version 2>&1))"
  if [ ! -x "$VENV/bin/python" ]; then
    python3 -m venv "$VENV" || fail "python3 -m venv failed: install the venv module, e.g. apt-get install python3-venv"
  fi
  echo "peer/setup.sh: installing ${PACKAGES[*]} into .cache/peer-venv" >&2
  "$VENV/bin/pip" install -q "${PACKAGES[@]}" >&2 || fail "pip could not install ${PACKAGES[*]} (see its output above)"
  rm -f "$VENV"/.installed-*
  touch "$marker"
fi

if [ ! -f "$JARS/.resolved" ] || [ "$JARS/.resolved" -ot bench/peer/pom.xml ]; then
  command -v mvn >/dev/null || fail "Expected Maven (mvn) on PATH to fetch the Spark Kafka connector from Maven Central (found none). Install it, e.g. apt-get install maven"
  echo "peer/setup.sh: resolving the Spark Kafka connector from Maven Central into .cache/peer-jars" >&2
  rm -rf "$JARS"
  mvn -B -q -f bench/peer/pom.xml org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
    -DincludeScope=runtime -DoutputDirectory="$JARS" >&2 || fail "Maven could not resolve bench/peer/pom.xml (see its output above)"
  touch "$JARS/.resolved"
fi

echo "PEER_PYTHON=$VENV/bin/python"
echo "PEER_JARS=$(ls "$JARS"/*.jar | paste -sd, -)"
