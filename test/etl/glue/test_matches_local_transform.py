"""The Spark core and the local DuckDB transform, run on the same crafted exports, give the same object results,
counts, rejects (line for line) and curated rows, with the same Parquet types; also when Spark reads every
object in many tiny splits."""

import json

import pytest
from conftest import SECRET, STARTED_AT, run_core, write_raw_objects
from exports import checks_export, item_export, open_at_last_line_export, refused_exports, structural_export
from oracle import parquet_rows, start_oracle

FILES = {
    "exam_results/2025-09-a.csv": structural_export(),
    "exam_results/2025-09-b.csv": checks_export(),
    "exam_results/2025-09-c.csv": open_at_last_line_export(),
    "item_responses/items.csv": item_export(),
    **refused_exports(),
}


@pytest.fixture(scope="module")
def pending_oracle(tmp_path_factory):
    """The local transform on the files, started before the Spark runs and running beside them."""
    tmp = tmp_path_factory.mktemp("oracle")
    objects = write_raw_objects(tmp / "raw", FILES)
    return start_oracle(tmp, objects, "jr_test1", STARTED_AT, SECRET)


@pytest.fixture(scope="module")
def oracle(pending_oracle):
    return pending_oracle()


@pytest.fixture(scope="module")
def spark_run(spark, doc, tmp_path_factory, pending_oracle):
    return run_core(spark, doc, tmp_path_factory.mktemp("spark"), FILES)


def test_objects_are_accepted_or_refused_alike(spark_run, oracle):
    mine = [
        {"key": r["object"].key, "accepted": True, "dataset": r["dataset"], "rowsIn": r["rowsIn"]}
        if r["accepted"]
        else {"key": r["object"].key, "accepted": False, "reason": r["reason"], "message": r["message"]}
        for r in spark_run.objects
    ]
    assert mine == oracle["objects"]


@pytest.mark.parametrize("name", ["exam_results", "item_responses"])
def test_counts_match(spark_run, oracle, name):
    theirs = next(d for d in oracle["datasets"] if d["dataset"] == name)
    d = spark_run.dataset(name)
    mine = {
        "objects": d["objects"],
        "rowsIn": d["rowsIn"],
        "rejected": d["rejected"],
        "rejectReasons": d["rejectReasons"],
        "written": d["version"]["written"],
        "superseded": d["superseded"],
        "replaced": d["version"]["replaced"],
        "totalRows": d["version"]["totalRows"],
    }
    assert mine == {k: theirs[k] for k in mine}


@pytest.mark.parametrize("name", ["exam_results", "item_responses"])
def test_rejects_file_is_the_same_line_for_line(spark_run, oracle, name):
    theirs = next(d for d in oracle["datasets"] if d["dataset"] == name)["rejects"]
    mine = spark_run.rejects_text(name)
    assert [json.loads(x) for x in mine.splitlines()] == [json.loads(x) for x in theirs.splitlines()]
    assert mine == theirs


@pytest.mark.parametrize("name", ["exam_results", "item_responses"])
def test_curated_rows_and_parquet_types_are_the_same(spark_run, oracle, name):
    theirs = next(d for d in oracle["datasets"] if d["dataset"] == name)
    their_rows, their_schema = parquet_rows([f["localPath"] for f in theirs["files"]])
    mine_rows, my_schema = parquet_rows(spark_run.version_files(name))
    assert [(f.name, str(f.type)) for f in my_schema] == [(f.name, str(f.type)) for f in their_schema]
    assert mine_rows == their_rows
    # One file per partition, under the same year=YYYY/month=MM/ paths.
    partitions = sorted("/".join(p.split("/")[-3:-1]) for p in spark_run.version_files(name))
    assert partitions == sorted(f["relativePath"].rsplit("/", 1)[0] for f in theirs["files"])


@pytest.fixture(scope="module")
def split_run(spark, doc, tmp_path_factory):
    """The same exports read in splits of 200 bytes: every object spans many Spark splits."""
    spark.conf.set("spark.sql.files.maxPartitionBytes", "200")
    try:
        return run_core(spark, doc, tmp_path_factory.mktemp("split"), FILES)
    finally:
        spark.conf.unset("spark.sql.files.maxPartitionBytes")


def test_lines_and_records_are_the_same_when_objects_span_many_splits(split_run, oracle):
    for name in ("exam_results", "item_responses"):
        theirs = next(d for d in oracle["datasets"] if d["dataset"] == name)
        assert split_run.rejects_text(name) == theirs["rejects"]
        assert parquet_rows(split_run.version_files(name))[0] == parquet_rows([f["localPath"] for f in theirs["files"]])[0]
