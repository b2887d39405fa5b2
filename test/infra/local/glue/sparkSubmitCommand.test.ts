import { sparkSubmitCommand } from '../../../../infra/local/glue/spark/sparkSubmitCommand';
import { errorLine } from '../../../../infra/local/glue/spark/sparkSubmitJob';

const input = {
  runtime: {
    python: '/venv/bin/python',
    sparkHome: '/venv/pyspark',
    sparkSubmit: '/venv/pyspark/bin/spark-submit',
    pysparkVersion: '3.5.4',
    hadoopVersion: '3.3.4',
    java: 'java',
    javaMajorVersion: 17,
  },
  jobName: 'examlake-transform',
  jobRunId: 'jr_1',
  runArguments: { '--job-bookmark-option': 'job-bookmark-enable', '--reprocess-all': 'true', '--extra': 'x' },
  job: {
    rawBucket: 'raw',
    curatedBucket: 'curated',
    runsTable: 'runs',
    glueDatabase: 'examlake',
    studentKeySecretId: 'examlake/student-key',
  },
  script: '/repo/etl/glue/transform.py',
  pyFiles: '/scratch/examlake_etl.zip',
  schemaDocument: '/scratch/examlake-schema.json',
  scratchDir: '/scratch',
  driverMemory: '1g',
  ivyDir: '/ivy',
  endpoint: 'http://127.0.0.1:4566',
  region: 'us-east-1',
  credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
};

describe('the spark-submit command of a spark-engine run', () => {
  const previous = process.env;
  beforeAll(() => {
    process.env = { ...previous, AWS_PROFILE: 'production', AWS_SESSION_TOKEN: 'real', SPARK_HOME: '/elsewhere' };
  });
  afterAll(() => {
    process.env = previous;
  });

  it('runs the script on local[2] with hadoop-aws of PySpark’s Hadoop and s3a on the edge endpoint', () => {
    const { command, args } = sparkSubmitCommand(input);
    expect(command).toBe('/venv/pyspark/bin/spark-submit');
    expect(args.slice(0, 4)).toEqual(['--master', 'local[2]', '--name', 'examlake-transform']);
    expect(args).toEqual(expect.arrayContaining(['--driver-memory', '1g']));
    expect(args[args.indexOf('--packages') + 1]).toBe('org.apache.hadoop:hadoop-aws:3.3.4');
    const conf = args.flatMap((a, i) => (args[i - 1] === '--conf' ? [a] : []));
    expect(conf).toEqual(
      expect.arrayContaining([
        'spark.jars.ivy=/ivy',
        'spark.hadoop.fs.s3a.endpoint=http://127.0.0.1:4566',
        'spark.hadoop.fs.s3a.path.style.access=true',
        'spark.hadoop.fs.s3a.connection.ssl.enabled=false',
        'spark.hadoop.fs.s3a.access.key=test',
        'spark.hadoop.fs.s3a.change.detection.source=etag',
        'spark.hadoop.fs.s3.impl=org.apache.hadoop.fs.s3a.S3AFileSystem',
      ]),
    );
    expect(args[args.indexOf('--py-files') + 1]).toBe('/scratch/examlake_etl.zip');
    // Glue's defaults: fixed few partitions with adaptive execution off ran a 1M-row export out of a 1 GiB heap.
    expect(conf.filter((c) => /^spark\.sql\.(shuffle\.partitions|adaptive\.)/.test(c))).toEqual([]);
  });

  it('passes the job arguments Glue passes, overlaid with the run’s, the local --reprocess-all as --reprocess_all', () => {
    const { args } = sparkSubmitCommand(input);
    const scriptArgs = args.slice(args.indexOf('/repo/etl/glue/transform.py') + 1);
    expect(scriptArgs).toEqual([
      ...['--JOB_NAME', 'examlake-transform', '--JOB_RUN_ID', 'jr_1', '--raw_bucket', 'raw'],
      ...['--curated_bucket', 'curated', '--runs_table', 'runs', '--glue_database', 'examlake'],
      ...['--schema_document', '/scratch/examlake-schema.json', '--student_key_secret_id', 'examlake/student-key'],
      ...['--reprocess_all', 'true', '--storage_scheme', 's3a'],
      ...['--job-bookmark-option', 'job-bookmark-enable', '--extra', 'x'],
    ]);
  });

  it('reaches only the local stack: the edge endpoint and local credentials, no profile or session of the caller', () => {
    const { env } = sparkSubmitCommand(input);
    expect(env).toMatchObject({
      AWS_ENDPOINT_URL: 'http://127.0.0.1:4566',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
      SPARK_HOME: '/venv/pyspark',
      PYSPARK_PYTHON: '/venv/bin/python',
    });
    expect(env.AWS_PROFILE).toBeUndefined();
    expect(env.AWS_SESSION_TOKEN).toBeUndefined();
  });
});

