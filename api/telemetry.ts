import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import type { Tracer } from '@aws-lambda-powertools/tracer';
import { AuditLog } from './audit/AuditLog';

/** Powertools utilities, built once per cold start. */
export interface ApiTelemetry {
  readonly logger: Logger;
  readonly metrics: Metrics;
  readonly tracer: Tracer;
  /** The audit trail (its own JSON lines: no log level silences it). @default an `AuditLog` on stdout */
  readonly audit?: AuditLog;
}

/**
 * The API's Powertools utilities. The tracer is built on first use: loading it loads the X-Ray SDK, whose
 * context propagation (cls-hooked) installs async hooks that tax every promise of every request. On Lambda the
 * composition root uses it at once (`createApi` captures the SDK clients it builds, so traces show every AWS
 * call); the local API injects its own clients and never loads it.
 */
export function createTelemetry(logLevel: string): ApiTelemetry {
  const serviceName = 'examlake-api';
  let tracer: Tracer | undefined;
  return {
    logger: new Logger({ serviceName, logLevel: logLevel as 'INFO' }),
    metrics: new Metrics({ namespace: 'examlake', serviceName }),
    get tracer(): Tracer {
      if (!tracer) {
        const { Tracer: PowertoolsTracer } =
          require('@aws-lambda-powertools/tracer') as typeof import('@aws-lambda-powertools/tracer');
        tracer = new PowertoolsTracer({ serviceName });
      }
      return tracer;
    },
    audit: new AuditLog({ serviceName }),
  };
}
