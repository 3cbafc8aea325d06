#!/usr/bin/env bash
# Builds the Python package (python/, PyO3 + maturin) into a virtual
# environment and runs its pytest suite: the API, Polars and Spark column
# masking, and `mask mcp` driven by the official MCP Python client.
# Installs what it needs (a venv with maturin, pytest, mcp, polars, pyarrow,
# pandas, pyspark from PyPI; a Java runtime from Debian when none is on PATH).
# Usage: bash scripts/python-tests.sh   (MASK_PY_VENV=DIR to choose the venv)
set -euo pipefail
cd "$(dirname "$0")/.."
venv=${MASK_PY_VENV:-target/py-venv}
if [ ! -x "$venv/bin/python" ]; then
    python3 -m venv "$venv"
fi
"$venv/bin/pip" install -q --upgrade pip
"$venv/bin/pip" install -q "maturin>=1.9.4,<2" pytest "mcp>=1.2" polars pyarrow pandas pyspark
if ! command -v java >/dev/null 2>&1; then
    apt-get update -qq && apt-get install -y -qq openjdk-17-jre-headless
fi
# The debug profile shares the workspace's target/ with `cargo test`.
cargo build --locked --quiet --bin mask
(cd python && VIRTUAL_ENV="$PWD/../$venv" PATH="$PWD/../$venv/bin:$PATH" maturin develop --locked --profile dev --quiet)
MASK_BIN="$PWD/target/debug/mask" MASK_REQUIRE_ALL=1 "$venv/bin/python" -m pytest -q python/tests
