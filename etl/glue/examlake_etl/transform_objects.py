"""The transform on a set of raw objects (etl/transform/transformObjects.ts): headers, records, checks, dedup,
the next version of each touched dataset and its rejects, reconciled. Writes only under the curated base it is
given (version `v=<runId>/` and the rejects); committing is the caller's job (run_job.py).

Driver-side it holds only metadata: one row per Spark split, one header per object, counts per object and reason.
"""

from urllib.parse import unquote, urlparse

from pyspark import StorageLevel
from pyspark.sql import functions as F

from .dedup import rank_rows
from .errors import HeaderRefusal, ReconciliationError
from .partitioning import size_shuffles
from .quoting import split_strict
from .read_records import read_records
from .reject_messages import reject_lines
from .resolve_header import infer_dataset, resolve_header
from .row_checks import judge
from .schema_document import REJECTS_PREFIX
from .split_fields import jvm_splittable, split_fields
from .write_version import count_version, fresh_rows, previous_rows, write_version


class RawObject:
    """A raw object of the run: its S3 identity, the path Spark reads it from, and `uri` (the lineage)."""

    def __init__(self, key, etag, last_modified, path, uri):
        self.key, self.etag, self.last_modified, self.path, self.uri = key, etag, last_modified, path, uri


def _spark_path_key(file_path):
    """Spark's `_metadata.file_path` (a URI, encoded) as (scheme, bucket, path) for matching to an object."""
    parsed = urlparse(file_path)
    return parsed.scheme, parsed.netloc, unquote(parsed.path)


def _object_path_key(path):
    """The path an object was read from (not encoded: Hadoop's Path encodes it) as (scheme, bucket, path)."""
    scheme, rest = path.split("://", 1) if "://" in path else ("file", path)
    if scheme == "file":
        return scheme, "", "/" + rest.lstrip("/")
    bucket, _, key = rest.partition("/")
    return scheme, bucket, "/" + key


def transform_objects(spark, doc, objects, run_id, started_at, secret, curated_base, previous_location, store):
    """Returns (object results, dataset results). `objects` in any order; ranked by LastModified, then key.

    `curated_base` is `<scheme>://<curated bucket>` (or a local directory URI); `previous_location(name)` gives the
    dataset's current version as a Spark path, or None (first run, reprocess-all).
    """
    objects = sorted(objects, key=lambda o: (o.last_modified, o.key))
    by_key = {_object_path_key(o.path): (rank, o) for rank, o in enumerate(objects)}
    records, _files, cached = read_records(spark, [o.path for o in objects])
    results = {}
    mappings = {}
    paths = {}
    if records is not None:
        records = records.persist(StorageLevel.MEMORY_AND_DISK)
        headers = (
            records.groupBy("_path")
            .agg(
                F.min("_line").alias("line"),
                F.min_by(F.col("value").cast("binary"), "_line").alias("header"),
                (F.count(F.lit(1)) - 1).alias("rows"),
                F.max(F.col("_quoted") & ~jvm_splittable()).alias("misquoted"),
            )
            .collect()
        )
        for frame in cached:
            frame.unpersist()
    else:
        headers = []
    for h in headers:
        rank, obj = by_key[_spark_path_key(h["_path"])]
        paths[rank] = h["_path"]
        try:
            mapping = _header_mapping(doc, obj, bytes(h["header"]))
            mappings[rank] = (mapping, h["line"])
            results[rank] = {"object": obj, "accepted": True, "dataset": mapping.dataset["name"], "rowsIn": h["rows"]}
        except HeaderRefusal as refusal:
            results[rank] = {"object": obj, "accepted": False, "reason": doc.reason(refusal.reason), "message": str(refusal)}
    for rank, obj in enumerate(objects):
        if rank not in results:
            results[rank] = {
                "object": obj,
                "accepted": False,
                "reason": doc.reason("EMPTY_FILE"),
                "message": f"{obj.uri} is empty: it has no header.",
            }
    object_results = [results[r] for r in range(len(objects))]
    dataset_results = []
    if not mappings:
        return object_results, dataset_results
    info = spark.createDataFrame(
        [
            (paths[rank], rank, m.dataset["name"], m.field_count, m.indexes(), objects[rank].uri, line)
            for rank, (m, line) in mappings.items()
        ],
        "_path string, _rank int, _dataset string, _field_count int, _idx array<int>, _source string, _header long",
    )
    size_shuffles(spark, sum(h["rows"] for h in headers))
    data = records.join(F.broadcast(info), "_path").filter(F.col("_line") > F.col("_header"))
    data = split_fields(data, misquoted=any(h["misquoted"] for h in headers))
    for name, dataset in doc.datasets.items():
        ranks = [r for r, (m, _) in mappings.items() if m.dataset["name"] == name]
        if not ranks:
            continue
        checked = judge(doc, dataset, data.filter(F.col("_dataset") == name)).persist(StorageLevel.MEMORY_AND_DISK)
        try:
            dataset_results.append(
                _build_dataset(
                    spark, doc, dataset, checked, ranks, object_results, run_id, started_at, secret, curated_base,
                    previous_location, store,
                )
            )
        finally:
            checked.unpersist()
    records.unpersist()
    return object_results, dataset_results


