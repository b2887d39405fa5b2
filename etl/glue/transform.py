"""examlake transform: raw CSV exports -> validated, deduplicated, partitioned Parquet (AWS Glue 5, PySpark).

The same rules as the local transform (etl/transform/, DuckDB), read from the schema document shipped with the
job (`--extra-files s3://.../examlake-schema.json`, emitted by `npx examlake schema json`): column types and
their text formats, nullability, constraints, cross-column rules, header aliases, natural keys, sort keys,
partitioning, lineage columns and reject reason codes. Nothing about a dataset is written in this file.

Flow of one run (mirrors etl/transform/runTransform.ts):
  1. list raw objects, skip those whose key+ETag is bookmarked in the runs table (unless --reprocess-all true)
  2. per object: decode, split records (RFC 4180) keeping physical line numbers, map the header through aliases,
     validate every row -> valid rows, rejects (original text, line, source, reason), refused objects
  3. per dataset: previous version (unless reprocess-all) + valid rows, keep the latest row per natural key
     (later object by LastModified then key wins; within one object the first row wins, later ones are
     DUPLICATE_IN_FILE rejects); add student_key (HMAC-SHA256), lineage; write one file per partition under
     s3://<curated>/<dataset>/v=<runId>/year=YYYY/month=MM/
  4. reconcile rows in = written + rejected + superseded, else fail before committing
  5. commit: Glue UpdateTable moves the table location and storage.location.template to the new version and sets
     examlake.data_version = runId in one call; then bookmarks and the run summary go to the runs table.
A failure before step 5 leaves the previous version as the table's location: readers never see partial output.
"""

import codecs
import csv
from decimal import Decimal
import hashlib
import hmac
import io
import json
import re
import sys
from datetime import datetime, timezone

import boto3
from awsglue.context import GlueContext
from awsglue.job import Job
from awsglue.utils import getResolvedOptions
from pyspark.context import SparkContext
from pyspark.sql import Window
from pyspark.sql import functions as F
from pyspark.sql import types as T

ARGS = getResolvedOptions(
    sys.argv,
    [
        "JOB_NAME",
        "JOB_RUN_ID",
        "raw_bucket",
        "curated_bucket",
        "runs_table",
        "glue_database",
        "schema_document",
        "student_key_secret_id",
        "reprocess_all",
    ],
)
RUN_ID = ARGS["JOB_RUN_ID"]
REPROCESS_ALL = ARGS["reprocess_all"].lower() == "true"
DATA_VERSION_PARAMETER = "examlake.data_version"
REJECTS_PREFIX = "_rejects/"

with open(ARGS["schema_document"], encoding="utf-8") as handle:
    DOC = json.load(handle)
if DOC.get("formatVersion") != 1:
    raise RuntimeError(f"Schema document format {DOC.get('formatVersion')} is not 1; deploy the matching script.")

REASONS = {r["code"]: r for r in DOC["rejectReasons"]}
TYPE_PATTERNS = {kind: re.compile(f["pattern"]) for kind, f in DOC["typeFormats"].items()}
LINEAGE = [c["name"] for c in DOC["lineageColumns"]]
PARTITIONS = DOC["partitionColumns"]
DATASETS = {d["name"]: d for d in DOC["datasets"]}
TS_PARTS = re.compile(r"^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?(Z|([+-])(\d{2}):?(\d{2}))$")


def reason(code):
    """A reject reason code, checked against the schema document (a typo fails the job, not the data)."""
    if code not in REASONS:
        raise KeyError(f"reason {code} is not in the schema document")
    return code


class Refused(Exception):
    def __init__(self, code, message):
        super().__init__(message)
        self.code = reason(code)


def normalize(name):
    return re.sub(r"[\s_\-.]", "", name.replace("\ufeff", "")).lower()


