#!/usr/bin/env bash
# Prints the path of the Python that executes notebooks/hatecrimes-lake.ipynb in the tests, making
# its virtual environment first when missing: .cache/notebook-venv with nbclient, ipykernel and the
# notebook's own packages, pinned, from PyPI (the notebook itself installs them unpinned where they
# are missing, as in Colab). Made once and kept across runs; changing a pin reinstalls.
# Needs python3 (3.11+) with the venv module, and says so when either is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=$PWD/.cache/notebook-venv
PACKAGES=(nbclient==0.11.0 ipykernel==7.4.0 nbformat==5.11.1 duckdb==1.5.6
  pandas==3.1.1 pyarrow==26.0.1 matplotlib==3.11.2)

fail() { echo "python-env.sh: $*" >&2; exit 1; }
source scripts/python-venv.sh
python_venv "$VENV" "the notebook test" "${PACKAGES[@]}"
echo "$VENV/bin/python"
