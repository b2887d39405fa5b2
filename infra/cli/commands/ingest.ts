import { type Command, InvalidArgumentError } from 'commander';
import { LOCAL_CREDENTIALS } from '../../local/config';
import { localStackConfigFromEnv } from '../env';
import { uploadExports } from '../uploadExports';

interface IngestFlags {
  dataset?: string;
  port?: string;
  timeoutSeconds: number;
  wait: boolean;
  progress?: boolean;
}

/** `examlake ingest <file|dir>`: upload exports to the raw bucket, wait for the runs, print their summary. */
export function registerIngestCommand(program: Command): void {
  program
    .command('ingest')
    .description(
      'Upload CSV exports (a file, or every .csv under a directory) to the raw bucket of the local stack, wait for ' +
        'the transform runs they trigger and print rows in / written / rejected / superseded per dataset',
    )
    .argument('<path>', 'a CSV file or a directory of them (e.g. the output of `examlake generate`)')
    .option('--dataset <name>', 'the dataset of every file (default: the folder name, else inferred from the header)')
    .option('--port <port>', 'edge endpoint port of the running stack (env EXAMLAKE_STACK_PORT, default 4566)')
    .option('--timeout-seconds <n>', 'how long to wait for the runs', positive, 600)
    .option('--no-wait', 'upload only; do not wait for the runs')
    .option('--no-progress', 'never show progress bars')
    .action(async (target: string, flags: IngestFlags) => {
      const stackConfig = localStackConfigFromEnv(process.env, { port: flags.port });
      const endpoint = process.env.AWS_ENDPOINT_URL ?? `http://${stackConfig.host}:${stackConfig.port}`;
      const outcome = await uploadExports(target, {
        clientConfig: { endpoint, region: stackConfig.region, credentials: { ...LOCAL_CREDENTIALS } },
        dataset: flags.dataset,
        wait: flags.wait,
        timeoutSeconds: flags.timeoutSeconds,
        progress: (flags.progress ?? true) && process.stderr.isTTY === true,
      });
      if (outcome.message) console.error(`${outcome.ok ? '' : '✗ '}${outcome.message}`);
      process.exitCode = outcome.ok ? 0 : 1;
    });
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of seconds ≥ 1 is expected.');
  return n;
}