def _header_mapping(doc, obj, header):
    try:
        text = header.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    fields = None if text is None else split_strict(text)[0]
    if fields is None:
        raise HeaderRefusal("UNKNOWN_DATASET", f"{obj.uri}: the header line is not a valid UTF-8 CSV record.")
    try:
        dataset = infer_dataset(doc.datasets, obj.key, fields)
        return resolve_header(dataset, fields)
    except HeaderRefusal as refusal:
        raise HeaderRefusal(refusal.reason, f"{obj.uri}: {refusal}") from refusal


def _build_dataset(spark, doc, dataset, checked, ranks, object_results, run_id, started_at, secret, base,
                   previous_location, store):
    name = dataset["name"]
    rows_in = sum(object_results[r]["rowsIn"] for r in ranks)
    valid = checked.filter(F.col("_why").isNull())
    ranked = rank_rows(dataset, valid).persist(StorageLevel.MEMORY_AND_DISK)
    counts = ranked.agg(
        F.count(F.lit(1)).alias("valid"),
        F.count(F.when((F.col("_n") > 1) & ~F.col("_dup"), 1)).alias("superseded"),
    ).first()
    superseded = int(counts["superseded"])
    version = None
    location = f"{base}/{name}/v={run_id}/"
    if counts["valid"] > 0:
        rows = fresh_rows(doc, dataset, ranked.filter(F.col("_n") == 1), run_id, started_at, secret)
        previous_count = 0
        previous = previous_location(name)
        if previous:
            before = spark.read.option("basePath", previous).parquet(previous)
            previous_count = before.count()
            size_shuffles(spark, rows_in + previous_count)
            keys = dataset["naturalKey"]
            carried = valid.select(*keys).distinct()
            rows = rows.unionByName(previous_rows(doc, dataset, before.join(carried, keys, "left_anti")))
        write_version(doc, dataset, rows, location)
        written, total, partitions = count_version(spark, doc, run_id, location)
        version = {
            "written": written,
            "totalRows": total,
            "partitions": partitions,
            "replaced": previous_count - (total - written),
        }
    duplicates = ranked.filter("_dup").withColumn("_why", F.lit("DUPLICATE_IN_FILE||")).withColumn(
        "_structural", F.lit(False)
    )
    reject_cols = ["_rank", "_line", "_source", "_why", "value", "_unterminated", "_structural", "_field_count", "_idx"]
    rejects = checked.filter(F.col("_why").isNotNull()).select(*reject_cols).unionByName(duplicates.select(*reject_cols))
    rejects = rejects.withColumn("_reason", F.substring_index("_why", "|", 1)).persist(StorageLevel.MEMORY_AND_DISK)
    reasons = {r["_reason"]: int(r["n"]) for r in rejects.groupBy("_reason").agg(F.count(F.lit(1)).alias("n")).collect()}
    rejected = sum(reasons.values())
    rejects_location = None
    if rejected > 0:
        prefix = f"{base}/{REJECTS_PREFIX}{name}/run={run_id}/"
        scratch = f"{prefix}_spark/"
        (
            reject_lines(doc, dataset, rejects)
            .repartition(1)
            .sortWithinPartitions("_rank", "_line")
            .select("_json")
            .write.mode("overwrite")
            .option("lineSep", "\n")
            .text(scratch)
        )
        store.move_single_part(scratch, f"{prefix}rejects.jsonl")
        rejects_location = prefix
    rejects.unpersist()
    ranked.unpersist()
    written = version["written"] if version else 0
    if rows_in != written + rejected + superseded:
        raise ReconciliationError(name, rows_in, written, rejected, superseded)
    return {
        "dataset": dataset,
        "objects": len(ranks),
        "rowsIn": rows_in,
        "rejected": rejected,
        "rejectReasons": reasons,
        "rejectsLocation": rejects_location,
        "superseded": superseded,
        "version": version,
        "location": location if version else None,
    }
