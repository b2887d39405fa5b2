import type { IncomingMessage, ServerResponse } from 'node:http';
import type { LocalService } from '../edge/LocalService';
import type { ServiceContext } from '../edge/ServiceContext';
import type { GlueCatalogReader } from '../glue/GlueCatalogReader';
import type { S3ObjectFiles } from '../s3/S3ObjectFiles';

// INTERIM SHELL: replaced by the real implementation (issue 2).
export class AthenaService implements LocalService {
  readonly name = 'athena' as const;
  private constructor(readonly ctx: ServiceContext) {}
  static async create(
    ctx: ServiceContext,
    _deps: { catalog: GlueCatalogReader; objects: S3ObjectFiles },
  ): Promise<AthenaService> {
    return new AthenaService(ctx);
  }
  async handle(_req: IncomingMessage, res: ServerResponse): Promise<void> {
    res.writeHead(501).end();
  }
  async close(): Promise<void> {}
}
