import { execFile } from 'node:child_process';
import { LOCAL_CREDENTIALS } from '../../infra/local/config';

export interface AwsCliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
  /** stdout parsed as JSON when it is JSON, else undefined. */
  readonly json: unknown;
}

/**
 * Runs the real AWS CLI (`aws`, installed by `.ci/run`) against a local stack: region and the fixed local
 * credentials come from the environment; the endpoint is also passed as `--endpoint-url`, because Debian's
 * awscli predates `AWS_ENDPOINT_URL` support.
 */
export function runAwsCli(endpoint: string, args: readonly string[], region = 'us-east-1'): Promise<AwsCliResult> {
  const env = {
    ...process.env,
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
    AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
    AWS_PAGER: '',
    AWS_CONFIG_FILE: '/dev/null',
    AWS_SHARED_CREDENTIALS_FILE: '/dev/null',
  };
  return new Promise((resolve, reject) => {
    execFile(
      'aws',
      ['--output', 'json', '--endpoint-url', endpoint, ...args],
      { env, maxBuffer: 64 * 1024 * 1024 },
      (err, stdout, stderr) => {
        if (err && (err as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(new Error('The AWS CLI (`aws`) is not installed. Run `bash .ci/run` or `apt-get install awscli`.'));
          return;
        }
        const code = err ? Number((err as { code?: number }).code ?? 1) : 0;
        let json: unknown;
        try {
          json = stdout.trim() ? JSON.parse(stdout) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ code, stdout, stderr, json });
      },
    );
  });
}
