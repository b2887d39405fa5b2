"""Where Spark's output directories become the files the contract names, for `s3`/`s3a` (boto3) or `file` paths.

Spark writes a directory of part files; the rejects are ONE object `rejects.jsonl`, so the single part is moved
to that name and the directory removed. Buckets and keys come from the job's arguments, not from the data.
"""

import os
import shutil
from urllib.parse import urlparse


class ObjectStore:
    """Moves the one part file of a Spark output directory to a name, and removes directories."""

    def __init__(self, s3_client=None):
        self._s3 = s3_client

    def move_single_part(self, directory, destination):
        src, dst = urlparse(directory), urlparse(destination)
        if src.scheme == "file":
            parts = [n for n in os.listdir(src.path) if n.startswith("part-")]
            if len(parts) != 1:
                raise RuntimeError(f"{directory} holds {len(parts)} part files, not 1")
            os.replace(os.path.join(src.path, parts[0]), dst.path)
            shutil.rmtree(src.path)
            return
        bucket, prefix = src.netloc, src.path.lstrip("/").rstrip("/") + "/"
        keys = [
            o["Key"]
            for page in self._s3.get_paginator("list_objects_v2").paginate(Bucket=bucket, Prefix=prefix)
            for o in page.get("Contents", [])
        ]
        parts = [k for k in keys if k[len(prefix) :].startswith("part-")]
        if len(parts) != 1:
            raise RuntimeError(f"{directory} holds {len(parts)} part files, not 1")
        self._s3.copy_object(
            Bucket=dst.netloc,
            Key=dst.path.lstrip("/"),
            CopySource={"Bucket": bucket, "Key": parts[0]},
            ContentType="application/x-ndjson",
            MetadataDirective="REPLACE",
        )
        for i in range(0, len(keys), 1000):
            self._s3.delete_objects(
                Bucket=bucket, Delete={"Objects": [{"Key": k} for k in keys[i : i + 1000]], "Quiet": True}
            )

    def remove_directory(self, directory):
        """Removes an output directory that was not committed (a failed run's leftovers may stay: orphans)."""
        src = urlparse(directory)
        if src.scheme == "file":
            shutil.rmtree(src.path, ignore_errors=True)
