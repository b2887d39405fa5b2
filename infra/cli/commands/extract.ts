import { type Command, Option } from 'commander';
import { stackRecordPathFromEnv } from '../env';
import { downloadExtract, ExtractFailedError } from '../extractDownload';
import { findRunningStack } from '../stackRecord';

interface ExtractFlags {
  dataset: string;
  format: 'parquet' | 'csv';
  out: string;
  token?: string;
  api?: string;
  columns?: string;
  schoolId?: string;
  districtId?: string;
  region?: string;
  subject?: string;
  from?: string;
  to?: string;
}

/**
 * `examlake extract`: one command from a token to files on disk (`POST /v1/extracts`, wait, download through the
 * pre-signed URLs). `--token` or `EXAMLAKE_TOKEN`; the API is `--api`, else the running stack's.
 */
export function registerExtractCommand(program: Command): void {
  program
    .command('extract')
    .description('Extract the rows your token may see (docs/api.md, Extracts) and download the files.')
    .requiredOption('--dataset <name>', 'exam_results or item_responses')
    .addOption(new Option('--format <format>', 'file format').choices(['parquet', 'csv']).default('parquet'))
    .requiredOption('--out <dir>', 'directory to download the files into')
    .option('--token <token>', 'bearer ID token (env EXAMLAKE_TOKEN; locally: npx examlake token …)')
    .option('--api <url>', 'the API base URL (default: the running local stack’s)')
    .option('--columns <names>', 'comma-separated columns (default: every column you may see)')
    .option('--school-id <id>')
    .option('--district-id <id>')
    .option('--region <name>')
    .option('--subject <name>')
    .option('--from <date>', 'first day of submitted_at, YYYY-MM-DD')
    .option('--to <date>', 'last day of submitted_at, YYYY-MM-DD')
    .action(async (flags: ExtractFlags) => {
      const token = flags.token ?? process.env['EXAMLAKE_TOKEN'];
      if (!token) throw new Error('Give a token: --token, or EXAMLAKE_TOKEN (locally: npx examlake token --role …).');
      const apiUrl = flags.api ?? (await findRunningStack(stackRecordPathFromEnv(process.env), undefined))?.apiUrl;
      if (!apiUrl) throw new Error('No running API found: start one with npm start, or give --api <url>.');
      const body = Object.fromEntries(
        Object.entries({
          dataset: flags.dataset,
          format: flags.format,
          columns: flags.columns?.split(',').map((c) => c.trim()),
          schoolId: flags.schoolId,
          districtId: flags.districtId,
          region: flags.region,
          subject: flags.subject,
          from: flags.from,
          to: flags.to,
        }).filter(([, v]) => v !== undefined),
      );
      try {
        const files = await downloadExtract({
          apiUrl,
          token,
          body,
          outDir: flags.out,
          progress: (line) => process.stderr.write(`${line}\n`),
        });
        for (const file of files) process.stdout.write(`${file}\n`);
      } catch (err) {
        if (!(err instanceof ExtractFailedError)) throw err;
        process.stderr.write(`${err.message}\n`);
        process.exitCode = 1;
      }
    });
}
