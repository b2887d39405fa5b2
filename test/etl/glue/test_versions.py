"""Versions across runs: a later run's rows replace the previous version's rows of the same key, the rest stay;
the DuckDB transform reading the Spark-written previous version agrees; running the same objects again changes
nothing; reprocess-all rebuilds from the run's objects alone."""

from datetime import datetime, timedelta, timezone

import pytest
from conftest import SECRET, STARTED_AT, RawObject, run_core
from exports import exam_header, exam_row
from oracle import parquet_rows, run_oracle

FIRST = {
    "exam_results/sept.csv": exam_header()
    + exam_row("V1")
    + exam_row("V2", submitted_at="2025-10-01T10:00:00Z", started_at="2025-10-01T09:00:00Z")
    + exam_row("V3", school_id="SCH-0", exam_id="EX0"),
}
SECOND = {
    "exam_results/corrections.csv": exam_header()
    + exam_row("V2", score="99", submitted_at="2025-10-01T10:00:00Z", started_at="2025-10-01T09:00:00Z")
    + exam_row("V4"),
    "exam_results/late.csv": exam_header() + exam_row("V4", score="77"),
}


@pytest.fixture(scope="module")
def runs(spark, doc, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("versions")
    first = run_core(spark, doc, tmp, FIRST, run_id="jr_first")
    previous = first.dataset("exam_results")["location"]
    second = run_core(spark, doc, tmp, SECOND, run_id="jr_second", previous=lambda name: previous)
    return first, second, tmp


def test_a_correction_replaces_the_previous_row_and_a_later_object_supersedes(runs):
    _, second, _ = runs
    d = second.dataset("exam_results")
    assert (d["rowsIn"], d["version"]["written"], d["superseded"], d["rejected"]) == (3, 2, 1, 0)
    assert (d["version"]["replaced"], d["version"]["totalRows"], d["version"]["partitions"]) == (1, 4, 2)
    rows = {r["result_id"]: r for r in second.rows("exam_results").collect()}
    assert sorted(rows) == ["V1", "V2", "V3", "V4"]
    assert str(rows["V2"]["score"]) == "99.00" and rows["V2"]["run_id"] == "jr_second"
    assert str(rows["V4"]["score"]) == "77.00" and rows["V4"]["source_file"] == "s3://raw/exam_results/late.csv"
    assert rows["V1"]["run_id"] == "jr_first"


def test_the_local_transform_on_the_spark_previous_version_gives_the_same_rows(runs):
    _, second, tmp = runs
    start = datetime(2026, 1, 1, tzinfo=timezone.utc)
    objects = [
        RawObject(k, f"etag{i}", start + timedelta(seconds=i), f"file://{tmp / 'raw' / k}", f"s3://raw/{k}")
        for i, k in enumerate(SECOND)
    ]
    first_files = sorted(str(p) for p in (tmp / "curated" / "exam_results" / "v=jr_first").rglob("*.parquet"))
    theirs = run_oracle(tmp, objects, "jr_second", STARTED_AT, SECRET, {"exam_results": first_files})
    d = next(x for x in theirs["datasets"] if x["dataset"] == "exam_results")
    assert (d["written"], d["superseded"], d["replaced"], d["totalRows"]) == (2, 1, 1, 4)
    assert parquet_rows(second.version_files("exam_results"))[0] == parquet_rows([f["localPath"] for f in d["files"]])[0]


def test_each_partition_file_is_sorted_by_the_sort_keys(runs):
    _, second, _ = runs
    import pyarrow.parquet as pq

    for path in second.version_files("exam_results"):
        rows = pq.ParquetFile(path).read(columns=["school_id", "exam_id"]).to_pylist()
        keys = [(r["school_id"], r["exam_id"]) for r in rows]
        assert keys == sorted(keys)


def test_running_the_same_objects_again_gives_the_same_rows(spark, doc, runs):
    first, second, tmp = runs
    again = run_core(
        spark, doc, tmp, SECOND, run_id="jr_third", previous=lambda name: second.dataset(name)["location"]
    )
    d = again.dataset("exam_results")
    assert (d["version"]["totalRows"], d["version"]["replaced"]) == (4, 2)
    before = sorted((r["result_id"], str(r["score"])) for r in second.rows("exam_results").collect())
    after = sorted((r["result_id"], str(r["score"])) for r in again.rows("exam_results").collect())
    assert after == before


def test_reprocess_all_ignores_the_previous_version(spark, doc, runs):
    _, second, tmp = runs
    rebuilt = run_core(
        spark, doc, tmp, SECOND, run_id="jr_rebuild", previous=lambda name: second.dataset(name)["location"],
        reprocess_all=True,
    )
    d = rebuilt.dataset("exam_results")
    assert (d["version"]["totalRows"], d["version"]["replaced"]) == (2, 0)
