"""How many shuffle partitions a run's stages use: sized by the data, not Spark's fixed 200.

A cached partition (records, checked rows, ranked rows) is built whole in the executor's heap; at 1 GiB of driver
heap in `local[2]` a 1M-row export with 4 or 32 partitions ran out of heap, with 200 (about 5,000 rows each) it did
not (docs/benchmarks.md). So a run sizes its shuffles to about `ROWS_PER_PARTITION` rows each, at least two tasks per
core; tiny exports get few partitions (each task has a fixed cost), large ones as many as they need. Adaptive
execution (on, as in Glue 5.0) still coalesces the stages that are not cached.
"""

import math

ROWS_PER_PARTITION = 5000
# Bytes of CSV per row assumed before the rows are counted (a generated exam_results row is about 285 bytes).
BYTES_PER_ROW = 300


def size_shuffles(spark, rows):
    """Sets `spark.sql.shuffle.partitions` for `rows` rows; returns the number."""
    floor = 2 * spark.sparkContext.defaultParallelism
    partitions = max(floor, math.ceil(rows / ROWS_PER_PARTITION))
    spark.conf.set("spark.sql.shuffle.partitions", str(partitions))
    return partitions
