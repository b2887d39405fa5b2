import { execFile } from 'node:child_process';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import type { SparkRuntime } from './SparkRuntime';

const run = promisify(execFile);

/** The s3a connector as a Maven coordinate: hadoop-aws of exactly PySpark's Hadoop (it brings its AWS SDK bundle). */
export function s3aConnectorPackage(runtime: SparkRuntime): string {
  return `org.apache.hadoop:hadoop-aws:${runtime.hadoopVersion}`;
}

/**
 * Resolves the s3a connector into the Ivy cache the way every spark-engine run does (`spark-submit --packages`),
 * with a script that does nothing: downloads from Maven Central the first time, then only checks the cache.
 * `npx examlake spark-check` and `.ci/run` call it so that no job run waits for the download.
 * Resolves with the jar files in `<ivyDir>/jars`.
 */
export async function fetchS3aConnector(runtime: SparkRuntime, ivyDir: string): Promise<string[]> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-spark-fetch-'));
  try {
    const script = path.join(dir, 'noop.py');
    await writeFile(script, 'pass\n');
    const env = { ...process.env, SPARK_HOME: runtime.sparkHome, PYSPARK_PYTHON: runtime.python };
    try {
      await run(
        runtime.sparkSubmit,
        [
          '--master',
          'local[1]',
          '--conf',
          `spark.jars.ivy=${ivyDir}`,
          '--conf',
          'spark.ui.enabled=false',
          '--driver-java-options',
          `-Djava.io.tmpdir=${dir}`,
          '--packages',
          s3aConnectorPackage(runtime),
          script,
        ],
        { env, cwd: dir, timeout: 30 * 60_000, maxBuffer: 16 * 1024 * 1024 },
      );
    } catch (err) {
      const output = String((err as { stderr?: string }).stderr ?? '')
        .trim()
        .split('\n')
        .slice(-5)
        .join('\n');
      throw new Error(
        `Fetching ${s3aConnectorPackage(runtime)} from Maven Central into ${ivyDir} failed. Check the network ` +
          `(https://repo1.maven.org) or set EXAMLAKE_SPARK_IVY_DIR to a cache that has it.\n${output}`,
        { cause: err },
      );
    }
    return (await readdir(path.join(ivyDir, 'jars'))).filter((f) => f.endsWith('.jar')).sort();
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
