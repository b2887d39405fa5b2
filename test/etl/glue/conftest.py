"""One local[2] SparkSession (UTC) for the Glue job's tests, and a helper that runs the job's core on real files.

Needs the pinned Python side: `python3 -m venv .venv && .venv/bin/pip install -r etl/glue/requirements.txt`
(and Java 17). Run with `.venv/bin/python -m pytest test/etl/glue`.
"""

import json
import os
import subprocess
import sys
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
GLUE = ROOT / "etl" / "glue"

try:
    import pyarrow  # noqa: F401
    import pyspark  # noqa: F401
except ImportError as err:  # fail loudly, never skip
    raise ImportError(
        f"{err}. The Glue job tests need PySpark: python3 -m venv .venv && "
        ".venv/bin/pip install -r etl/glue/requirements.txt (and Java 17), then .venv/bin/python -m pytest test/etl/glue"
    ) from err

sys.path.insert(0, str(GLUE))
os.environ["PYTHONPATH"] = os.pathsep.join(filter(None, [str(GLUE), os.environ.get("PYTHONPATH")]))
os.environ["PYSPARK_PYTHON"] = sys.executable
os.environ["PYSPARK_DRIVER_PYTHON"] = sys.executable

from examlake_etl.object_store import ObjectStore  # noqa: E402
from examlake_etl.run_job import configure_session  # noqa: E402
from examlake_etl.schema_document import SchemaDocument  # noqa: E402
from examlake_etl.transform_objects import RawObject, transform_objects  # noqa: E402

SECRET = bytes(range(32))


@pytest.fixture(scope="session")
def spark():
    from pyspark.sql import SparkSession

    session = (
        SparkSession.builder.master("local[2]")
        .appName("examlake-glue-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.shuffle.partitions", "4")
        # Inputs here are a few rows: 4 partitions and no adaptive re-planning at every shuffle keep a test run
        # short. The local spark engine runs the job with Glue's defaults (200 partitions, adaptive), which large
        # exports need (sparkSubmitCommand.ts).
        .config("spark.sql.adaptive.enabled", "false")
        .config("spark.driver.memory", "1g")
        .getOrCreate()
    )
    configure_session(session)
    session.sparkContext.setLogLevel("ERROR")
    yield session
    session.stop()


@pytest.fixture(scope="session")
def doc():
    """The schema document as `npx examlake schema json` prints it (generated once per test session)."""
    out = subprocess.run(
        ["npx", "examlake", "schema", "json"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    return SchemaDocument(json.loads(out))


class Run:
    """What one run of the core produced: object results, dataset results, the rejects and the curated rows."""

    def __init__(self, spark, objects, datasets, curated, inputs):
        self.spark, self.objects, self.datasets, self.curated = spark, objects, datasets, curated
        self.inputs = inputs

    def dataset(self, name):
        return next(d for d in self.datasets if d["dataset"]["name"] == name)

    def rejects_text(self, name):
        location = self.dataset(name)["rejectsLocation"]
        if location is None:
            return ""
        return (Path(location.replace("file://", "")) / "rejects.jsonl").read_text(encoding="utf-8")

    def version_files(self, name):
        location = self.dataset(name)["location"]
        return sorted(str(p) for p in Path(location.replace("file://", "")).rglob("*.parquet"))

    def rejects(self, name):
        location = self.dataset(name)["rejectsLocation"]
        if location is None:
            return []
        path = Path(location.replace("file://", "")) / "rejects.jsonl"
        return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]

    def rows(self, name):
        location = self.dataset(name)["location"]
        return self.spark.read.option("basePath", location).parquet(location)


STARTED_AT = datetime(2026, 12, 3, 12, 0, 0, 123456, tzinfo=timezone.utc)


def write_raw_objects(raw, files):
    """Writes `files` (key -> bytes) under `raw`; their RawObjects, LastModified one second apart in the given order."""
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    objects = []
    for i, (key, data) in enumerate(files.items()):
        path = raw / key
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        objects.append(RawObject(key, f"etag{i}", start + timedelta(seconds=i), f"file://{path}", f"s3://raw/{key}"))
    return objects


def run_core(spark, doc, tmp_path, files, run_id="jr_test1", previous=None, reprocess_all=False):
    """Writes `files` (key -> bytes, LastModified in the given order) under tmp_path/raw and runs the core."""
    curated = tmp_path / "curated"
    curated.mkdir(exist_ok=True)
    objects = write_raw_objects(tmp_path / "raw", files)
    object_results, dataset_results = transform_objects(
        spark,
        doc,
        objects,
        run_id,
        STARTED_AT,
        SECRET,
        f"file://{curated}",
        (lambda name: None) if reprocess_all or previous is None else previous,
        ObjectStore(),
    )
    return Run(spark, object_results, dataset_results, curated, objects)
