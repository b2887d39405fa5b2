"""Raw objects to CSV records with their physical lines, in DataFrames on executors.

How (see docs/etl.md, "The Glue job on AWS"):

1. Spark's text source reads every object with `lineSep="\\n"` (splittable, streamed: objects over 2 GiB are
   read in splits like any other; `\\r` stays in the line, bytes stay as they are, so invalid UTF-8 is still
   there to find; Hadoop's line reader drops a leading UTF-8 BOM). Each line gets `monotonically_increasing_id()`
   (consecutive within a split) and its split (`_metadata.file_path`, `file_block_start`).
2. Physical line numbers: per split `count` and `min(id)` (a tiny aggregate on the driver), cumulative over the
   splits of an object in block order, joined back: `line = first line of the split + (id - min id)`.
3. Records: a line without `"` never changes the quoting, so only lines with a quote are judged (regular
   expressions in the JVM, or a Python scan for very long lines, give for both possible start states whether the
   line ends inside quotes). Each such line is one
   of four functions of its start state; window functions compose them within each split (in parallel), the
   driver composes the splits of an object (one row a split), and a broadcast join gives each quote line its
   start state. The few multi-line records (a line ending inside quotes, up to the next quote line that closes
   them, or to the end of the object: then unterminated) are stitched by an equi-join on (object, line) and a
   group by record start.
"""

from pyspark import StorageLevel
from pyspark.sql import Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

from .partitioning import BYTES_PER_ROW, size_shuffles
from .quoting import JVM_REGEX_CHARS, line_end_state

_ENDS = T.StructType([T.StructField("from_field", T.BooleanType()), T.StructField("from_quoted", T.BooleanType())])


@F.pandas_udf(_ENDS)
def _line_ends(values):
    import pandas as pd

    return pd.DataFrame(
        {
            "from_field": [line_end_state(v, False) for v in values],
            "from_quoted": [line_end_state(v, True) for v in values],
        }
    )


# Whether a line leaves a quoted field open, as regular expressions over `line_end_state`'s state machine (Java
# regex, in the JVM). A line ends outside quotes when it splits into fields separated by commas that are not inside
# quotes, each field: CRs, then either a quoted field (`""` and a closing quote, CRs and a quote escape a quote) with
# the rest of the field after its closing quote, or an unquoted field (any quote in it literal). Starting inside
# quotes, the first field is the rest of a quoted one. `++`/`*+` keep Java from backtracking; each loop turns once
# per quote or field, not per character, and longer lines than `JVM_REGEX_CHARS` go to the Python scan (Java's
# regex recursion per loop turn could overflow the stack on a line of many thousand fields).
_IN_QUOTES = r'(?:[^"]++|"\r*+")*+'
_AFTER_CLOSE = r'"\r*+(?:[^",\r][^,]*+)?'
_FIELD_FROM_START = rf'\r*+(?:"{_IN_QUOTES}{_AFTER_CLOSE}|[^",\r][^,]*+)?'
_CLOSED_FROM_FIELD = rf"\A{_FIELD_FROM_START}(?:,{_FIELD_FROM_START})*+\z"
_CLOSED_FROM_QUOTED = rf"\A{_IN_QUOTES}{_AFTER_CLOSE}(?:,{_FIELD_FROM_START})*+\z"


def line_ends(lines, long_lines=True):
    """Adds `_ends` (from_field, from_quoted): whether the line (`value`) ends inside quotes when it starts outside
    them (at a field start) or inside them. In the JVM for lines up to `JVM_REGEX_CHARS`, else `line_end_state`;
    `long_lines=False` (no line is longer) leaves the Python branch out, which would start a worker per partition."""
    short = F.length("value") <= JVM_REGEX_CHARS
    in_jvm = lines.filter(short).withColumn(
        "_ends",
        F.struct(
            (~F.col("value").rlike(_CLOSED_FROM_FIELD)).alias("from_field"),
            (~F.col("value").rlike(_CLOSED_FROM_QUOTED)).alias("from_quoted"),
        ),
    )
    if not long_lines:
        return in_jvm
    in_python = lines.filter(~short).withColumn("_ends", _line_ends(F.col("value").cast("binary")))
    return in_jvm.unionByName(in_python)


