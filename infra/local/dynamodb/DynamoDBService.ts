import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalService } from '../edge/LocalService';
import type { ServiceContext } from '../edge/ServiceContext';

// INTERIM SHELL: replaced by the real implementation (issue 2).
export class DynamoDBService implements LocalService {
  readonly name = 'dynamodb' as const;
  private constructor(readonly ctx: ServiceContext) {}
  static async create(ctx: ServiceContext): Promise<DynamoDBService> {
    return new DynamoDBService(ctx);
  }
  async handle(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.writeHead(501).end();
  }
  async close(): Promise<void> {}
}
