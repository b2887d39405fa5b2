import type { Logger } from '@aws-lambda-powertools/logger';
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

/**
 * The audit trail: one structured record per data access and per refusal, written through a Powertools
 * logger of its own (under the key `audit`, at its own level so `POWERTOOLS_LOG_LEVEL` never silences it). On AWS
 * the records land in the function's CloudWatch log group, where a metric filter or subscription on
 * `audit.decision` picks them out.
 */
export class AuditLog {
  constructor(private readonly logger: Logger) {}

  record(record: AuditRecord): void {
    // Nested: Powertools drops empty top-level keys, and an audit record keeps its nulls.
    this.logger.info(`audit ${record.decision} ${record.operationId}`, { audit: record });
  }
}
