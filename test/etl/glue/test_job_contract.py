"""The job's shell and its use of the schema document: the entry parses the fixed argument names without awsglue,
every reason code the package names is declared in the document, and the package names no dataset column."""

import re
import subprocess
import sys
from pathlib import Path

from conftest import GLUE

PACKAGE = GLUE / "examlake_etl"


def test_the_entry_refuses_a_run_without_its_arguments_naming_them():
    out = subprocess.run(
        [sys.executable, str(GLUE / "transform.py"), "--JOB_NAME", "x"],
        capture_output=True,
        text=True,
        env={"PYTHONPATH": str(GLUE), "PATH": "/usr/bin:/bin"},
    )
    assert out.returncode == 2
    assert "--JOB_RUN_ID" in out.stderr and "--student_key_secret_id" in out.stderr


def test_the_entry_reads_the_optional_storage_scheme():
    sys.path.insert(0, str(GLUE))
    import transform

    names = transform.REQUIRED
    args = transform.parse_plain([f"--{n}={n}-value" for n in names] + ["--storage_scheme", "s3a"])
    assert args["storage_scheme"] == "s3a" and args["reprocess_all"] == "reprocess_all-value"
    assert transform.parse_plain([f"--{n}=v" for n in names])["storage_scheme"] == "s3"


def test_every_reason_code_the_package_names_is_in_the_schema_document(doc):
    source = "\n".join(p.read_text() for p in PACKAGE.glob("*.py"))
    # Upper-case words in quotes that are not reason codes: job arguments, states, Spark types, error codes.
    others = {
        "JOB_NAME", "JOB_RUN_ID", "REPLACE", "COMMITTED", "LOADED", "REFUSED", "SCHEMA_DOCUMENT",
        "RECONCILIATION_FAILED", "COMMIT_CONFLICT", "ETL_FAILED", "TIMESTAMP", "TIMESTAMP_NTZ", "TIMESTAMP_MICROS",
        "BOOLEAN", "STRING", "BIGINT", "DOUBLE",
    }
    named = set(re.findall(r"['\"]([A-Z][A-Z_]{5,})['\"|]", source)) - others
    assert named, "no reason code found: the pattern is wrong"
    assert sorted(named - set(doc.reasons)) == []


def test_the_package_names_no_dataset_column(doc):
    source = "\n".join(p.read_text() for p in Path(PACKAGE).glob("*.py"))
    lineage = set(doc.lineage_columns)
    for dataset in doc.datasets.values():
        for col in dataset["columns"]:
            if col["name"] in lineage:
                continue
            assert not re.search(rf"['\"]{re.escape(col['name'])}['\"]", source), col["name"]