def resolve_header(dataset, header):
    lookup = {}
    for col in dataset["columns"]:
        for alias in [col["name"], *col["aliases"]]:
            lookup[normalize(alias)] = col["name"]
    index, unknown, dup = {}, [], []
    for i, field in enumerate(header):
        name = lookup.get(normalize(field))
        if name is None:
            unknown.append(field)
        elif name in index:
            dup.append(name)
        else:
            index[name] = i
    missing = [c["name"] for c in dataset["columns"] if not c["nullable"] and c["name"] not in index]
    if missing:
        raise Refused("MISSING_COLUMNS", f"missing required columns {', '.join(missing)}")
    if dup:
        raise Refused("DUPLICATE_COLUMNS", f"columns named twice: {', '.join(dup)}")
    if unknown:
        raise Refused("UNKNOWN_COLUMNS", f"unknown columns {', '.join(unknown)}")
    return index


def infer_dataset(key, header):
    prefix = key.split("/")[0]
    if "/" in key and prefix in DATASETS:
        return DATASETS[prefix]
    fits = []
    for dataset in DATASETS.values():
        try:
            resolve_header(dataset, header)
            fits.append(dataset)
        except Refused:
            pass
    if len(fits) != 1:
        raise Refused("UNKNOWN_DATASET", f"{key} is under no dataset prefix and its header fits {len(fits)} datasets")
    return fits[0]


def parse_field(col, text):
    """Mirrors etl/schemas/parseField.ts: (ok, value or reason)."""
    kind = col["type"]["kind"]
    if kind == "string":
        return True, (None if text.strip() == "" else text)
    trimmed = text.strip()
    if trimmed == "":
        return True, None
    invalid = {
        "integer": "INVALID_INTEGER",
        "bigint": "INVALID_INTEGER",
        "decimal": "INVALID_DECIMAL",
        "double": "INVALID_DOUBLE",
        "boolean": "INVALID_BOOLEAN",
        "timestamp": "INVALID_TIMESTAMP",
        "date": "INVALID_DATE",
    }[kind]
    if not TYPE_PATTERNS[kind].match(trimmed):
        return False, reason(invalid)
    try:
        if kind in ("integer", "bigint"):
            value = int(trimmed)
            limit = 2**31 if kind == "integer" else 2**63
            return (True, value) if -limit <= value < limit else (False, reason(invalid))
        if kind == "decimal":
            whole, _, fraction = trimmed.lstrip("+-").partition(".")
            if len(fraction.rstrip("0")) > col["type"]["scale"]:
                return False, reason(invalid)
            if len(whole.lstrip("0")) > col["type"]["precision"] - col["type"]["scale"]:
                return False, reason(invalid)
            return True, Decimal(trimmed)
        if kind == "double":
            return True, float(trimmed)
        if kind == "boolean":
            return True, trimmed.lower() in ("true", "yes", "1")
        if kind == "timestamp":
            m = TS_PARTS.match(trimmed)
            millis = int(((m.group(7) or "") + "000")[:3])
            base = datetime(int(m.group(1)), int(m.group(2)), int(m.group(3)), int(m.group(4)), int(m.group(5)),
                            int(m.group(6) or 0), millis * 1000, tzinfo=timezone.utc)
            offset = 0 if m.group(8) == "Z" else (-1 if m.group(9) == "-" else 1) * (int(m.group(10)) * 60 + int(m.group(11)))
            return True, datetime.fromtimestamp(base.timestamp() - offset * 60, tz=timezone.utc).replace(tzinfo=None)
        if kind == "date":
            return True, datetime.strptime(trimmed, "%Y-%m-%d").date()
    except ValueError:
        return False, reason(invalid)
    return False, reason(invalid)


def check_constraints(col, value):
    c = col["constraints"]
    if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
        if ("min" in c and value < c["min"]) or ("exclusiveMin" in c and value <= c["exclusiveMin"]):
            return reason("OUT_OF_RANGE")
        if ("max" in c and value > c["max"]) or ("exclusiveMax" in c and value >= c["exclusiveMax"]):
            return reason("OUT_OF_RANGE")
    if isinstance(value, str):
        if "enum" in c and value.strip().lower() not in [v.lower() for v in c["enum"]]:
            return reason("INVALID_ENUM")
        if "pattern" in c and not re.match(c["pattern"], value):
            return reason("PATTERN_MISMATCH")
        if "maxLength" in c and len(value) > c["maxLength"]:
            return reason("TOO_LONG")
    return None


