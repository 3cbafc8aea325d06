"""mask.spark on local[2]: the example masks a generated order export."""

import pathlib
import shutil
import subprocess
import sys

from conftest import require
from test_polars import check_masked_export

EXAMPLES = pathlib.Path(__file__).resolve().parents[1] / "examples"


def test_spark_example_masks_a_generated_export(tmp_path):
    require("pyspark")
    if shutil.which("java") is None:
        require("a Java runtime (java on PATH)")
    src, out = tmp_path / "orders.csv", tmp_path / "masked"
    subprocess.run([sys.executable, EXAMPLES / "gen_orders.py", "2000", src], check=True)
    run = subprocess.run(
        [sys.executable, EXAMPLES / "spark_mask_orders.py", src, out, "local[2]"],
        check=True, capture_output=True, text=True,
    )
    assert "2000 rows" in run.stdout, run.stdout + run.stderr
    parts = sorted(out.glob("part-*.csv"))
    header, rows = None, []
    for p in parts:
        lines = p.read_text(encoding="utf-8").splitlines(keepends=True)
        if not lines:
            continue
        header = lines[0]
        rows.extend(lines[1:])
    check_masked_export(src, header + "".join(rows))