def read_lines(spark, paths):
    """Every physical line of the objects: `_path`, `_line` (1-based), `value` (raw bytes as a string).

    Returns (lines, files): `files` maps each Spark file path to its line count, whether it ends with a LF and the
    length in characters of its longest line holding a quote (`quoted_chars`).
    """
    raw = (
        spark.read.option("lineSep", "\n")
        .text(paths)
        .select(
            F.col("_metadata.file_path").alias("_path"),
            F.col("_metadata.file_block_start").alias("_block"),
            F.col("_metadata.file_size").alias("_size"),
            F.monotonically_increasing_id().alias("_id"),
            F.col("value"),
        )
    )
    splits = (
        raw.groupBy("_path", "_block")
        .agg(
            F.count(F.lit(1)).alias("n"),
            F.min("_id").alias("min_id"),
            F.sum(F.octet_length("value") + 1).alias("bytes"),
            F.first("_size").alias("size"),
            F.max(F.when(F.instr("value", '"') > 0, F.length("value"))).alias("quoted_chars"),
        )
        .collect()
    )
    offsets, files = [], {}
    for split in sorted(splits, key=lambda s: (s["_path"], s["_block"])):
        info = files.setdefault(split["_path"], {"lines": 0, "bytes": 0, "size": split["size"], "quoted_chars": 0})
        info["quoted_chars"] = max(info["quoted_chars"], split["quoted_chars"] or 0)
        offsets.append((split["_path"], split["_block"], info["lines"] + 1, split["min_id"]))
        info["lines"] += split["n"]
        info["bytes"] += split["bytes"]
    for info in files.values():
        # Every line counted with its LF: equal to the size (or 3 less, a BOM dropped) when the last line has one.
        info["ends_with_lf"] = info["size"] - info["bytes"] in (0, 3)
    if not offsets:
        return None, files
    first = spark.createDataFrame(
        offsets,
        T.StructType(
            [
                T.StructField("_path", T.StringType()),
                T.StructField("_block", T.LongType()),
                T.StructField("_first", T.LongType()),
                T.StructField("_min_id", T.LongType()),
            ]
        ),
    )
    lines = raw.join(F.broadcast(first), ["_path", "_block"]).select(
        "_path", "_block", (F.col("_first") + F.col("_id") - F.col("_min_id")).alias("_line"), "value"
    )
    return lines, files


