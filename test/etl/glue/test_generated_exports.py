"""On a generated school year with 5 % bad rows of every kind (`npx examlake generate --variety`), the Spark core
and the local DuckDB transform give the same counts, the same rejects line for line and the same curated rows."""

import subprocess

import pytest
from conftest import ROOT, SECRET, STARTED_AT, run_core, write_raw_objects
from oracle import parquet_rows, start_oracle


@pytest.fixture(scope="module")
def generated(spark, doc, tmp_path_factory):
    tmp = tmp_path_factory.mktemp("generated")
    out = tmp / "exports"
    subprocess.run(
        ["npx", "examlake", "generate", "--schools", "1", "--seed", "glue", "--out", str(out), "--bad-rows", "0.05",
         "--variety"],
        cwd=ROOT, check=True, capture_output=True,
    )
    files = {str(p.relative_to(out)): p.read_bytes() for p in sorted(out.rglob("*.csv"))}
    objects = write_raw_objects(tmp / "oracle-raw", files)
    # The local transform runs beside the Spark core (its own copy of the files), not after it.
    oracle = start_oracle(tmp, objects, "jr_test1", STARTED_AT, SECRET)
    run = run_core(spark, doc, tmp, files)
    return run, oracle()


@pytest.mark.parametrize("name", ["exam_results", "item_responses"])
def test_generated_exports_give_the_local_transform_s_rejects_and_rows(generated, name):
    run, oracle = generated
    theirs = next(d for d in oracle["datasets"] if d["dataset"] == name)
    d = run.dataset(name)
    assert (d["rowsIn"], d["rejected"], d["rejectReasons"], d["superseded"], d["version"]["written"]) == (
        theirs["rowsIn"], theirs["rejected"], theirs["rejectReasons"], theirs["superseded"], theirs["written"]
    )
    assert run.rejects_text(name) == theirs["rejects"]
    assert parquet_rows(run.version_files(name))[0] == parquet_rows([f["localPath"] for f in theirs["files"]])[0]
