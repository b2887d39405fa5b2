import { formattedText, integer, oneOf, text } from './Setting';

/** The engines the local Glue job can run the transform on. */
export const GLUE_ENGINES = ['duckdb', 'spark'] as const;
export type GlueEngine = (typeof GLUE_ENGINES)[number];

/**
 * Settings of the local stack and the CLI, each declared once; `infra/cli/env.ts` reads them and
 * `infra/local/config.ts` takes its defaults from them.
 */
export const LOCAL_STACK_SETTINGS = {
  host: text({
    env: 'EXAMLAKE_STACK_HOST',
    default: '127.0.0.1',
    unit: 'host',
    description: 'Interface the local stack edge endpoint binds to.',
  }),
  port: integer({
    env: 'EXAMLAKE_STACK_PORT',
    default: '4566',
    min: 0,
    max: 65535,
    unit: 'port',
    description:
      'Port of the local stack edge endpoint (S3, DynamoDB, Glue, Athena, Secrets Manager). `--port` overrides it.',
  }),
  dataDir: text({
    env: 'EXAMLAKE_DATA_DIR',
    default: '.data',
    unit: 'path',
    description: 'Directory holding all local state: objects, tables, catalog, job runs, query history, secrets.',
  }),
  stackRecord: text({
    env: 'EXAMLAKE_STACK_RECORD',
    default: '~/.cache/examlake/stack.json',
    unit: 'path',
    description:
      'Where `npm start` and `examlake stack` record the running stack (edge endpoint, API URL, data dir, pid), ' +
      'besides `<data dir>/stack.json`, so `examlake ingest` and `examlake token` find it without flags.',
  }),
  duckdbMemoryLimit: text({
    env: 'EXAMLAKE_DUCKDB_MEMORY_LIMIT',
    default: '1GB',
    unit: 'DuckDB size (e.g. 512MB, 2GB)',
    description: 'Memory one DuckDB engine (local Athena, local Glue job) may use before spilling to disk.',
  }),
  athenaQueryTimeoutMs: integer({
    env: 'EXAMLAKE_ATHENA_QUERY_TIMEOUT_MS',
    default: '300000',
    min: 1,
    unit: 'ms',
    description:
      'Longest one local Athena query may run; a query still running then is CANCELLED (StateChangeReason names this setting) and its engine slot freed.',
  }),
  glueEngine: oneOf({
    env: 'EXAMLAKE_GLUE_ENGINE',
    default: 'duckdb' as GlueEngine,
    unit: '`duckdb` or `spark`',
    description:
      'What the local Glue `StartJobRun` of the transform job runs: the DuckDB transform (Node alone), or the AWS ' +
      'job script `etl/glue/transform.py` under spark-submit (needs the Python venv of etl/glue/requirements.txt ' +
      'and a JDK 17; the stack refuses to start without them).',
    values: GLUE_ENGINES,
  }),
  sparkPython: text({
    env: 'EXAMLAKE_SPARK_PYTHON',
    default: '.venv/bin/python',
    unit: 'path',
    description:
      'Python with PySpark 3.5.4 installed (`etl/glue/requirements.txt`); its pyspark package provides spark-submit. ' +
      'Used only by the spark engine.',
  }),
  sparkDriverMemory: formattedText({
    env: 'EXAMLAKE_SPARK_DRIVER_MEMORY',
    default: '1g',
    unit: 'JVM size (e.g. 512m, 2g)',
    description:
      'spark-submit `--driver-memory` of a spark-engine job run (master `local[2]`: the driver is the executor).',
    pattern: /^\d+[kmgt]?$/i,
    like: 'a JVM size such as 512m or 2g',
  }),
  sparkIvyDir: text({
    env: 'EXAMLAKE_SPARK_IVY_DIR',
    default: '~/.cache/examlake/spark-ivy',
    unit: 'path',
    description:
      "Ivy cache of the s3a connector (hadoop-aws matching PySpark's Hadoop, and its aws-java-sdk-bundle) that " +
      'spark-submit downloads from Maven Central on the first spark-engine run (about 290 MB) and reuses after.',
  }),
} as const;
