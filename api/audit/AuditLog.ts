import type { Role } from '../http/openapiDocument';

export const AUDIT_DECISIONS = {
  /** Data (or a grant) was read or changed. */
  allow: 'allow',
  /** The request was refused: no or bad token, wrong role, out of scope, throttled. */
  deny: 'deny',
  /** The request failed on the server's side (5xx). */
  error: 'error',
} as const;
export type AuditDecision = keyof typeof AUDIT_DECISIONS;

/** One audit record: who asked for what, under which scope, and what came of it. */
export interface AuditRecord {
  readonly requestId: string;
  readonly operationId: string;
  readonly method: string;
  readonly path: string;
  /** The caller's `sub`; null for the public or when authentication failed. */
  readonly principal: string | null;
  readonly role: Role | null;
  readonly partnerId: string | null;
  /** Report id, or the partner whose grant was read or changed. */
  readonly resource: string | null;
  readonly scopeFingerprint: string | null;
  /** The query's cache key (the strong ETag of the answer), when there is one. */
  readonly cacheKey: string | null;
  readonly rowsReturned: number | null;
  readonly decision: AuditDecision;
  readonly status: number;
  /** For refusals: the problem code. For grant changes: what changed (`grant-created`, …). */
  readonly reason: string | null;
}

export interface AuditLogOptions {
  /** The `service` of every record. @default 'examlake-api' */
  readonly serviceName?: string;
  /** Where each record goes, one JSON line. @default `process.stdout` (the function's log group on AWS) */
  readonly write?: (line: string) => void;
  /**
   * Whether records carry the invocation's X-Ray trace id (read from `_X_AMZN_TRACE_ID` per record).
   * @default true on Lambda (`AWS_LAMBDA_FUNCTION_NAME` is set), false elsewhere
   */
  readonly traceIds?: boolean;
}

/**
 * The audit trail: one structured record per data access and per refusal, as one JSON line on stdout. On AWS
 * the lines land in the function's CloudWatch log group, where a metric filter or subscription on
 * `audit.decision` picks them out.
 *
 * The line has the shape of the API's Powertools log lines (`level`, `message`, `timestamp`, `service`,
 * `xray_trace_id`) with `log: "audit"` and the record under `audit`, nulls kept. It is written by this class,
 * not through a Logger: no log level, sampling or formatter setting can silence or reshape it, and it costs
 * a few microseconds on every request, cache hits included (the Powertools logger cost ~30 µs per hit).
 */
export class AuditLog {
  private readonly service: string;
  private readonly write: (line: string) => void;
  private readonly traceIds: boolean;

  constructor(options: AuditLogOptions = {}) {
    this.service = JSON.stringify(options.serviceName ?? 'examlake-api');
    this.write = options.write ?? ((line) => process.stdout.write(line));
    this.traceIds = options.traceIds ?? process.env['AWS_LAMBDA_FUNCTION_NAME'] !== undefined;
  }

  record(record: AuditRecord): void {
    const trace = this.traceIds ? xrayTraceId(process.env['_X_AMZN_TRACE_ID']) : undefined;
    this.write(
      `{"level":"INFO","message":${JSON.stringify(`audit ${record.decision} ${record.operationId}`)},` +
        `"timestamp":"${new Date().toISOString()}","service":${this.service},"log":"audit",` +
        `${trace === undefined ? '' : `"xray_trace_id":${JSON.stringify(trace)},`}"audit":${JSON.stringify(record)}}\n`,
    );
  }
}

/** The `Root` of Lambda's X-Ray trace header (`Root=1-…;Parent=…;Sampled=1`), as Powertools logs it. */
function xrayTraceId(header: string | undefined): string | undefined {
  if (!header) return undefined;
  return /(?:^|;)Root=([^;]+)/.exec(header)?.[1];
}
