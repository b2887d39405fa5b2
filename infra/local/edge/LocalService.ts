import type { IncomingMessage, ServerResponse } from 'node:http';

/** Names of the services the edge endpoint routes to. */
export const SERVICE_NAMES = ['s3', 'dynamodb', 'glue', 'athena', 'secretsmanager'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/** One emulated AWS service behind the edge endpoint. */
export interface LocalService {
  readonly name: ServiceName;
  /** Answers one HTTP request already routed to this service. Must never throw: errors are answered in the service's shape. */
  handle(req: IncomingMessage, res: ServerResponse): Promise<void>;
  /** Releases ports, files and engines. Idempotent. */
  close(): Promise<void>;
}
