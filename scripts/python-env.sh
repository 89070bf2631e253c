#!/usr/bin/env bash
# Prints the path of the Python that executes notebooks/hatecrimes-lake.ipynb in the tests, making
# its virtual environment first when missing: .cache/notebook-venv with nbclient, ipykernel and the
# notebook's own packages, pinned, from PyPI (the notebook itself installs them unpinned where they
# are missing, as in Colab). Made once and kept across runs; changing a pin reinstalls.
# DuckDB reads s3:// lakes with its httpfs extension, which it otherwise downloads from its own
# extension server on first use: the test takes the same binary from the PyPI package
# duckdb-extension-httpfs (built for one DuckDB release, hence duckdb's pin) and installs it into
# .cache/duckdb-extensions, DuckDB's extension_directory for the test (nothing is written outside
# the project); the test hands that folder to the notebook as DUCKDB_EXTENSION_DIRECTORY.
# Needs python3 (3.11+) with the venv module, and says so when either is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=$PWD/.cache/notebook-venv
PACKAGES=(nbclient==0.11.0 ipykernel==7.4.0 nbformat==5.11.1 duckdb==1.5.5 duckdb-extension-httpfs==1.5.5
  pandas==3.1.1 pyarrow==26.0.1 matplotlib==3.11.2)

fail() { echo "python-env.sh: $*" >&2; exit 1; }
source scripts/python-venv.sh
python_venv "$VENV" "the notebook test" "${PACKAGES[@]}"
EXTENSIONS=$PWD/.cache/duckdb-extensions
"$VENV/bin/python" - "$EXTENSIONS" <<'PY' || fail "Could not install DuckDB's httpfs extension from the duckdb-extension-httpfs package into $EXTENSIONS (see above)"
import pathlib, sys, duckdb, duckdb_extension_httpfs
con = duckdb.connect(config={"extension_directory": sys.argv[1]})
if not con.sql("SELECT installed FROM duckdb_extensions() WHERE extension_name = 'httpfs'").fetchone()[0]:
    con.install_extension(str(next(pathlib.Path(duckdb_extension_httpfs.__file__).parent.glob("extensions/*/httpfs.duckdb_extension"))))
PY
echo "$VENV/bin/python"
