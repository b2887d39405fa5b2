import { rm } from 'node:fs/promises';
import type { Command } from 'commander';
import { bootstrapResources } from '../../local/bootstrap';
import { LOCAL_CREDENTIALS } from '../../local/config';
import { LocalStack } from '../../local/LocalStack';
import { wireEtl } from '../../local/wireEtl';
import { localStackConfigFromEnv } from '../env';
import { untilInterrupted } from './stack';

/** `examlake start` (`npm start`): the whole system on one machine until Ctrl-C. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description('Start the local stack, create the resources, load sample data and serve the API until Ctrl-C')
    .option('--port <port>', 'edge endpoint port (env EXAMLAKE_STACK_PORT, default 4566)')
    .option('--data-dir <dir>', 'where all state lives (env EXAMLAKE_DATA_DIR, default .data)')
    .option('--reset', 'wipe the data dir before starting')
    .action(async (options: { port?: string; dataDir?: string; reset?: boolean }) => {
      const config = localStackConfigFromEnv(process.env, options);
      if (options.reset) await rm(config.dataDir, { recursive: true, force: true });
      step('Starting the local stack');
      const stack = await LocalStack.create(config, (message) => console.log(`  ${message}`));
      wireEtl(stack);
      try {
        step(`Creating resources on ${stack.endpoint}`);
        await bootstrapResources({ endpoint: stack.endpoint, region: config.region, credentials: LOCAL_CREDENTIALS });
        console.log(`\nexamlake is running. Data in ${config.dataDir}.`);
        console.log(`  Local AWS endpoint: ${stack.endpoint}`);
        console.log(
          `  export AWS_ENDPOINT_URL=${stack.endpoint} AWS_REGION=${config.region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`,
        );
        console.log('Press Ctrl-C to stop.');
        await untilInterrupted();
        console.log('Stopping…');
      } finally {
        await stack.close();
      }
    });
}

function step(message: string): void {
  console.log(`▸ ${message}…`);
}
