"""Dedup on the natural key (etl/transform/buildVersion.ts, step 1): one window over the key ordered by the
object's rank (later objects first: LastModified, then key) and the row's line. The first row wins; a loser
whose predecessor in the window is from its own object repeats a key earlier in that object (DUPLICATE_IN_FILE,
a reject), any other loser is superseded by a later object of the run."""

from pyspark.sql import Window
from pyspark.sql import functions as F

from .sql_text import ident


def rank_rows(dataset, valid):
    """`valid` with `_n` (1 for the winner of its key) and `_dup` (a DUPLICATE_IN_FILE loser)."""
    window = Window.partitionBy(*[F.col(ident(k)) for k in dataset["naturalKey"]]).orderBy(
        F.col("_rank").desc(), F.col("_line").asc()
    )
    return (
        valid.withColumn("_n", F.row_number().over(window))
        .withColumn("_dup", (F.col("_n") > 1) & (F.lag("_rank").over(window) == F.col("_rank")))
    )
