"""A local stack of its own (free port, temp data dir) for the real Python clients: boto3, awswrangler, PyAthena.

Needs test/clients/requirements.txt: `.venv/bin/pip install -r test/clients/requirements.txt` (`.ci/run` does it).
Run with `.venv/bin/python -m pytest test/clients` (or `npm run test:python`).
"""

import io
import os
import signal
import socket
import subprocess
import tempfile
import time
import uuid

import pytest

try:
    import awswrangler  # noqa: F401
    import boto3  # noqa: F401
    import pyarrow  # noqa: F401
    import pyathena  # noqa: F401
except ImportError as err:  # fail loudly, never skip
    raise ImportError(
        f"{err}. The client suite needs its packages: .venv/bin/pip install -r test/clients/requirements.txt, "
        "then .venv/bin/python -m pytest test/clients"
    ) from err

from clients_setup import DATABASE, DATA_BUCKET, OUTPUT, REGION, RESULTS_BUCKET, ROOT, SCORES, WORKGROUP

STARTUP_SECONDS = 60


def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def endpoint():
    """Starts `examlake stack` on a free port with a temp data dir; the clients find it through AWS_ENDPOINT_URL."""
    data_dir = tempfile.mkdtemp(prefix="examlake-clients-")
    port = _free_port()
    env = {
        **os.environ,
        "EXAMLAKE_STACK_RECORD": os.path.join(data_dir, "stack-record.json"),
        "EXAMLAKE_STACK_HOST": "127.0.0.1",
    }
    log = open(os.path.join(data_dir, "stack.log"), "w+", encoding="utf-8")
    proc = subprocess.Popen(
        [
            "node",
            str(ROOT / "bin" / "examlake.js"),
            "stack",
            "--port",
            str(port),
            "--data-dir",
            os.path.join(data_dir, "d"),
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + STARTUP_SECONDS
    while True:
        log.seek(0)
        if "Local stack listening on" in log.read():
            break
        if proc.poll() is not None or time.monotonic() > deadline:
            proc.kill()
            log.seek(0)
            raise RuntimeError(f"the local stack did not start on port {port}:\n{log.read()}")
        time.sleep(0.2)
    saved = {k: os.environ.get(k) for k in _CLIENT_ENV}
    os.environ.update(
        {
            "AWS_ENDPOINT_URL": url,
            "AWS_REGION": REGION,
            "AWS_DEFAULT_REGION": REGION,
            "AWS_ACCESS_KEY_ID": "test",
            "AWS_SECRET_ACCESS_KEY": "test",
        }
    )
    for k in ("AWS_PROFILE", "AWS_SESSION_TOKEN"):
        os.environ.pop(k, None)
    yield url
    for k, v in saved.items():
        if v is None:
            os.environ.pop(k, None)
        else:
            os.environ[k] = v
    os.killpg(proc.pid, signal.SIGTERM)
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    log.close()
    subprocess.run(["rm", "-rf", data_dir], check=False)


_CLIENT_ENV = ("AWS_ENDPOINT_URL", "AWS_REGION", "AWS_DEFAULT_REGION", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY")


@pytest.fixture(scope="session")
def aws(endpoint):
    """Buckets, a Glue database and an enforced workgroup, made through boto3 as a user would on AWS."""
    import boto3

    session = boto3.Session(region_name=REGION)
    s3 = session.client("s3")
    for bucket in (DATA_BUCKET, RESULTS_BUCKET):
        s3.create_bucket(Bucket=bucket)
    session.client("glue").create_database(DatabaseInput={"Name": DATABASE})
    session.client("athena").create_work_group(
        Name=WORKGROUP,
        Configuration={"ResultConfiguration": {"OutputLocation": OUTPUT}, "EnforceWorkGroupConfiguration": True},
    )
    return session


@pytest.fixture(scope="session")
def scores(aws):
    """`clients.scores`: Parquet files in Hive layout (year=…), registered in Glue (table and partitions)."""
    import datetime as dt

    import pyarrow as pa
    import pyarrow.parquet as pq

    s3 = aws.client("s3")
    for year in (2025, 2026):
        rows = [r for r in SCORES if r[4] == year]
        table = pa.table(
            {
                "school_id": pa.array([r[0] for r in rows], pa.string()),
                "student": pa.array([r[1] for r in rows], pa.string()),
                "score": pa.array([r[2] for r in rows], pa.float64()),
                "sat_on": pa.array([dt.date.fromisoformat(r[3]) for r in rows], pa.date32()),
            }
        )
        buf = io.BytesIO()
        pq.write_table(table, buf)
        s3.put_object(Bucket=DATA_BUCKET, Key=f"scores/year={year}/part-0.parquet", Body=buf.getvalue())
    glue = aws.client("glue")
    glue.create_table(
        DatabaseName=DATABASE,
        TableInput={
            "Name": "scores",
            "TableType": "EXTERNAL_TABLE",
            "Parameters": {"classification": "parquet"},
            "PartitionKeys": [{"Name": "year", "Type": "int"}],
            "StorageDescriptor": {
                "Columns": [
                    {"Name": "school_id", "Type": "string"},
                    {"Name": "student", "Type": "string"},
                    {"Name": "score", "Type": "double"},
                    {"Name": "sat_on", "Type": "date"},
                ],
                "Location": f"s3://{DATA_BUCKET}/scores/",
                "InputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetInputFormat",
                "OutputFormat": "org.apache.hadoop.hive.ql.io.parquet.MapredParquetOutputFormat",
                "SerdeInfo": {"SerializationLibrary": "org.apache.hadoop.hive.ql.io.parquet.serde.ParquetHiveSerDe"},
            },
        },
    )
    # Without projection Athena reads the partitions registered in Glue, so register them as a job would.
    sd = glue.get_table(DatabaseName=DATABASE, Name="scores")["Table"]["StorageDescriptor"]
    added = glue.batch_create_partition(
        DatabaseName=DATABASE,
        TableName="scores",
        PartitionInputList=[
            {"Values": [str(year)], "StorageDescriptor": {**sd, "Location": f"s3://{DATA_BUCKET}/scores/year={year}/"}}
            for year in (2025, 2026)
        ],
    )
    assert not added.get("Errors"), added
    return "scores"


@pytest.fixture
def unique():
    """A fresh lower-case name for things a test creates (tables, prefixes)."""
    return f"t_{uuid.uuid4().hex[:12]}"
