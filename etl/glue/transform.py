"""examlake transform: the Glue job's entry (AWS Glue 5.0, or plain `spark-submit` against the local stack).

A thin shell: it reads the job's arguments (`awsglue.utils.getResolvedOptions` under Glue, argparse elsewhere),
builds the Spark session (GlueContext and Job under Glue, a plain SparkSession elsewhere) and plain boto3 clients
(`AWS_ENDPOINT_URL` and `AWS_REGION` reach the local stack), then runs `examlake_etl.run_job.run_job`, shipped
beside it as a zip (`--extra-py-files`). No Glue job bookmarks and no `transformation_ctx`: the job keeps its own
bookmarks in the runs table. See docs/etl.md, "The Glue job on AWS".

Arguments: --JOB_NAME --JOB_RUN_ID --raw_bucket --curated_bucket --runs_table --glue_database --schema_document
<path of the JSON file> --student_key_secret_id --reprocess_all true|false [--storage_scheme s3|s3a]
"""

import argparse
import sys

import boto3

from examlake_etl.run_job import run_job

REQUIRED = [
    "JOB_NAME",
    "JOB_RUN_ID",
    "raw_bucket",
    "curated_bucket",
    "runs_table",
    "glue_database",
    "schema_document",
    "student_key_secret_id",
    "reprocess_all",
]
OPTIONAL = {"storage_scheme": "s3"}


def parse_plain(argv):
    parser = argparse.ArgumentParser(prog="transform.py", description="examlake transform (PySpark)")
    for name in REQUIRED:
        parser.add_argument(f"--{name}", required=True)
    for name, default in OPTIONAL.items():
        parser.add_argument(f"--{name}", default=default)
    return vars(parser.parse_known_args(argv)[0])


def clients():
    return {name: boto3.client(name) for name in ("s3", "glue", "dynamodb", "secretsmanager")}


def main(argv):
    try:
        from awsglue.context import GlueContext
        from awsglue.job import Job
        from awsglue.utils import getResolvedOptions
    except ImportError:
        from pyspark.sql import SparkSession

        args = parse_plain(argv[1:])
        spark = SparkSession.builder.appName(args["JOB_NAME"]).getOrCreate()
        try:
            run_job(spark, args, clients())
        finally:
            spark.stop()
        return
    from pyspark.context import SparkContext

    optional = [name for name in OPTIONAL if f"--{name}" in argv]
    args = {**OPTIONAL, **getResolvedOptions(argv, REQUIRED + optional)}
    glue_context = GlueContext(SparkContext.getOrCreate())
    job = Job(glue_context)
    job.init(args["JOB_NAME"], args)
    run_job(glue_context.spark_session, args, clients())
    job.commit()


if __name__ == "__main__":
    main(sys.argv)
