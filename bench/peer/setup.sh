#!/usr/bin/env bash
# Installs what the original Python/PySpark pipeline needs for bench/peer-pipeline.ts:
#   .cache/peer-venv   a Python virtual environment with pyspark, pandas and confluent-kafka (pinned,
#                      from PyPI; confluent-kafka's wheel bundles librdkafka)
#   .cache/peer-jars   the Spark Kafka connector and its clients, from Maven Central (bench/peer/pom.xml)
# Needs python3 (3.11+) with the venv module, Java 17+ (Spark 4) and Maven. Idempotent: what is
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
source scripts/python-venv.sh
need_java "Spark 4"

python_venv "$VENV" "the peer benchmark" "${PACKAGES[@]}"

resolve_jars bench/peer/pom.xml "$JARS" "the Spark Kafka connector"

echo "PEER_PYTHON=$VENV/bin/python"
echo "PEER_JARS=$(ls "$JARS"/*.jar | paste -sd, -)"
