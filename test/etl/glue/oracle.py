"""Runs the local (DuckDB) transform on the files of a test (localTransformOracle.ts through `npx tsx`) and compares
the Spark core's outputs with it: object results, counts, the rejects file line by line, and the curated rows."""

import json
import subprocess
from pathlib import Path

import pyarrow.parquet as pq

ROOT = Path(__file__).resolve().parents[3]


def run_oracle(tmp_path, objects, run_id, started_at, secret, previous_files=None):
    return start_oracle(tmp_path, objects, run_id, started_at, secret, previous_files)()


def start_oracle(tmp_path, objects, run_id, started_at, secret, previous_files=None):
    """Starts the local transform in the background (a Node process, beside the Spark run on the other core);
    the returned function waits for it and returns its outputs, failing with its stderr when it failed."""
    work = tmp_path / "oracle"
    work.mkdir(exist_ok=True)
    spec = {
        "objects": [
            {
                "key": o.key,
                "etag": o.etag,
                "lastModifiedMs": int(o.last_modified.timestamp() * 1000),
                "path": o.path.replace("file://", ""),
                "uri": o.uri,
            }
            for o in objects
        ],
        "previousFiles": previous_files or {},
        "runId": run_id,
        "startedAt": started_at.isoformat().replace("+00:00", "Z"),
        "secretHex": secret.hex(),
        "workDir": str(work),
    }
    spec_path = tmp_path / "oracle-spec.json"
    spec_path.write_text(json.dumps(spec))
    process = subprocess.Popen(
        ["npx", "tsx", "test/etl/glue/localTransformOracle.ts", str(spec_path)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )

    outputs = []

    def result():
        if not outputs:
            stdout, stderr = process.communicate()
            if process.returncode != 0:
                raise subprocess.CalledProcessError(process.returncode, process.args, stdout, stderr)
            outputs.append(json.loads(stdout))
        return outputs[0]

    return result


def parquet_rows(paths):
    """Every row of the Parquet files, as sorted tuples of (column, value) lists, and the Arrow schema."""
    rows, schema = [], None
    for p in paths:
        table = pq.ParquetFile(p).read()
        schema = table.schema
        rows.extend(tuple(sorted(r.items())) for r in table.to_pylist())
    return sorted(rows, key=repr), schema
