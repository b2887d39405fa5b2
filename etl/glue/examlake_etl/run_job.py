"""The job's core as one call (placeholder for the AWS orchestration, completed below)."""


def configure_session(spark):
    """Session settings the job's semantics rely on (UTC instants, non-ANSI casts, Parquet as the local output)."""
    spark.conf.set("spark.sql.session.timeZone", "UTC")
    spark.conf.set("spark.sql.ansi.enabled", "false")
    spark.conf.set("spark.sql.parquet.compression.codec", "snappy")
    spark.conf.set("spark.sql.parquet.outputTimestampType", "TIMESTAMP_MICROS")
    spark.conf.set("spark.sql.sources.partitionOverwriteMode", "static")
