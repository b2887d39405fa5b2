"""A dataset's next version (etl/transform/buildVersion.ts, steps 2–4): this run's winners with their lineage and
the previous version's rows whose key this run does not carry, written partitioned by the UTC year/month of the
partition source (`year=YYYY/month=MM/`, one Snappy Parquet file per partition, rows sorted by the sort keys),
then read back to count what the files hold."""

from pyspark.sql import functions as F
from pyspark.sql import types as T

from .row_checks import spark_type
from .sql_text import ident
from .student_key import student_key_column


def curated_types(doc, dataset):
    """Spark type of each curated column, in table order (timestamps without zone: Parquet
    TIMESTAMP(isAdjustedToUTC=false, MICROS), as the local transform's DuckDB TIMESTAMP is written)."""
    types = {c["name"]: spark_type(c["type"]) for c in dataset["columns"]}
    types.update({"student_key": "STRING", "ingested_at": "TIMESTAMP", "source_file": "STRING", "run_id": "STRING"})
    out = []
    for name in dataset["curatedColumns"]:
        t = types[name]
        out.append((name, "TIMESTAMP_NTZ" if t == "TIMESTAMP" else t))
    return out


def fresh_rows(doc, dataset, winners, run_id, started_at, secret):
    """This run's winning rows as curated rows (lineage added)."""
    pseudonym = dataset.get("pseudonymSource")
    lineage = {
        "student_key": student_key_column(secret, F.col(ident(pseudonym))) if pseudonym else F.lit(None),
        "ingested_at": F.lit(started_at.strftime("%Y-%m-%d %H:%M:%S.") + f"{started_at.microsecond // 1000:03d}"),
        "source_file": F.col("_source"),
        "run_id": F.lit(run_id),
    }
    cols = []
    for name, t in curated_types(doc, dataset):
        source = lineage.get(name, F.col(ident(name)))
        cols.append(source.cast(t).alias(name))
    return winners.select(*cols)


def previous_rows(doc, dataset, previous):
    return previous.select(*[F.col(ident(n)).cast(t).alias(n) for n, t in curated_types(doc, dataset)])


def write_version(doc, dataset, rows, location):
    """Writes the version under `location` (`…/v=<runId>/`), one file per partition, sorted."""
    year, month = doc.partition_columns[0], doc.partition_columns[1]
    source = F.col(ident(dataset["partitionSource"]))
    out = rows.withColumn(year["name"], F.lpad(F.year(source).cast("string"), year["digits"], "0")).withColumn(
        month["name"], F.lpad(F.month(source).cast("string"), month["digits"], "0")
    )
    keys = [year["name"], month["name"]]
    (
        out.repartition(*keys)
        .sortWithinPartitions(*keys, *[ident(k) for k in dataset["sortKeys"]])
        .write.mode("overwrite")
        .option("compression", "snappy")
        .partitionBy(*keys)
        .parquet(location)
    )


def count_version(spark, doc, run_id, location):
    """(written: rows of this run, total rows, partitions), read back from the written files."""
    year, month = doc.partition_columns[0]["name"], doc.partition_columns[1]["name"]
    files = spark.read.option("basePath", location).parquet(location)
    row = files.agg(
        F.count(F.lit(1)).alias("total"),
        F.count(F.when(F.col("run_id") == run_id, 1)).alias("mine"),
        F.countDistinct(year, month).alias("partitions"),
    ).first()
    return int(row["mine"]), int(row["total"]), int(row["partitions"])


REJECT_SCHEMA = T.StructType([T.StructField("value", T.StringType())])
