"""A record's fields, in the JVM wherever the quoting allows: `split` for records without a quote (nearly all), a
regular expression for records quoted as RFC 4180 says (a quote only opens a field and escapes one inside quotes),
and a Python UDF only for the others (a stray quote, text after a closing quote, a quote left open, and records
over `JVM_REGEX_CHARS`)."""

from pyspark.sql import functions as F
from pyspark.sql import types as T

from .quoting import JVM_REGEX_CHARS, split_lenient

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


# A record whose every field is either quoted (`""` escaping a quote inside) or holds no quote at all. Possessive
# quantifiers and `[^"]++` keep Java's regex from backtracking or recursing per character.
_QUOTED_FIELD = r'"(?:[^"]++|"")*+"'
WELL_QUOTED = rf'\A(?:{_QUOTED_FIELD}|[^",]*+)(?:,(?:{_QUOTED_FIELD}|[^",]*+))*+\z'
# Each field with the comma before it (a comma is put in front of the record), so no match is ever empty.
_FIELD = rf',({_QUOTED_FIELD}|[^",]*+)'


def jvm_splittable():
    """Records the JVM splits: well quoted, and short enough that Java's regex (which recurses once per field) cannot
    overflow the stack."""
    return (F.length("value") <= JVM_REGEX_CHARS) & F.col("value").rlike(WELL_QUOTED)


_UNQUOTE = (
    "transform(_raw_fields, f -> CASE WHEN substring(f, 1, 1) = '\"' "
    "THEN replace(substring(f, 2, length(f) - 2), '\"\"', '\"') ELSE f END)"
)


def split_fields(records, misquoted=True):
    """Adds `_fields` (as DuckDB's reader reads them), `_split_error` (text after a closing quote, or a quote still
    open), `_well_quoted` (no quote inside an unquoted field) and `_bad_utf8` (bytes that are not UTF-8).

    `misquoted=False` (every quoted record is `jvm_splittable`) leaves the Python branch out, which would start a
    worker per partition for no rows."""
    plain = records.filter(~F.col("_quoted")).select(
        "*",
        F.split("value", ",", -1).alias("_fields"),
        F.lit(None).cast("string").alias("_split_error"),
        F.lit(True).alias("_well_quoted"),
    )
    well_quoted = (
        records.filter(F.col("_quoted") & jvm_splittable())
        .withColumn("_raw_fields", F.regexp_extract_all(F.concat(F.lit(","), "value"), F.lit(_FIELD), 1))
        .select(
            "*",
            F.expr(_UNQUOTE).alias("_fields"),
            F.lit(None).cast("string").alias("_split_error"),
            F.lit(True).alias("_well_quoted"),
        )
        .drop("_raw_fields")
    )
    both = plain.unionByName(well_quoted)
    if misquoted:
        both = both.unionByName(_split_in_python(records))
    return both.withColumn("_bad_utf8", F.col("value").cast("binary") != F.encode("value", "UTF-8"))


def _split_in_python(records):
    return (
        records.filter(F.col("_quoted") & ~jvm_splittable())
        .withColumn("_split", _split_quoted(F.col("value").cast("binary")))
        .select("*", F.col("_split.fields").alias("_fields"), F.col("_split.error").alias("_split_error"),
                F.col("_split.well_quoted").alias("_well_quoted"))
        .drop("_split")
    )
