import type { Command } from 'commander';
import { fetchS3aConnector } from '../../local/glue/spark/fetchS3aConnector';
import { locateSparkRuntime } from '../../local/glue/spark/SparkRuntime';
import { localStackConfigFromEnv } from '../env';

/**
 * `examlake spark-check`: finds what `EXAMLAKE_GLUE_ENGINE=spark` needs (Python with PySpark 3.5.4, Java 17) and
 * fetches the s3a connector into the Ivy cache, so the first spark-engine run does not wait for Maven Central.
 */
export function registerSparkCheckCommand(program: Command): void {
  program
    .command('spark-check')
    .description(
      'Check Python, PySpark and Java for EXAMLAKE_GLUE_ENGINE=spark and fetch the s3a connector (hadoop-aws) ' +
        'from Maven Central into the Ivy cache',
    )
    .action(async () => {
      const config = localStackConfigFromEnv(process.env);
      const runtime = await locateSparkRuntime(config.sparkPython);
      console.log(`Python ${runtime.python} with PySpark ${runtime.pysparkVersion} (Hadoop ${runtime.hadoopVersion})`);
      console.log(`Java ${runtime.javaMajorVersion} (${runtime.java})`);
      console.log(`Fetching the s3a connector into ${config.sparkIvyDir} …`);
      const jars = await fetchS3aConnector(runtime, config.sparkIvyDir);
      console.log(`Ready: ${jars.join(', ')}`);
    });
}
