import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalService } from '../edge/LocalService';
import type { ServiceContext } from '../edge/ServiceContext';
import type { S3ObjectFiles } from './S3ObjectFiles';

// INTERIM SHELL: replaced by the real implementation (issue 2).
export class S3Service implements LocalService {
  readonly name = 's3' as const;
  readonly files: S3ObjectFiles = { list: async () => [], stat: async () => undefined };
  private constructor(readonly ctx: ServiceContext) {}
  static async create(ctx: ServiceContext): Promise<S3Service> {
    return new S3Service(ctx);
  }
  async handle(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.writeHead(501).end();
  }
  async close(): Promise<void> {}
}
