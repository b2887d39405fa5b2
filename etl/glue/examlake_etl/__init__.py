"""examlake's Glue job core: raw CSV exports to validated, deduplicated, partitioned Parquet with PySpark.

Every row is handled in DataFrames on executors; the driver holds only per-object and per-split metadata.
`run_job.run_job` is the entry the thin `etl/glue/transform.py` calls (under AWS Glue or plain spark-submit).
"""
