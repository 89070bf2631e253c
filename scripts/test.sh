#!/usr/bin/env bash
# Runs every test of the project: the type-check, the unit tests, and the integration tests against a
# real Apache Kafka broker, a real S3-compatible server (S3Proxy) and Debian's Chromium, which this
# script installs from the registries when missing, starts on 127.0.0.1, and stops again by PID; the
# notebook runs in a Python virtual environment made once under .cache (scripts/python-env.sh).
# Needs Node 24 (npm puts node_modules/.bin/node first), Java 17+ and Maven for the servers, python3.
# KAFKA_PORT, KAFKA_CONTROLLER_PORT and S3_PORT move the servers off their default ports (39092, 39093,
# 39000), as a default another program holds does; the broker's SASL/SCRAM and TLS listeners take the
# two ports after the controller's (KAFKA_SASL_PORT, KAFKA_TLS_PORT).
set -euo pipefail
cd "$(dirname "$0")/.."

major=$(node -p 'process.versions.node.split(".")[0]')
if [ "$major" -lt 24 ]; then
  echo "Expected Node 24 on PATH (got $(node -v)): run this through 'npm test', which uses node_modules/.bin/node" >&2
  exit 2
fi

echo "== type-check"
npx tsc --noEmit

cleanup() {
  bash scripts/kafka.sh stop || true
  bash scripts/s3.sh stop || true
}
trap cleanup EXIT

echo "== starting Apache Kafka and S3Proxy on 127.0.0.1"
# A default port that another program holds moves its server to the next free ports
# (scripts/free-ports.sh), unless the port was given or the server already runs from .cache.
if [ -z "${KAFKA_PORT:-}" ] && ! bash scripts/kafka.sh status >/dev/null 2>&1; then
  KAFKA_PORT=$(bash scripts/free-ports.sh 39092 4)
  KAFKA_CONTROLLER_PORT=${KAFKA_CONTROLLER_PORT:-$((KAFKA_PORT + 1))}
  export KAFKA_PORT KAFKA_CONTROLLER_PORT
fi
if [ -z "${S3_PORT:-}" ] && ! bash scripts/s3.sh status >/dev/null 2>&1; then
  S3_PORT=$(bash scripts/free-ports.sh 39000 1)
  export S3_PORT
fi
KAFKA_SASL_PORT=${KAFKA_SASL_PORT:-$(( ${KAFKA_PORT:-39092} + 2 ))}
KAFKA_TLS_PORT=${KAFKA_TLS_PORT:-$(( ${KAFKA_PORT:-39092} + 3 ))}
# Only this broker gets the extra listeners: the tests that start brokers of their own inherit the env.
KAFKA_SASL_PORT=$KAFKA_SASL_PORT KAFKA_TLS_PORT=$KAFKA_TLS_PORT bash scripts/kafka.sh start
bash scripts/s3.sh start
CHROMIUM_PATH=$(bash scripts/chromium.sh)
NOTEBOOK_PYTHON=$(bash scripts/python-env.sh)

export KAFKA_BROKERS=127.0.0.1:${KAFKA_PORT:-39092}
export KAFKA_SASL_BROKERS=127.0.0.1:$KAFKA_SASL_PORT
export KAFKA_TLS_BROKERS=127.0.0.1:$KAFKA_TLS_PORT
export KAFKA_TLS_CA_FILE=${KAFKA_HOME_DIR:-$PWD/.cache/kafka}/tls/ca.pem
export HATECRIMES_S3_ENDPOINT=http://127.0.0.1:${S3_PORT:-39000}
export AWS_ACCESS_KEY_ID=hatecrimes
export AWS_SECRET_ACCESS_KEY=hatecrimes-secret
export AWS_REGION=us-east-1
export HATECRIMES_TEST_BUCKET=hatecrimes-test
export CHROMIUM_PATH NOTEBOOK_PYTHON

echo "== tests"
node --test --test-concurrency=2 'test/unit/**/*.test.ts' 'test/integration/**/*.test.ts'
