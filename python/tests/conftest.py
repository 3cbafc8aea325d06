import os
import pathlib
import subprocess

import pytest

REPO = pathlib.Path(__file__).resolve().parents[2]


def require(module):
    """Imports an optional dependency; CI (MASK_REQUIRE_ALL=1) fails instead
    of skipping when it is missing."""
    if os.environ.get("MASK_REQUIRE_ALL") == "1":
        return __import__(module)
    return pytest.importorskip(module)


@pytest.fixture(scope="session")
def mask_bin():
    """The `mask` binary: $MASK_BIN, else built with cargo (debug)."""
    env = os.environ.get("MASK_BIN")
    if env:
        return env
    subprocess.run(["cargo", "build", "--locked", "--quiet", "--bin", "mask"], cwd=REPO, check=True)
    return str(REPO / "target" / "debug" / "mask")