describe('the error line of a failed run', () => {
  it('is the last line of a Python traceback, else the last ERROR line, else the last line', () => {
    const traceback = [
      'Traceback (most recent call last):',
      '  File "transform.py", line 3, in <module>',
      'examlake_etl.errors.ReconciliationError: exam_results does not reconcile',
      '26/12/03 12:00:00 INFO ShutdownHookManager: Shutdown hook called',
    ];
    expect(errorLine(traceback, 1, null)).toBe(
      'examlake_etl.errors.ReconciliationError: exam_results does not reconcile (spark-submit exit code 1)',
    );
    expect(errorLine(['a', '26/12/03 ERROR SparkContext: no memory', 'b'], 1, null)).toBe(
      '26/12/03 ERROR SparkContext: no memory (spark-submit exit code 1)',
    );
    expect(errorLine(['only this'], null, 'SIGKILL')).toBe('only this (spark-submit signal SIGKILL)');
    expect(errorLine([], 137, null)).toBe('spark-submit ended with exit code 137 and no output.');
  });

  it('names a JVM out-of-memory error first, not the executor shutdown that follows it', () => {
    const oom = [
      '26/12/03 14:20:02 ERROR Executor: Exception in task 9.0 in stage 28.0 (TID 81)',
      'java.lang.OutOfMemoryError: Java heap space',
      '\tat java.base/java.nio.HeapByteBuffer.<init>(HeapByteBuffer.java:64)',
      '26/12/03 14:20:02 ERROR Inbox: Ignoring error',
      'java.util.concurrent.RejectedExecutionException: Task rejected from pool[Shutting down]',
    ];
    expect(errorLine(oom, 1, null)).toMatch(/^java\.lang\.OutOfMemoryError: Java heap space \(first\); /);
  });

  it('keeps the root cause of a Java failure, never a stack frame or an elision such as "... 26 more"', () => {
    const py4j = [
      'Traceback (most recent call last):',
      '  File "transform.py", line 74, in <module>',
      'py4j.protocol.Py4JJavaError: An error occurred while calling o412.parquet.',
      ': org.apache.spark.SparkException: Job aborted due to stage failure: Task 0 in stage 12.0 failed 1 times',
      '\tat org.apache.spark.scheduler.DAGScheduler.failJobAndIndependentStages(DAGScheduler.scala:2856)',
      ...Array.from({ length: 300 }, (_, i) => `\tat frame${i}(Frame.java:${i})`),
      'Caused by: org.apache.spark.SparkException: Task failed while writing rows.',
      '\t... 3 more',
      'Caused by: java.io.IOException: No space left on device',
      '\tat java.base/java.io.FileOutputStream.writeBytes(Native Method)',
      '\t... 26 more',
      '',
      '26/12/03 12:00:00 INFO ShutdownHookManager: Shutdown hook called',
    ];
    expect(errorLine(py4j, 1, null)).toBe(
      'py4j.protocol.Py4JJavaError: An error occurred while calling o412.parquet.; ' +
        'root cause: java.io.IOException: No space left on device (spark-submit exit code 1)',
    );
    const javaOnly = [
      'Exception in thread "main" java.lang.IllegalStateException: x',
      '\tat a(A.java:1)',
      '\t... 26 more',
    ];
    expect(errorLine(javaOnly, 1, null)).toBe(
      'Exception in thread "main" java.lang.IllegalStateException: x (spark-submit exit code 1)',
    );
  });
});
