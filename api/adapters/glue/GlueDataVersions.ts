import { EntityNotFoundException, GetTableCommand, type GlueClient } from '@aws-sdk/client-glue';
import { DATA_VERSION_PARAMETER } from '../../../etl/schemas/glueTableInput';
import { DatasetNotLoadedError, QueryUnavailableError } from '../../errors';
import type { DataVersions } from '../../ports/DataVersions';

/**
 * Data versions from the Glue catalog: the table parameter `examlake.data_version`, which the ETL sets to the
 * id of the run that last changed the table. Each is reused for `ttlMs` (a short time: a new load is seen
 * within it), and concurrent look-ups of one table share one GetTable call.
 */
export class GlueDataVersions implements DataVersions {
  private readonly cache = new Map<string, { version: Promise<string>; expiresAtMs: number }>();

  constructor(
    private readonly glue: GlueClient,
    private readonly database: string,
    private readonly ttlMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  versionOf(table: string): Promise<string> {
    const cached = this.cache.get(table);
    if (cached && cached.expiresAtMs > this.now()) return cached.version;
    const version = this.read(table);
    this.cache.set(table, { version, expiresAtMs: this.now() + this.ttlMs });
    version.catch(() => this.cache.delete(table));
    return version;
  }

  private async read(table: string): Promise<string> {
    try {
      const out = await this.glue.send(new GetTableCommand({ DatabaseName: this.database, Name: table }));
      const version = out.Table?.Parameters?.[DATA_VERSION_PARAMETER];
      // A table without the parameter was created outside the bootstrap/CDK: key its results by its update time.
      return version ?? `updated-${out.Table?.UpdateTime?.toISOString() ?? 'never'}`;
    } catch (err) {
      if (err instanceof EntityNotFoundException) throw new DatasetNotLoadedError(`${this.database}.${table}`, err);
      throw new QueryUnavailableError(
        `Could not read table ${this.database}.${table} from Glue; retry in 2 s.`,
        2,
        err,
      );
    }
  }
}
