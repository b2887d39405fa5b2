import { type Command, InvalidArgumentError } from 'commander';
import { LOCAL_CREDENTIALS } from '../../local/config';
import { localStackConfigFromEnv, stackChoiceFromEnv, stackRecordPathFromEnv } from '../env';
import { answers, findRunningStack } from '../stackRecord';
import { uploadExports } from '../uploadExports';

interface IngestFlags {
  dataset?: string;
  port?: string;
  dataDir?: string;
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
    .option(
      '--port <port>',
      'edge endpoint port of the running stack (env EXAMLAKE_STACK_PORT; default: the port the running stack recorded, else 4566)',
    )
    .option('--data-dir <dir>', 'talk to the stack running on this data dir (env EXAMLAKE_DATA_DIR)')
    .option('--timeout-seconds <n>', 'how long to wait for the runs', positive, 600)
    .option('--no-wait', 'upload only; do not wait for the runs')
    .option('--no-progress', 'never show progress bars')
    .action(async (target: string, flags: IngestFlags) => {
      const endpoint = await stackEndpoint(process.env, flags);
      if (!endpoint) {
        process.exitCode = 1;
        return;
      }
      const stackConfig = localStackConfigFromEnv(process.env, { port: flags.port });
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

/**
 * The endpoint to upload to: `--port` / `EXAMLAKE_STACK_PORT` / `AWS_ENDPOINT_URL` when given; else the stack
 * running on `--data-dir` / `EXAMLAKE_DATA_DIR`, else the last stack started (their records); else the default
 * port. Undefined, after saying which flag to add, when nothing answers there.
 */
async function stackEndpoint(env: NodeJS.ProcessEnv, flags: IngestFlags): Promise<string | undefined> {
  const choice = stackChoiceFromEnv(env, flags);
  const record = choice.endpoint ? undefined : await findRunningStack(stackRecordPathFromEnv(env), choice.dataDir);
  const endpoint = choice.endpoint ?? record?.endpoint ?? choice.defaultEndpoint;
  if (await answers(endpoint)) {
    if (record) console.log(`Using the local stack on ${record.endpoint} (data in ${record.dataDir}).`);
    return endpoint;
  }
  console.error(
    `✗ No local stack answers on ${endpoint}. Start one with \`npm start\` (or \`npm run stack\`); if one runs on ` +
      'another port, add --port <port> (or --data-dir <its data dir>, or set EXAMLAKE_STACK_PORT).',
  );
  return undefined;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number of seconds ≥ 1 is expected.');
  return n;
}
