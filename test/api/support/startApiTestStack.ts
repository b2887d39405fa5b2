import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { AuditLog } from '../../../api/audit/AuditLog';
import type { ApiConfig } from '../../../api/config';
import type { Authenticator } from '../../../api/ports/Authenticator';
import type { ApiTelemetry } from '../../../api/telemetry';
import { bootstrapResources, bootstrapSecrets } from '../../../infra/local/bootstrap';
import type { GatewayTokenCheck } from '../../../infra/local/gateway/LocalGateway';
import { type LocalApi, startLocalApi } from '../../../infra/local/gateway/startLocalApi';
import { startTestStack, type TestStack } from '../../support/localStack';

/** A local stack with every resource bootstrapped and the API behind the local gateway on a free port. */
export interface ApiTestStack {
  readonly stack: TestStack;
  readonly api: LocalApi;
  readonly url: string;
  /** The audit trail's JSON lines, kept here instead of on the test run's stdout. */
  readonly auditLines: readonly string[];
  stop(): Promise<void>;
}

export interface ApiTestStackOptions {
  readonly settings?: Partial<ApiConfig>;
  readonly authenticator?: Authenticator;
  readonly checkToken?: GatewayTokenCheck;
  /** Create the resources of `infra/resources.ts` first (the secrets are created either way). @default true */
  readonly bootstrap?: boolean;
  /** Serve the web app at `/` (`startLocalApi`'s `webApp`). @default false */
  readonly webApp?: boolean;
}

export async function startApiTestStack(options: ApiTestStackOptions = {}): Promise<ApiTestStack> {
  const stack = await startTestStack();
  const auditLines: string[] = [];
  let api: LocalApi;
  try {
    // Without the resources, still the signing key: the API reads it at start.
    const seeds = { dataDir: stack.dataDir };
    if (options.bootstrap !== false) await bootstrapResources(stack.clientConfig, seeds);
    else await bootstrapSecrets(stack.clientConfig, seeds);
    api = await startLocalApi({
      port: 0,
      stackEndpoint: stack.endpoint,
      dataDir: stack.dataDir,
      settings: options.settings,
      authenticator: options.authenticator,
      checkToken: options.checkToken,
      webApp: options.webApp,
      telemetry: quietTelemetry(auditLines),
    });
  } catch (err) {
    await stack.stop();
    throw err;
  }
  return {
    stack,
    api,
    url: api.url,
    auditLines,
    async stop() {
      await api.close();
      await stack.stop();
    },
  };
}

/**
 * Powertools with logs at ERROR and the audit trail into `auditLines`: tests keep their output readable; metrics
 * still go through Powertools.
 */
export function quietTelemetry(auditLines: string[]): ApiTelemetry {
  return {
    audit: new AuditLog({ write: (line) => auditLines.push(line) }),
    logger: new Logger({ serviceName: 'examlake-api', logLevel: 'ERROR' }),
    metrics: new Metrics({ namespace: 'examlake', serviceName: 'examlake-api' }),
    tracer: new Tracer({ serviceName: 'examlake-api', enabled: false }),
  };
}
