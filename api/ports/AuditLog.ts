import type { Role } from '../http/openapiDocument';

/** One read of data rows (DESIGN §5): who, what, under which scope, which result, how many rows. */
export interface DataAccessEvent {
  readonly principal: string;
  readonly role: Role;
  readonly operationId: string;
  readonly reportId: string | undefined;
  readonly scopeFingerprint: string;
  /** The cache key of the result read. */
  readonly key: string;
  readonly rowsReturned: number;
  readonly cache: 'hit' | 'miss' | 'join';
  readonly requestId: string;
}

/** Where every data access is recorded (a structured `data access` log line through Powertools by default). */
export interface AuditLog {
  record(event: DataAccessEvent): void;
}
