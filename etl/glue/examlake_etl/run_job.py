"""One run of the job (etl/transform/createTransformJob.ts), with plain boto3 clients so that `AWS_ENDPOINT_URL`
and `AWS_REGION` reach the local stack:

```
list raw objects ─▶ drop bookmarked (key + ETag) ─▶ transform_objects (Spark: versions, rejects, reconciled)
  ─▶ commit: UpdateTable per dataset (location + examlake.data_version = runId), guarded by VersionId
  ─▶ bookmarks + run summary in `runs`
```
A failure before the commit changes nothing readers see (the files under `v=<runId>/` are orphans); bookmarks
come after the commits, so a run dying between the two only makes the next run read those objects again, which
yields the same rows.
"""

from datetime import datetime, timezone

from .catalog import GlueVersionCatalog
from .object_store import ObjectStore
from .runs_store import RunsStore
from .schema_document import load_schema_document
from .transform_objects import RawObject, transform_objects


class JobArguments:
    """The job's arguments (names fixed by the CDK job definition and the local Glue job)."""

    def __init__(self, args):
        self.job_name = args["JOB_NAME"]
        self.run_id = args["JOB_RUN_ID"]
        self.raw_bucket = args["raw_bucket"]
        self.curated_bucket = args["curated_bucket"]
        self.runs_table = args["runs_table"]
        self.glue_database = args["glue_database"]
        self.schema_document = args["schema_document"]
        self.student_key_secret_id = args["student_key_secret_id"]
        self.reprocess_all = str(args.get("reprocess_all", "false")).lower() == "true"
        self.storage_scheme = args.get("storage_scheme") or "s3"


def configure_session(spark):
    """Session settings the job's semantics rely on (UTC instants, non-ANSI casts, Parquet as the local output)."""
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.ansi.enabled", "false")
    spark.conf.set("spark.sql.parquet.compression.codec", "snappy")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "static")
    # The rejects and the version are written by this job only: no _SUCCESS markers among the table's files.
    spark.sparkContext._jsc.hadoopConfiguration().set("mapreduce.fileoutputcommitter.marksuccessfuljobs", "false")


def student_key_secret(secrets, secret_id):
    """The HMAC key: `SecretBinary` when present, else the UTF-8 bytes of `SecretString`."""
    value = secrets.get_secret_value(SecretId=secret_id)
    if value.get("SecretBinary") is not None:
        return bytes(value["SecretBinary"])
    return value["SecretString"].encode("utf-8")


def _iso(moment):
    """An instant as JavaScript's toISOString writes it (milliseconds, `Z`)."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"


def run_job(spark, args, clients, log=print):
    """`clients`: boto3 clients `s3`, `glue`, `dynamodb`, `secretsmanager`. Returns the run summary written."""
    a = JobArguments(args)
    doc = load_schema_document(a.schema_document)
    configure_session(spark)
    started_at = datetime.now(timezone.utc)
    runs = RunsStore(clients["dynamodb"], a.runs_table)
    catalog = GlueVersionCatalog(clients["glue"], a.glue_database, doc.partition_columns)
    scheme = a.storage_scheme
    to_spark = lambda uri: scheme + uri[len("s3") :] if uri.startswith("s3://") else uri  # noqa: E731
    to_s3 = lambda uri: "s3" + uri[len(scheme) :] if uri.startswith(scheme + "://") else uri  # noqa: E731

    bookmarks = {} if a.reprocess_all else runs.bookmarks(a.raw_bucket)
    objects = []
    for page in clients["s3"].get_paginator("list_objects_v2").paginate(Bucket=a.raw_bucket):
        for o in page.get("Contents", []):
            etag = o["ETag"].strip('"')
            if o["Key"].endswith("/") or bookmarks.get(o["Key"]) == etag:
                continue
            uri = f"s3://{a.raw_bucket}/{o['Key']}"
            objects.append(RawObject(o["Key"], etag, o["LastModified"], to_spark(uri), uri))
    log(f"{len(objects)} new raw objects{' (reprocess all)' if a.reprocess_all else ''}")
    summary = {
        "runId": a.run_id,
        "jobName": a.job_name,
        "state": "COMMITTED",
        "startedAt": _iso(started_at),
        "reprocessAll": a.reprocess_all,
        "objects": len(objects),
        "datasets": {},
        "refused": [],
    }
    if not objects:
        runs.put_run_summary(summary)
        return summary

    currents = {}

    def previous_location(name):
        table, location, version = catalog.current(name)
        currents[name] = (table, location, version)
        return None if a.reprocess_all or location is None else to_spark(location)

    secret = student_key_secret(clients["secretsmanager"], a.student_key_secret_id)
    object_results, dataset_results = transform_objects(
        spark,
        doc,
        objects,
        a.run_id,
        started_at,
        secret,
        f"{scheme}://{a.curated_bucket}",
        previous_location,
        ObjectStore(clients["s3"]),
    )
    datasets, commits = {}, []
    for d in dataset_results:
        name = d["dataset"]["name"]
        table, current_location, current_version = currents.get(name) or catalog.current(name)
        version = d["version"]
        location = to_s3(d["location"]) if version else None
        if version:
            commits.append((name, table, location))
        datasets[name] = {
            "dataset": name,
            "objects": d["objects"],
            "rowsIn": d["rowsIn"],
            "written": version["written"] if version else 0,
            "rejected": d["rejected"],
            "superseded": d["superseded"],
            "replaced": version["replaced"] if version else 0,
            "totalRows": version["totalRows"] if version else 0,
            "partitions": version["partitions"] if version else 0,
            "dataVersion": a.run_id if version else (current_version or ""),
            "location": location if version else table.get("StorageDescriptor", {}).get("Location", ""),
            "rejectsLocation": to_s3(d["rejectsLocation"]) if d["rejectsLocation"] else None,
            "rejectReasons": d["rejectReasons"],
        }
    for name, table, location in commits:
        catalog.commit(table, location, a.run_id)
        log(f"committed {name} version {a.run_id} at {location}")
    processed_at = _iso(datetime.now(timezone.utc))
    runs.put_bookmarks(
        a.raw_bucket,
        [
            {
                "key": r["object"].key,
                "etag": r["object"].etag,
                "runId": a.run_id,
                "dataset": r["dataset"] if r["accepted"] else None,
                "outcome": "LOADED" if r["accepted"] else "REFUSED",
                "reason": None if r["accepted"] else r["reason"],
                "message": None if r["accepted"] else r["message"],
                "rowsIn": r["rowsIn"] if r["accepted"] else 0,
                "processedAt": processed_at,
            }
            for r in object_results
        ],
    )
    summary["datasets"] = datasets
    summary["refused"] = [
        {"key": r["object"].key, "reason": r["reason"], "message": r["message"]}
        for r in object_results
        if not r["accepted"]
    ]
    runs.put_run_summary(summary)
    return summary
