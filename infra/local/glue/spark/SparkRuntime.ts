import { execFile } from 'node:child_process';
import { access, readdir } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The PySpark the Glue job is pinned to (AWS Glue 5.0; `etl/glue/requirements.txt`). */
export const PINNED_PYSPARK_VERSION = '3.5.4';

/** What to install, in the words of every missing-dependency message. */
export const SPARK_INSTALL_HINT =
  'Install them with `python3 -m venv .venv && .venv/bin/pip install -r etl/glue/requirements.txt` and a JDK 17 ' +
  '(Debian: `apt-get install openjdk-17-jdk-headless`), or set EXAMLAKE_SPARK_PYTHON to a Python that has ' +
  `pyspark==${PINNED_PYSPARK_VERSION}. Without EXAMLAKE_GLUE_ENGINE=spark the stack needs neither.`;

/** Python, PySpark or Java is missing for the spark engine: the message says what to install. */
export class SparkRuntimeMissingError extends Error {
  readonly code = 'SPARK_RUNTIME_MISSING';
  constructor(problem: string, options?: { cause?: unknown }) {
    super(
      `EXAMLAKE_GLUE_ENGINE=spark runs the Glue job script with PySpark and Java, but ${problem}. ${SPARK_INSTALL_HINT}`,
      options,
    );
    this.name = 'SparkRuntimeMissingError';
  }
}

/** Where the spark engine's tools are, found once when the stack starts. */
export interface SparkRuntime {
  /** The Python with pyspark, the driver's and the workers' Python. */
  readonly python: string;
  /** The pyspark package directory, which is a Spark distribution (`bin/spark-submit`, `jars/`). */
  readonly sparkHome: string;
  readonly sparkSubmit: string;
  readonly pysparkVersion: string;
  /** Hadoop version of PySpark's jars: the s3a connector (hadoop-aws) must be exactly this version. */
  readonly hadoopVersion: string;
  /** `java` spark-submit starts (`$JAVA_HOME/bin/java`, else the one on PATH) and its major version. */
  readonly java: string;
  readonly javaMajorVersion: number;
}

/**
 * Finds Python with PySpark 3.5.4 and Java 17 or newer, or throws {@link SparkRuntimeMissingError} naming what is
 * missing and how to install it. Touches nothing when the spark engine is not chosen (the caller decides).
 */
export async function locateSparkRuntime(python: string, env: NodeJS.ProcessEnv = process.env): Promise<SparkRuntime> {
  try {
    await access(python);
  } catch (err) {
    throw new SparkRuntimeMissingError(`there is no Python at ${python}`, { cause: err });
  }
  let stdout: string;
  try {
    ({ stdout } = await run(
      python,
      ['-c', 'import os, pyspark; print(pyspark.__version__); print(os.path.dirname(pyspark.__file__))'],
      {
        timeout: 30_000,
      },
    ));
  } catch (err) {
    throw new SparkRuntimeMissingError(`${python} cannot import pyspark`, { cause: err });
  }
  const [pysparkVersion = '', sparkHome = ''] = stdout.trim().split('\n');
  if (pysparkVersion !== PINNED_PYSPARK_VERSION) {
    throw new SparkRuntimeMissingError(
      `${python} has pyspark ${pysparkVersion}, and the job is pinned to ${PINNED_PYSPARK_VERSION} (Glue 5.0)`,
    );
  }
  const jars = await readdir(path.join(sparkHome, 'jars')).catch(() => [] as string[]);
  const hadoopVersion = jars.map((j) => /^hadoop-client-api-(\d+\.\d+\.\d+)\.jar$/.exec(j)?.[1]).find(Boolean);
  if (!hadoopVersion) {
    throw new SparkRuntimeMissingError(`the pyspark package at ${sparkHome} has no Hadoop client jars`);
  }
  const java = env.JAVA_HOME ? path.join(env.JAVA_HOME, 'bin', 'java') : 'java';
  let versionText: string;
  try {
    // `java -version` writes to stderr.
    ({ stderr: versionText } = await run(java, ['-version'], { timeout: 30_000 }));
  } catch (err) {
    throw new SparkRuntimeMissingError(
      `no Java runs as \`${java}\`${env.JAVA_HOME ? ' (from JAVA_HOME)' : ' (none on PATH)'}`,
      { cause: err },
    );
  }
  const match = /version "(\d+)(?:\.(\d+))?/.exec(versionText);
  const major = match ? (match[1] === '1' ? Number(match[2]) : Number(match[1])) : 0;
  if (major < 17) {
    throw new SparkRuntimeMissingError(`\`${java}\` is Java ${major || 'of an unknown version'}, older than 17`);
  }
  return {
    python,
    sparkHome,
    sparkSubmit: path.join(sparkHome, 'bin', 'spark-submit'),
    pysparkVersion,
    hadoopVersion,
    java,
    javaMajorVersion: major,
  };
}
