import { access, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { type Command, InvalidArgumentError } from 'commander';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import { bootstrapResources, LOCAL_RESOURCE_NAMES, type LocalClientConfig } from '../../local/bootstrap';
import { LOCAL_CREDENTIALS } from '../../local/config';
import { fileTelemetry } from '../../local/gateway/localTelemetry';
import { startLocalApi } from '../../local/gateway/startLocalApi';
import { LocalIssuer } from '../../local/identity/LocalIssuer';
import { roleTokens } from '../../local/identity/roleTokens';
import { LocalStack } from '../../local/LocalStack';
import { ensureDemoGrant, SAMPLE_DATA } from '../../local/sampleData';
import { wireEtl } from '../../local/wireEtl';
import { TRANSFORM_JOB } from '../../resources';
import { localStackConfigFromEnv, stackRecordPathFromEnv } from '../env';
import { writeStackRecord } from '../stackRecord';
import { uploadExports } from '../uploadExports';
import { untilInterrupted } from './stack';

interface StartFlags {
  port?: string;
  apiPort: number;
  dataDir?: string;
  reset?: boolean;
  schools: number;
  sample: boolean;
  logJson?: boolean;
}

/** `examlake start` (`npm start`): the whole system on one machine until Ctrl-C. */
export function registerStartCommand(program: Command): void {
  program
    .command('start')
    .description(
      'Start the local stack, create the resources, load sample data (first run only), serve the API, Swagger UI and the web app, ' +
        'and print a token per role; runs until Ctrl-C',
    )
    .option('--port <port>', 'edge endpoint port (env EXAMLAKE_STACK_PORT, default 4566)')
    .option('--api-port <port>', 'port of the REST API and Swagger UI', port, 3000)
    .option('--data-dir <dir>', 'where all state lives (env EXAMLAKE_DATA_DIR, default .data)')
    .option('--reset', 'wipe the data dir before starting (reloads the sample data)')
    .option('--schools <n>', 'schools in the generated sample data', positive, SAMPLE_DATA.schools)
    .option('--no-sample', 'do not generate and load sample data')
    .option(
      '--log-json',
      'print the JSON audit record and EMF metrics of each request on the terminal instead of <data dir>/logs/api.jsonl',
    )
    .action(async (flags: StartFlags) => {
      const config = localStackConfigFromEnv(process.env, flags);
      if (flags.reset) await rm(config.dataDir, { recursive: true, force: true });
      step(`Starting the local stack (data in ${config.dataDir})`);
      const stack = await LocalStack.create(config, (message) => console.log(`  ${message}`));
      let api: Awaited<ReturnType<typeof startLocalApi>> | undefined;
      let removeRecord: (() => Promise<void>) | undefined;
      const logs = flags.logJson ? undefined : fileTelemetry(config.dataDir);
      let welcomed = false;
      try {
        wireEtl(stack);
        const spark = stack.sparkRuntime;
        if (spark) {
          console.log(
            `  Glue engine: spark (PySpark ${spark.pysparkVersion}, Java ${spark.javaMajorVersion}): job runs run ` +
              `etl/glue/transform.py with spark-submit; the first one downloads hadoop-aws ${spark.hadoopVersion} ` +
              `into ${config.sparkIvyDir}`,
          );
        }
        const clientConfig = { endpoint: stack.endpoint, region: config.region, credentials: { ...LOCAL_CREDENTIALS } };
        step(`Creating buckets, tables, the Glue catalog, the job and the workgroup on ${stack.endpoint}`);
        await bootstrapResources(clientConfig, { dataDir: config.dataDir });
        if (flags.sample && !(await hasData(clientConfig))) {
          // Two school years, the earlier first, so the web app's overview compares this year with last.
          for (const year of SAMPLE_DATA.years) {
            const dir = path.join(config.dataDir, 'sample', String(year));
            step(
              `Generating sample exports of school year ${year}/${(year + 1) % 100} for ${flags.schools} schools into ${dir}`,
            );
            const summary = await generateSampleData(
              dir,
              { seed: SAMPLE_DATA.seed, badRows: SAMPLE_DATA.badRows, schools: flags.schools, year },
              { replace: true },
            );
            console.log(
              `  ${summary.rows.exam_results} exam results, ${summary.rows.item_responses} item responses ` +
                `(${summary.badRows} deliberately malformed rows) in ${summary.files.length} files`,
            );
            step('Loading them: upload to the raw bucket → ingest trigger → transform job → Parquet in the catalog');
            const outcome = await uploadExports(dir, {
              clientConfig,
              progress: process.stderr.isTTY === true,
              // A spark-submit run is slower than the DuckDB transform: wait as long as the job may run.
              timeoutSeconds: stack.sparkRuntime ? TRANSFORM_JOB.timeoutMinutes * 60 : undefined,
            });
            if (!outcome.ok) throw new Error(`Loading the sample data failed: ${outcome.message}`);
          }
        } else if (flags.sample) {
          console.log('  The raw bucket already holds exports; skipping the sample load (use --reset to reload).');
        }
        step(`Starting the API on port ${flags.apiPort}`);
        api = await startLocalApi({
          port: flags.apiPort,
          stackEndpoint: stack.endpoint,
          dataDir: config.dataDir,
          webApp: true,
          ...(logs ? { telemetry: logs.telemetry } : {}),
          // The start's own requests (the demo grant) are not the user's: lines begin after the welcome.
          onRequest: (line) => {
            if (welcomed) console.log(line);
          },
        });
        const issuer = await LocalIssuer.open(config.dataDir);
        const granted = await ensureDemoGrant(api.url, issuer);
        if (granted) console.log(`  ${granted}`);
        removeRecord = await writeStackRecord(
          { endpoint: stack.endpoint, apiUrl: api.url, dataDir: config.dataDir, region: config.region },
          stackRecordPathFromEnv(process.env),
        );
        await printWelcome(api.url, stack.endpoint, config.dataDir, config.region, issuer, logs?.file);
        welcomed = true;
        await untilInterrupted();
        console.log('Stopping…');
      } finally {
        await removeRecord?.();
        await api?.close();
        await logs?.close();
        await stack.close();
      }
    });
}

/** True when the raw bucket already holds exports (a previous start, or the user, loaded data). */
async function hasData(clientConfig: LocalClientConfig): Promise<boolean> {
  const s3 = new S3Client(clientConfig);
  try {
    const { KeyCount } = await s3.send(
      new ListObjectsV2Command({ Bucket: LOCAL_RESOURCE_NAMES.rawBucket, MaxKeys: 1 }),
    );
    return (KeyCount ?? 0) > 0;
  } finally {
    s3.destroy();
  }
}

async function printWelcome(
  apiUrl: string,
  endpoint: string,
  dataDir: string,
  region: string,
  issuer: LocalIssuer,
  logFile: string | undefined,
): Promise<void> {
  console.log(`\nexamlake is running.\n`);
  console.log(
    `  Web app         ${apiUrl}/   (sign in as a school administrator, a partner or an analyst; open data without)`,
  );
  console.log(
    `  Swagger UI      ${apiUrl}/docs   (Authorize: sign in through \`cognito\` choosing a role, or paste a token below)`,
  );
  console.log(`  Local sign-in   ${apiUrl}/.well-known/openid-configuration   (the local issuer as an OIDC provider)`);
  console.log(`  REST API        ${apiUrl}/v1`);
  console.log(`  AWS endpoint    ${endpoint}   (S3, DynamoDB, Glue, Athena)`);
  console.log(
    `                  export AWS_ENDPOINT_URL=${endpoint} AWS_REGION=${region} AWS_DEFAULT_REGION=${region} AWS_ACCESS_KEY_ID=test AWS_SECRET_ACCESS_KEY=test`,
  );
  const tokensFile = path.join(dataDir, 'tokens.env');
  console.log(`\nTokens (valid 12 h, also in ${tokensFile}; mint more with \`npx examlake token --role <role> …\`):`);
  const exports: string[] = [];
  for (const { role, token, command } of await roleTokens(issuer)) {
    exports.push(`export EXAMLAKE_TOKEN_${role.toUpperCase()}=${token}`);
    console.log(`\n  ${role} (${command}):\n  ${token}`);
  }
  await writeFile(tokensFile, `${exports.join('\n')}\n`, { mode: 0o600 });
  console.log('\nTry:');
  console.log(`  source ${tokensFile}`);
  console.log(`  curl -s ${apiUrl}/v1/health`);
  console.log(`  curl -s -H "Authorization: Bearer $EXAMLAKE_TOKEN_PARTNER" ${apiUrl}/v1/me`);
  console.log(
    `  curl -s -H "Authorization: Bearer $EXAMLAKE_TOKEN_ANALYST" '${apiUrl}/v1/reports/school-summary?schoolId=SCH-0001'`,
  );
  console.log(
    `  curl -s -H "Authorization: Bearer $EXAMLAKE_TOKEN_SCHOOL_ADMIN" '${apiUrl}/v1/reports/subject-trends?format=csv'`,
  );
  console.log(`  curl -s '${apiUrl}/v1/open/reports/attainment-by-area?year=2025&level=region&format=csv'`);
  try {
    await access(path.join(dataDir, 'sample', '_meta'));
    console.log(`\nSample exports and their sidecars (true item parameters, injected bad rows): ${dataDir}/sample`);
  } catch {
    // No sample data in this data dir.
  }
  console.log(
    logFile
      ? `\nPress Ctrl-C to stop. One line per request follows; the JSON audit records and metrics go to ${logFile}.`
      : '\nPress Ctrl-C to stop. One line per request follows, each with its JSON audit record and metrics.',
  );
}

function step(message: string): void {
  console.log(`▸ ${message}…`);
}

function port(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535)
    throw new InvalidArgumentError('a port number (0–65535) is expected.');
  return n;
}

function positive(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new InvalidArgumentError('a whole number ≥ 1 is expected.');
  return n;
}