def read_records(spark, paths):
    """The CSV records of the objects (header included), as the local transform's splitter finds them.

    Columns: `_path`, `_line` (physical line where the record starts), `value` (the record's raw bytes without its
    line ending, quoted newlines kept), `_unterminated` (a quote left open to the end of the object), `_quoted`
    (the record holds a `"`). Blank lines outside quotes are not records. Returns (records, files, cached): unpersist
    `cached` once `records` is materialised.
    """
    lines, files = read_lines(spark, paths)
    if lines is None:
        return None, files, []
    size_shuffles(spark, sum(f["size"] for f in files.values()) // BYTES_PER_ROW)
    lines = lines.withColumn("_has_quote", F.instr("value", '"') > 0)
    spark_files = spark.createDataFrame(
        [(p, f["lines"], f["ends_with_lf"]) for p, f in files.items()],
        "_path string, _last long, _ends_with_lf boolean",
    )
    long_lines = any(f["quoted_chars"] > JVM_REGEX_CHARS for f in files.values())
    quote_lines = line_ends(lines.filter("_has_quote"), long_lines).select("_path", "_block", "_line", "_ends")
    # Each quote line is one of four functions of its start state: identity, swap, or a constant. Composed within
    # each split by windows (splits in parallel), then across an object's splits on the driver (one row a split).
    in_split = Window.partitionBy("_path", "_block").orderBy("_line")
    before = in_split.rowsBetween(Window.unboundedPreceding, -1)
    classified = quote_lines.select(
        "_path",
        "_block",
        "_line",
        F.col("_ends.from_field").alias("_f"),
        F.col("_ends.from_quoted").alias("_q"),
    ).withColumn("_swap", (F.col("_f") & ~F.col("_q")).cast("int"))
    classified = classified.withColumn("_swaps_before", F.coalesce(F.sum("_swap").over(before), F.lit(0)))
    is_constant = F.col("_f") == F.col("_q")
    constant = F.when(is_constant, F.struct(F.col("_f").alias("v"), F.col("_swaps_before").alias("s")))
    classified = classified.withColumn("_last_const", F.last(constant, ignorenulls=True).over(before)).persist(
        StorageLevel.MEMORY_AND_DISK
    )
    summaries = (
        classified.groupBy("_path", "_block")
        .agg(
            F.sum("_swap").alias("swaps"),
            F.max(F.when(is_constant, F.struct("_line", "_f", "_swaps_before"))).alias("last_const"),
        )
        .collect()
    )
    starts_of_splits = []
    state, path = False, None
    for split in sorted(summaries, key=lambda r: (r["_path"], r["_block"])):
        if split["_path"] != path:
            state, path = False, split["_path"]
        starts_of_splits.append((split["_path"], split["_block"], state))
        last = split["last_const"]
        if last is None:
            state = state ^ bool(split["swaps"] % 2)
        else:
            state = last["_f"] ^ bool((split["swaps"] - last["_swaps_before"]) % 2)
    split_starts = spark.createDataFrame(
        starts_of_splits or [("", 0, False)], "_path string, _block long, _split_start boolean"
    )
    start_quoted = (
        F.coalesce(F.col("_last_const.v"), F.col("_split_start")).cast("int")
        + F.col("_swaps_before")
        - F.coalesce(F.col("_last_const.s"), F.lit(0))
    ) % 2 == 1
    states = classified.join(F.broadcast(split_starts), ["_path", "_block"]).select(
        "_path", "_line", start_quoted.alias("_start_q"), "_f", "_q"
    )
    states = states.withColumn("_end_q", F.when(F.col("_start_q"), F.col("_q")).otherwise(F.col("_f")))
    # Only lines of multi-line records (rare) go on: those starting or ending inside quotes. Per object: the record
    # start of each (the last one starting outside quotes) and the next one.
    states = states.filter(F.col("_start_q") | F.col("_end_q"))
    by_line = Window.partitionBy("_path").orderBy("_line")
    starts = F.last(F.when(~F.col("_start_q"), F.col("_line")), ignorenulls=True).over(
        by_line.rowsBetween(Window.unboundedPreceding, 0)
    )
    states = states.withColumn("_rec", starts).withColumn("_next_q", F.lead("_line").over(by_line))
    open_lines = states.filter("_end_q").join(F.broadcast(spark_files), "_path")
    # Lines after a quote line left open, up to the next quote line (or the end of the object), continue its record.
    continuation = open_lines.select(
        "_path",
        "_rec",
        F.explode(_lines_between(F.col("_line") + 1, F.coalesce(F.col("_next_q"), F.col("_last")))).alias("_line"),
    )
    unterminated = open_lines.filter(F.col("_next_q").isNull()).select(
        "_path", "_rec", F.lit(True).alias("_unterminated"), "_ends_with_lf"
    )
    multi_starts = states.filter(~F.col("_start_q") & F.col("_end_q")).select("_path", "_line", F.col("_line").alias("_rec"))
    members = continuation.unionByName(multi_starts)
    tagged = lines.join(members, ["_path", "_line"], "left")
    single = tagged.filter(F.col("_rec").isNull() & ~F.col("value").isin("", "\r")).select(
        "_path",
        "_line",
        _strip_cr("value").alias("value"),
        F.lit(False).alias("_unterminated"),
        "_has_quote",
    )
    multi = (
        tagged.filter(F.col("_rec").isNotNull())
        .groupBy("_path", "_rec")
        .agg(F.sort_array(F.collect_list(F.struct("_line", "value"))).alias("_parts"))
        .join(unterminated, ["_path", "_rec"], "left")
        .select(
            "_path",
            F.col("_rec").alias("_line"),
            F.array_join(F.col("_parts.value"), "\n").alias("_joined"),
            F.coalesce("_unterminated", F.lit(False)).alias("_unterminated"),
            "_ends_with_lf",
        )
    )
    # A record left open keeps everything to the end of the object (its last line ending too); others lose a CR.
    multi = multi.select(
        "_path",
        "_line",
        F.when(
            F.col("_unterminated"),
            F.when(F.col("_ends_with_lf"), F.concat("_joined", F.lit("\n"))).otherwise(F.col("_joined")),
        )
        .otherwise(_strip_cr("_joined"))
        .alias("value"),
        "_unterminated",
        F.lit(True).alias("_has_quote"),
    )
    records = single.unionByName(multi).withColumnRenamed("_has_quote", "_quoted")
    return records, files, [classified]


def _lines_between(first, last):
    """Line numbers first..last, none when first > last (Spark's `sequence` would count down)."""
    return F.when(first <= last, F.sequence(first, last)).otherwise(F.array().cast("array<bigint>"))


def _strip_cr(name):
    """The text without one trailing CR (the CR of a CRLF line ending), its bytes kept as they are."""
    b = f"cast(`{name}` AS binary)"
    return F.expr(
        f"CASE WHEN substring({b}, -1, 1) = X'0D' THEN cast(substring({b}, 1, octet_length({b}) - 1) AS string) "
        f"ELSE `{name}` END"
    )
