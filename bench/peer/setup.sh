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
source scripts/java-jars.sh
need_java "Spark 4"

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

resolve_jars bench/peer/pom.xml "$JARS" "the Spark Kafka connector"

echo "PEER_PYTHON=$VENV/bin/python"
echo "PEER_JARS=$(ls "$JARS"/*.jar | paste -sd, -)"
