"""Masks the personal columns of an order export with Spark (local[2] by
default): ``python examples/spark_mask_orders.py IN.csv OUT_DIR [MASTER]``.
Prints rows, seconds, rows/s and MB/s of input."""

import os
import sys
import time

from pyspark.sql import SparkSession

from mask.spark import mask_columns

sys.path.insert(0, os.path.dirname(__file__))
from gen_orders import PERSONAL  # noqa: E402


def main():
    src, dst = sys.argv[1], sys.argv[2]
    # Spark's Python workers run this interpreter (its venv has mask and
    # pyarrow), not whatever `python3` is first on PATH.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    master = sys.argv[3] if len(sys.argv) > 3 else "local[2]"
    spark = (
        SparkSession.builder.master(master)
        .appName("mask-orders")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", "4")
        .getOrCreate()
    )
    t0 = time.time()
    df = spark.read.option("header", True).option("multiLine", True).csv(src)
    # A multi-line CSV is read as one partition (it cannot be split where a
    # quoted cell may hold a newline): spread it so every core masks.
    parts = spark.sparkContext.defaultParallelism * 2
    if df.rdd.getNumPartitions() < parts:
        df = df.repartition(parts)
    # Two Python workers on two cores: one masker thread each.
    masked = mask_columns(df, PERSONAL, threads=1)
    masked.write.mode("overwrite").option("header", True).csv(dst)
    secs = time.time() - t0
    rows = spark.read.option("header", True).option("multiLine", True).csv(dst).count()
    mb = os.path.getsize(src) / 1e6
    print(f"spark {master}: {rows} rows, {secs:.1f} s, {rows / secs:,.0f} rows/s, {mb / secs:.1f} MB/s")
    spark.stop()


if __name__ == "__main__":
    main()