OPS = {"<": lambda a, b: a < b, "<=": lambda a, b: a <= b, "=": lambda a, b: a == b,
       ">=": lambda a, b: a >= b, ">": lambda a, b: a > b}


def validate(dataset, index, field_count, fields):
    """Mirrors etl/schemas/validateRecord.ts, reason order included: (values, None) or (None, reason)."""
    if len(fields) != field_count:
        return None, reason("WRONG_FIELD_COUNT")
    text = {c["name"]: (fields[index[c["name"]]] if c["name"] in index else "") for c in dataset["columns"]}
    for col in dataset["columns"]:
        if not col["nullable"] and text[col["name"]].strip() == "":
            return None, reason("MISSING_REQUIRED")
    values = {}
    for col in dataset["columns"]:
        ok, value = parse_field(col, text[col["name"]])
        if not ok:
            return None, value
        values[col["name"]] = value
    for check in ("range", "enum", "pattern", "length"):
        for col in dataset["columns"]:
            value = values[col["name"]]
            if value is None:
                continue
            failure = check_constraints(col, value)
            if failure and failure == {"range": "OUT_OF_RANGE", "enum": "INVALID_ENUM", "pattern": "PATTERN_MISMATCH",
                                       "length": "TOO_LONG"}[check]:
                return None, failure
    for rule in dataset["rules"]:
        left, right = values[rule["left"]], values[rule["right"]]
        if left is not None and right is not None and not OPS[rule["operator"]](left, right):
            return None, reason("CONSTRAINT_VIOLATION")
    for col in dataset["columns"]:
        allowed = col["constraints"].get("enum")
        if allowed and isinstance(values[col["name"]], str):
            values[col["name"]] = next(v for v in allowed if v.lower() == values[col["name"]].strip().lower())
    return values, None


def split_records(data):
    """Physical records of an object: (line, raw bytes, fields or None, defect or None). RFC 4180."""
    if data.startswith(codecs.BOM_UTF8):
        data = data[len(codecs.BOM_UTF8):]
    line, start, i, n, quoted = 1, 0, 0, len(data), False
    start_line = 1
    while i <= n:
        if i == n or (not quoted and data[i] == 0x0A):
            raw = data[start:i]
            if raw.rstrip(b"\r") != b"":
                yield start_line, raw.rstrip(b"\r"), quoted
            if i < n:
                line += 1
            start, start_line = i + 1, line
        elif data[i] == 0x22:
            quoted = not quoted
        elif data[i] == 0x0A:
            line += 1
        i += 1


def read_object(item):
    """One raw object -> (dataset name, valid rows, rejects) or a refusal. Runs on executors."""
    key, etag, rank, data = item
    out_rows, rejects = [], []
    records = list(split_records(data))
    if not records:
        return key, None, [], [], ("EMPTY_FILE", "the object has no header")
    try:
        header = next(csv.reader([records[0][1].decode("utf-8")]))
        dataset = infer_dataset(key, header)
        index = resolve_header(dataset, header)
    except UnicodeDecodeError:
        return key, None, [], [], (reason("UNKNOWN_DATASET"), "the header is not UTF-8")
    except Refused as refusal:
        return key, None, [], [], (refusal.code, str(refusal))
    seen = set()
    for line, raw, unterminated in records[1:]:
        def reject(code):
            rejects.append({"line": line, "source": key, "reason": reason(code), "text": raw.decode("utf-8", "replace")})

        if unterminated:
            reject("MALFORMED_ROW")
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError:
            reject("INVALID_ENCODING")
            continue
        try:
            fields = next(csv.reader([text], strict=True))
        except csv.Error:
            reject("MALFORMED_ROW")
            continue
        values, failure = validate(dataset, index, len(header), fields)
        if failure:
            reject(failure)
            continue
        natural = tuple(values[k] for k in dataset["naturalKey"])
        if natural in seen:
            reject("DUPLICATE_IN_FILE")
            continue
        seen.add(natural)
        out_rows.append({**values, "_rank": rank, "_line": line, "source_file": f"s3://{ARGS['raw_bucket']}/{key}"})
    return key, dataset["name"], out_rows, rejects, None


