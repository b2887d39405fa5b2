import os from 'node:os';
import path from 'node:path';
import { localStackConfigFromEnv } from '../../../infra/cli/env';

describe('the local stack configuration from the environment', () => {
  it('uses the DuckDB Glue engine, the venv Python and a cache under the home directory by default', () => {
    const config = localStackConfigFromEnv({});
    expect({
      glueEngine: config.glueEngine,
      sparkPython: config.sparkPython,
      sparkDriverMemory: config.sparkDriverMemory,
      sparkIvyDir: config.sparkIvyDir,
    }).toEqual({
      glueEngine: 'duckdb',
      sparkPython: path.resolve('.venv/bin/python'),
      sparkDriverMemory: '1g',
      sparkIvyDir: path.join(os.homedir(), '.cache/examlake/spark-ivy'),
    });
  });

  it('reads the spark engine and its settings', () => {
    const config = localStackConfigFromEnv({
      EXAMLAKE_GLUE_ENGINE: 'spark',
      EXAMLAKE_SPARK_PYTHON: '/opt/venv/bin/python',
      EXAMLAKE_SPARK_DRIVER_MEMORY: '2g',
      EXAMLAKE_SPARK_IVY_DIR: '/var/cache/ivy',
    });
    expect([config.glueEngine, config.sparkPython, config.sparkDriverMemory, config.sparkIvyDir]).toEqual([
      'spark',
      '/opt/venv/bin/python',
      '2g',
      '/var/cache/ivy',
    ]);
  });

  it('refuses an unknown engine or driver memory, naming the variable', () => {
    expect(() => localStackConfigFromEnv({ EXAMLAKE_GLUE_ENGINE: 'emr' })).toThrow(
      "EXAMLAKE_GLUE_ENGINE must be one of duckdb, spark, got 'emr'.",
    );
    expect(() => localStackConfigFromEnv({ EXAMLAKE_SPARK_DRIVER_MEMORY: 'lots' })).toThrow(
      "EXAMLAKE_SPARK_DRIVER_MEMORY must be a JVM size such as 512m or 2g, got 'lots'.",
    );
  });
});
