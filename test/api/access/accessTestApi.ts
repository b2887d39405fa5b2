import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { AuditLog } from '../../../api/audit/AuditLog';
import type { ApiConfig } from '../../../api/config';
import { bootstrapResources } from '../../../infra/local/bootstrap';
import { type LocalApi, startLocalApi } from '../../../infra/local/gateway/startLocalApi';
import { LocalIssuer, type MintRequest } from '../../../infra/local/identity/LocalIssuer';
import { wireEtl } from '../../../infra/local/wireEtl';
import { startTestStack, type TestStack } from '../../support/localStack';

/**
 * The local stack (resources bootstrapped) and the API behind the local gateway, with tokens from the local
 * issuer and the audit trail captured from stdout.
 */
export interface AccessTestApi {
  readonly stack: TestStack;
  readonly api: LocalApi;
  readonly url: string;
  /** Every audit record written so far. */
  readonly audit: Record<string, unknown>[];
  /** An Authorization header with a freshly minted ID token. */
  bearer(mint: MintRequest): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

export interface AccessTestOptions {
  /** Wire the ETL (the upload trigger and the local Glue job), to load data through it. @default false */
  readonly etl?: boolean;
}

export async function startAccessTestApi(
  settings: Partial<ApiConfig> = {},
  options: AccessTestOptions = {},
): Promise<AccessTestApi> {
  const stack = await startTestStack();
  const unwire = options.etl ? wireEtl(stack.stack, { batchWindowMs: 100 }) : () => {};
  const audit: Record<string, unknown>[] = [];
  // The audit trail writes JSON lines to process.stdout: capture the audit records from the stream, pass the rest on.
  const write = process.stdout.write.bind(process.stdout);
  const capture = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk);
    if (!text.includes('"audit":{')) return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    for (const line of text.split('\n').filter(Boolean)) audit.push(JSON.parse(line).audit);
    return true;
  }) as typeof process.stdout.write);
  try {
    await bootstrapResources(stack.clientConfig);
    const issuer = await LocalIssuer.open(stack.dataDir);
    const api = await startLocalApi({
      port: 0,
      stackEndpoint: stack.endpoint,
      dataDir: stack.dataDir,
      settings,
      telemetry: {
        logger: new Logger({ serviceName: 'examlake-api', logLevel: 'ERROR' }),
        metrics: new Metrics({ namespace: 'examlake', serviceName: 'examlake-api' }),
        tracer: new Tracer({ serviceName: 'examlake-api', enabled: false }),
        audit: new AuditLog(),
      },
    });
    return {
      stack,
      api,
      url: api.url,
      audit,
      async bearer(mint) {
        return { authorization: `Bearer ${await issuer.mint(mint)}` };
      },
      async stop() {
        unwire();
        capture.mockRestore();
        await api.close();
        await stack.stop();
      },
    };
  } catch (err) {
    unwire();
    capture.mockRestore();
    await stack.stop();
    throw err;
  }
}