def spark_type(type_):
    kind = type_["kind"]
    return {
        "string": T.StringType(), "integer": T.IntegerType(), "bigint": T.LongType(), "double": T.DoubleType(),
        "boolean": T.BooleanType(), "timestamp": T.TimestampType(), "date": T.DateType(),
    }.get(kind) or T.DecimalType(type_["precision"], type_["scale"])


def main():
    sc = SparkContext.getOrCreate()
    glue_context = GlueContext(sc)
    spark = glue_context.spark_session
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    job = Job(glue_context)
    job.init(ARGS["JOB_NAME"], ARGS)
    s3 = boto3.client("s3")
    glue = boto3.client("glue")
    runs = boto3.resource("dynamodb").Table(ARGS["runs_table"])
    secret = boto3.client("secretsmanager").get_secret_value(SecretId=ARGS["student_key_secret_id"])["SecretString"]
    started = datetime.now(timezone.utc)
    raw = ARGS["raw_bucket"]

    bookmarks = {}
    for page in boto3.client("dynamodb").get_paginator("query").paginate(
        TableName=ARGS["runs_table"], KeyConditionExpression="pk = :pk",
        ExpressionAttributeValues={":pk": {"S": f"bookmark#{raw}"}}, ConsistentRead=True):
        for item in page["Items"]:
            bookmarks[item["sk"]["S"]] = item["etag"]["S"]
    objects = []
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=raw):
        for o in page.get("Contents", []):
            etag = o["ETag"].strip('"')
            if not o["Key"].endswith("/") and (REPROCESS_ALL or bookmarks.get(o["Key"]) != etag):
                objects.append((o["LastModified"], o["Key"], etag))
    objects.sort()
    if not objects:
        job.commit()
        return
    inputs = [(key, etag, rank, s3.get_object(Bucket=raw, Key=key, IfMatch=etag)["Body"].read())
              for rank, (_, key, etag) in enumerate(objects)]
    results = sc.parallelize(inputs, max(1, len(inputs))).map(read_object).collect()

    summary = {"runId": RUN_ID, "jobName": ARGS["JOB_NAME"], "state": "COMMITTED", "startedAt": started.isoformat(),
               "reprocessAll": REPROCESS_ALL, "objects": len(objects), "datasets": {}, "refused": []}
    for name, dataset in DATASETS.items():
        mine = [r for r in results if r[1] == name]
        rows = [row for r in mine for row in r[2]]
        rejects = [rej for r in mine for rej in r[3]]
        if not mine:
            continue
        columns = dataset["columns"]
        schema = T.StructType([T.StructField(c["name"], spark_type(c["type"]), True) for c in columns] + [
            T.StructField("_rank", T.IntegerType()), T.StructField("_line", T.LongType()),
            T.StructField("source_file", T.StringType())])
        new = spark.createDataFrame([{k: row.get(k) for k in schema.fieldNames()} for row in rows], schema)
        pseudonym = dataset["pseudonymSource"]
        hmac_udf = F.udf(lambda v: hmac.new(secret.encode(), v.encode(), hashlib.sha256).hexdigest() if v else None)
        new = (new.withColumn(LINEAGE[0], hmac_udf(F.col(pseudonym)) if pseudonym else F.lit(None).cast("string"))
               .withColumn(LINEAGE[1], F.lit(started.replace(tzinfo=None)).cast("timestamp"))
               .withColumn(LINEAGE[3], F.lit(RUN_ID)))
        curated = DOC_CURATED = dataset["curatedColumns"]
        table = glue.get_table(DatabaseName=ARGS["glue_database"], Name=name)["Table"]
        combined = new.select(*curated, "_rank", "_line")
        previous_rows = 0
        if not REPROCESS_ALL and table["Parameters"].get(DATA_VERSION_PARAMETER, "").startswith("jr_"):
            previous = spark.read.parquet(table["StorageDescriptor"]["Location"]).select(*DOC_CURATED)
            previous_rows = previous.count()
            combined = previous.withColumn("_rank", F.lit(-1)).withColumn("_line", F.lit(0)).unionByName(combined)
        window = Window.partitionBy(*dataset["naturalKey"]).orderBy(F.col("_rank").desc(), F.col("_line").asc())
        ranked = combined.withColumn("_n", F.row_number().over(window))
        kept = ranked.filter("_n = 1")
        superseded = ranked.filter("_n > 1 AND _rank >= 0").count()
        replaced = ranked.filter("_n > 1 AND _rank < 0").count()
        written = kept.filter("_rank >= 0").count()
        source = dataset["partitionSource"]
        year, month = PARTITIONS[0]["name"], PARTITIONS[1]["name"]
        out = (kept.withColumn(year, F.year(source)).withColumn(month, F.format_string("%02d", F.month(source)))
               .repartition(year, month).sortWithinPartitions(*dataset["sortKeys"]).select(*curated, year, month))
        location = f"s3://{ARGS['curated_bucket']}/{name}/v={RUN_ID}/"
        out.write.mode("overwrite").partitionBy(year, month).parquet(location)
        rows_in = sum(len(r[2]) + len(r[3]) for r in mine)
        if rows_in != written + len(rejects) + superseded:
            raise RuntimeError(f"{name}: {rows_in} rows in != {written} written + {len(rejects)} rejected + {superseded} superseded")
        rejects_location = None
        if rejects:
            rejects_location = f"s3://{ARGS['curated_bucket']}/{REJECTS_PREFIX}{name}/run={RUN_ID}/"
            body = "\n".join(json.dumps(r, ensure_ascii=False) for r in rejects) + "\n"
            s3.put_object(Bucket=ARGS["curated_bucket"], Key=f"{REJECTS_PREFIX}{name}/run={RUN_ID}/rejects.jsonl",
                          Body=body.encode("utf-8"))
        summary["datasets"][name] = {
            "dataset": name, "objects": len(mine), "rowsIn": rows_in, "written": written, "rejected": len(rejects),
            "superseded": superseded, "replaced": replaced, "totalRows": previous_rows - replaced + written,
            "partitions": out.select(year, month).distinct().count(), "dataVersion": RUN_ID, "location": location,
            "rejectsLocation": rejects_location,
        }
        table_input = {k: v for k, v in table.items() if k in (
            "Name", "Description", "Owner", "Retention", "PartitionKeys", "TableType", "Parameters", "StorageDescriptor")}
        table_input["StorageDescriptor"]["Location"] = location
        table_input["Parameters"]["storage.location.template"] = location + f"{year}=${{{year}}}/{month}=${{{month}}}/"
        table_input["Parameters"][DATA_VERSION_PARAMETER] = RUN_ID
        glue.update_table(DatabaseName=ARGS["glue_database"], TableInput=table_input, VersionId=table["VersionId"])

    with runs.batch_writer() as batch:
        for (key, dataset_name, rows, rejects, refusal), (_, _, etag) in zip(results, objects):
            batch.put_item(Item={
                "pk": f"bookmark#{raw}", "sk": key, "key": key, "etag": etag, "runId": RUN_ID,
                "dataset": dataset_name, "outcome": "REFUSED" if refusal else "LOADED",
                "rowsIn": len(rows) + len(rejects), "processedAt": datetime.now(timezone.utc).isoformat(),
                **({"reason": refusal[0], "message": refusal[1]} if refusal else {}),
            })
            if refusal:
                summary["refused"].append({"key": key, "reason": refusal[0], "message": refusal[1]})
    runs.put_item(Item={"pk": f"run#{RUN_ID}", "sk": "summary", **json.loads(json.dumps(summary), parse_float=str)})
    job.commit()


if __name__ == "__main__":
    main()
