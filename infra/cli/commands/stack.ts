import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { LocalStack } from '../../local/LocalStack';
import { wireEtl } from '../../local/wireEtl';
import { localStackConfigFromEnv, stackRecordPathFromEnv } from '../env';
import { writeStackRecord } from '../stackRecord';

/** `examlake stack`: the local stack in the foreground until Ctrl-C. */
export function registerStackCommands(program: Command): void {
  program
    .command('stack')
    .description('Run the local AWS-compatible stack (S3, DynamoDB, Glue, Athena) in the foreground until Ctrl-C')
    .option('--port <port>', 'edge endpoint port (env EXAMLAKE_STACK_PORT, default 4566)')
    .option('--data-dir <dir>', 'where all state lives (env EXAMLAKE_DATA_DIR, default .data)')
    .option('--reset', 'wipe the data dir before starting')
    .action(async (options: { port?: string; dataDir?: string; reset?: boolean }) => {
      const config = localStackConfigFromEnv(process.env, options);
      if (options.reset) {
        await rm(config.dataDir, { recursive: true, force: true });
        console.log(`Wiped ${config.dataDir}`);
      }
      const stack = await LocalStack.create(config, (message) => console.log(message));
      wireEtl(stack);
      console.log(`Local stack listening on ${stack.endpoint} (data in ${config.dataDir})`);
      console.log(
        `  export AWS_ENDPOINT_URL=${stack.endpoint} AWS_REGION=${config.region} AWS_DEFAULT_REGION=${config.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`,
      );
      const removeRecord = await writeStackRecord(
        { endpoint: stack.endpoint, apiUrl: null, dataDir: config.dataDir, region: config.region },
        stackRecordPathFromEnv(process.env),
      );
      console.log('Press Ctrl-C to stop.');
      await untilInterrupted();
      console.log('Stopping…');
      await removeRecord();
      await stack.close();
    });
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilInterrupted(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
