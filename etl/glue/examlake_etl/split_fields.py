"""A record's fields: `split` for records without a quote (nearly all), a UDF for the others only."""

from pyspark.sql import functions as F
from pyspark.sql import types as T

from .quoting import split_lenient

_SPLIT = T.StructType(
    [
        T.StructField("fields", T.ArrayType(T.StringType())),
        T.StructField("error", T.StringType()),
        T.StructField("well_quoted", T.BooleanType()),
    ]
)


@F.pandas_udf(_SPLIT)
def _split_quoted(values):
    import pandas as pd

    out = [split_lenient(v.decode("utf-8", "replace")) for v in values]
    return pd.DataFrame(
        {"fields": [o[0] for o in out], "error": [o[1] for o in out], "well_quoted": [o[2] for o in out]}
    )


def split_fields(records):
    """Adds `_fields` (as DuckDB's reader reads them), `_split_error` (text after a closing quote, or a quote still
    open), `_well_quoted` (no quote inside an unquoted field) and `_bad_utf8` (bytes that are not UTF-8)."""
    plain = records.filter(~F.col("_quoted")).select(
        "*",
        F.split("value", ",", -1).alias("_fields"),
        F.lit(None).cast("string").alias("_split_error"),
        F.lit(True).alias("_well_quoted"),
    )
    quoted = (
        records.filter(F.col("_quoted"))
        .withColumn("_split", _split_quoted(F.col("value").cast("binary")))
        .select("*", F.col("_split.fields").alias("_fields"), F.col("_split.error").alias("_split_error"),
                F.col("_split.well_quoted").alias("_well_quoted"))
        .drop("_split")
    )
    both = plain.unionByName(quoted)
    return both.withColumn("_bad_utf8", F.col("value").cast("binary") != F.encode("value", "UTF-8"))
