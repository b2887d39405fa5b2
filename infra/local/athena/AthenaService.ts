import path from 'node:path';
import { AwsServiceError } from '../edge/AwsServiceError';
import { InputReader } from '../edge/InputReader';
import { type ActionHandler, type ActionInput, JsonProtocolService } from '../edge/JsonProtocolService';
import type { ServiceContext } from '../edge/ServiceContext';
import type { GlueCatalogReader } from '../glue/GlueCatalogReader';
import type { GlueCatalogWriter } from '../glue/GlueCatalogWriter';
import type { S3ObjectStore } from '../s3/S3ObjectFiles';
import { invalidRequest } from './athenaErrors';
import { CachedObjectFiles } from './CachedObjectFiles';
import {
  DATA_CATALOG_NAME,
  databaseWire,
  entityNotFound,
  requireDataCatalog,
  tableMetadataFilter,
  tableMetadataWire,
} from './catalogMetadata';
import { LocalQueryEngine } from './LocalQueryEngine';
import { QueryExecutions } from './QueryExecutions';
import { queryExecutionWire, seconds } from './queryExecutionWire';
import { ResultPagesCache } from './ResultPagesCache';
import { parseResultCsv } from './resultCsv';
import { type ResultReader, resultObjects } from './resultObjects';
import { parseResultText } from './resultText';
import { ATHENA_CATALOG } from './StatementResult';
import { isFinal } from './StoredQueryExecution';
import { TableWritingQueryRunner } from './TableWritingQueryRunner';
import { parseS3Location } from './tableSource';
import { UnloadingQueryRunner } from './UnloadingQueryRunner';
import { PRIMARY_WORKGROUP, type WorkGroupConfiguration, WorkGroups } from './WorkGroups';

/**
 * Longest GetQueryExecution holds its answer about a RUNNING query, answering as soon as the query ends (a
 * client's next poll then needs no wait); after it, the answer says RUNNING as usual. Athena's own answers take
 * tens of milliseconds, so no client can tell; the local stack is spared a poll every few milliseconds competing
 * with DuckDB for the CPU, and a client polling at long intervals sees a short query's end at once.
 * @default 50
 */
export const RUNNING_ANSWER_HOLD_MS = 50;

/** Most rows GetQueryResults returns in one page (Athena's limit). */
export const MAX_RESULTS_PER_PAGE = 1000;
const NO_OUTPUT_LOCATION =
  'No output location provided. An output location is required either through the Workgroup result configuration setting or as an API input.';
const WORKGROUP_NAME = /^[a-zA-Z0-9._-]{1,128}$/;

/**
 * The local Athena service on the edge endpoint (`X-Amz-Target: AmazonAthena.<Action>`, JSON 1.1): workgroups,
 * query executions run in DuckDB over the Glue catalog's tables (LocalQueryEngine), and results written to S3
 * as Athena writes them. State lives in `<dataDir>/athena/`: `workgroups.json`, `queries.json`, `spill/`.
 */
export class AthenaService extends JsonProtocolService {
  readonly name = 'athena' as const;
  protected readonly targetPrefix = 'AmazonAthena';
  protected readonly invalidInputType = 'InvalidRequestException';
  protected readonly actions: Readonly<Record<string, ActionHandler>>;
  private closed = false;

  private constructor(
    private readonly ctx: ServiceContext,
    private readonly engine: LocalQueryEngine,
    private readonly unloads: UnloadingQueryRunner,
    private readonly workGroups: WorkGroups,
    private readonly executions: QueryExecutions,
    private readonly results: ResultReader,
    private readonly objects: CachedObjectFiles,
    private readonly pages: ResultPagesCache,
    private readonly catalog: GlueCatalogReader,
  ) {
    super((err) => ctx.log(`athena: unexpected error: ${err instanceof Error ? err.stack : String(err)}`));
    this.actions = this.bindActions();
  }

  static async create(
    ctx: ServiceContext,
    deps: { catalog: GlueCatalogReader & GlueCatalogWriter; objects: S3ObjectStore },
  ): Promise<AthenaService> {
    const objects = new CachedObjectFiles(deps.objects, ctx.events);
    const pages = new ResultPagesCache();
    const engine = await LocalQueryEngine.create({
      catalog: deps.catalog,
      objects,
      memoryLimit: ctx.config.duckdbMemoryLimit,
      spillDir: path.join(ctx.stateDir, 'spill'),
    });
    const results = resultObjects(deps.objects);
    const unloads = new UnloadingQueryRunner(engine, deps.objects, path.join(ctx.stateDir, 'unload'));
    try {
      const workGroups = await WorkGroups.open(ctx.stateDir);
      const executions = await QueryExecutions.open(ctx.stateDir, {
        runner: new TableWritingQueryRunner(unloads, deps.catalog, deps.objects),
        writer: results,
        concurrency: ctx.config.athenaConcurrentQueries,
        queryTimeoutMs: ctx.config.athenaQueryTimeoutMs,
        log: ctx.log,
        onResult: (id, rows) => pages.set(id, rows),
      });
      return new AthenaService(ctx, engine, unloads, workGroups, executions, results, objects, pages, deps.catalog);
    } catch (err) {
      objects.close();
      await unloads.close();
      await engine.close();
      throw err;
    }
  }

  /** Interrupts running queries (they end CANCELLED), writes the history and closes DuckDB. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.executions.close();
    await this.workGroups.settle();
    await this.engine.close();
    await this.unloads.close();
    this.objects.close();
  }

  private bindActions(): Record<string, ActionHandler> {
    const action = (fn: (input: InputReader) => Promise<unknown> | unknown): ActionHandler => {
      return async (input: ActionInput) => {
        try {
          return await fn(new InputReader(input, this.invalidInputType));
        } catch (err) {
          // A member failing validation is INVALID_INPUT, as Athena's other InvalidRequestExceptions are.
          if (
            err instanceof AwsServiceError &&
            err.type === 'InvalidRequestException' &&
            !('AthenaErrorCode' in err.fields)
          ) {
            throw new AwsServiceError(err.type, err.message, err.status, {
              ...err.fields,
              AthenaErrorCode: 'INVALID_INPUT',
            });
          }
          if (err instanceof AwsServiceError) throw err;
          this.ctx.log(`athena: ${err instanceof Error ? err.stack : String(err)}`);
          const reason = err instanceof Error ? err.message : String(err);
          throw new AwsServiceError('InternalServerException', `The local Athena service failed: ${reason}`, 500);
        }
      };
    };
    const queryId = (input: InputReader) => input.string('QueryExecutionId', { minLength: 1, maxLength: 128 });
    const workGroupName = (input: InputReader, member: string) => {
      const name = input.optionalString(member, { minLength: 1, maxLength: 128 });
      if (name !== undefined && !WORKGROUP_NAME.test(name)) {
        throw invalidRequest(
          `1 validation error detected: Value '${name}' at '${member.charAt(0).toLowerCase()}${member.slice(1)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9._-]{1,128}`,
        );
      }
      return name;
    };
    return {
      StartQueryExecution: action((input) => {
        const query = input.string('QueryString', { minLength: 1, maxLength: 262_144 });
        const token = input.optionalString('ClientRequestToken', { minLength: 32, maxLength: 128 });
        const groupName = workGroupName(input, 'WorkGroup') ?? PRIMARY_WORKGROUP;
        const context = input.optionalObject('QueryExecutionContext');
        // Athena reads the context's database as an identifier: `examlake` (backquoted, as awswrangler sends it for
        // DESCRIBE and SHOW CREATE TABLE) names examlake.
        const database = context
          ?.optionalString('Database', { minLength: 1, maxLength: 255 })
          ?.replace(/^`([^`]+)`$/, '$1');
        const catalog = context?.optionalString('Catalog', { minLength: 1, maxLength: 256 }) ?? ATHENA_CATALOG;
        const requested = input.optionalObject('ResultConfiguration')?.optionalString('OutputLocation');
        const parameters = input.optionalStringArray('ExecutionParameters', { minItems: 1 });
        const group = this.workGroups.get(groupName);
        if (group.State !== 'ENABLED') throw invalidRequest(`WorkGroup ${groupName} is disabled.`);
        const configured = group.Configuration.ResultConfiguration?.OutputLocation;
        const location = group.Configuration.EnforceWorkGroupConfiguration
          ? (configured ?? requested)
          : (requested ?? configured);
        if (!location) throw invalidRequest(NO_OUTPUT_LOCATION);
        if (!parseS3Location(location)?.bucket) {
          throw invalidRequest(`The output location ${location} is not an S3 location (s3://bucket/prefix/).`);
        }
        const record = this.executions.start({
          query,
          workGroup: groupName,
          database,
          catalog,
          executionParameters: parameters,
          outputPrefix: location.endsWith('/') ? location : `${location}/`,
          clientRequestToken: token,
          bytesScannedCutoff: group.Configuration.BytesScannedCutoffPerQuery,
        });
        return { QueryExecutionId: record.id };
      }),
      GetQueryExecution: action(async (input) => {
        const id = queryId(input);
        // An unknown id settles at once; `get` then answers InvalidRequestException.
        await this.executions.settled(id, RUNNING_ANSWER_HOLD_MS);
        return { QueryExecution: queryExecutionWire(this.executions.get(id)) };
      }),
      BatchGetQueryExecution: action((input) => {
        const ids = input.stringArray('QueryExecutionIds', { minItems: 1, maxItems: 50 });
        const found = ids.map((id) => this.executions.find(id));
        return {
          QueryExecutions: found.filter((r) => r !== undefined).map(queryExecutionWire),
          UnprocessedQueryExecutionIds: ids
            .filter((_, i) => found[i] === undefined)
            .map((id) => ({
              QueryExecutionId: id,
              ErrorCode: 'INVALID_INPUT',
              ErrorMessage: `QueryExecution ${id} was not found`,
            })),
        };
      }),
      ListQueryExecutions: action((input) => {
        const groupName = workGroupName(input, 'WorkGroup') ?? PRIMARY_WORKGROUP;
        this.workGroups.get(groupName);
        const max = input.optionalInteger('MaxResults', { min: 0, max: 50 }) ?? 50;
        const ids = this.executions.list(groupName).map((r) => r.id);
        const start = offsetOf(
          input.optionalString('NextToken', { minLength: 1, maxLength: 1024 }),
          `list:${groupName}`,
        );
        const page = ids.slice(start, start + max);
        const more = start + max < ids.length;
        return { QueryExecutionIds: page, NextToken: more ? tokenOf(`list:${groupName}`, start + max) : undefined };
      }),
      StopQueryExecution: action((input) => {
        this.executions.stop(queryId(input));
        return {};
      }),
      GetQueryResults: action(async (input) => {
        const record = this.executions.get(queryId(input));
        const token = input.optionalString('NextToken', { minLength: 1, maxLength: 1024 });
        const max = input.optionalInteger('MaxResults', { min: 1, max: MAX_RESULTS_PER_PAGE }) ?? MAX_RESULTS_PER_PAGE;
        if (!isFinal(record.state)) {
          throw invalidRequest(`Query has not yet finished. Current state: ${record.state}`);
        }
        if (record.state !== 'SUCCEEDED') {
          throw invalidRequest(`Query did not finish successfully. Final query state: ${record.state}`);
        }
        const rows = await this.resultRows(record.id, record.outputLocation);
        const start = offsetOf(token, record.id);
        const page = rows.slice(start, start + max);
        const more = start + max < rows.length;
        return {
          UpdateCount: record.updateCount ?? 0,
          ResultSet: {
            Rows: page.map((row) => ({ Data: row.map((v) => (v === null ? {} : { VarCharValue: v })) })),
            ResultSetMetadata: { ColumnInfo: record.columns ?? [] },
          },
          NextToken: more ? tokenOf(record.id, start + max) : undefined,
        };
      }),
      CreateWorkGroup: action(async (input) => {
        const name = workGroupName(input, 'Name');
        if (name === undefined) input.string('Name');
        await this.workGroups.create({
          Name: name as string,
          Description: input.optionalString('Description', { maxLength: 1024 }),
          Configuration: readConfiguration(input.optionalObject('Configuration')),
        });
        return {};
      }),
      GetWorkGroup: action((input) => {
        const name = workGroupName(input, 'WorkGroup');
        if (name === undefined) input.string('WorkGroup');
        const group = this.workGroups.get(name as string);
        return { WorkGroup: { ...group, CreationTime: seconds(group.CreationTime) } };
      }),
      ListWorkGroups: action((input) => {
        const max = input.optionalInteger('MaxResults', { min: 1, max: 50 }) ?? 50;
        const groups = this.workGroups.list();
        const start = offsetOf(input.optionalString('NextToken', { minLength: 1, maxLength: 1024 }), 'workgroups');
        const page = groups.slice(start, start + max);
        return {
          WorkGroups: page.map((g) => ({
            Name: g.Name,
            State: g.State,
            Description: g.Description,
            CreationTime: seconds(g.CreationTime),
            EngineVersion: g.Configuration.EngineVersion,
          })),
          NextToken: start + max < groups.length ? tokenOf('workgroups', start + max) : undefined,
        };
      }),
      // --- Data catalog metadata (the local Glue, as AwsDataCatalog) ---
      ListDataCatalogs: action(() => ({
        DataCatalogsSummary: [{ CatalogName: DATA_CATALOG_NAME, Type: 'GLUE' }],
      })),
      GetDataCatalog: action((input) => {
        requireDataCatalog(input.string('Name', { minLength: 1, maxLength: 256 }));
        return {
          DataCatalog: {
            Name: DATA_CATALOG_NAME,
            Description: 'The local Glue Data Catalog',
            Type: 'GLUE',
            Parameters: { 'catalog-id': this.ctx.config.accountId },
          },
        };
      }),
      ListDatabases: action(async (input) => {
        requireDataCatalog(input.string('CatalogName', { minLength: 1, maxLength: 256 }));
        const max = input.optionalInteger('MaxResults', { min: 1, max: 50 }) ?? 50;
        const databases = await this.catalog.getDatabases();
        const start = offsetOf(input.optionalString('NextToken', { minLength: 1, maxLength: 1024 }), 'databases');
        return {
          DatabaseList: databases.slice(start, start + max).map(databaseWire),
          NextToken: start + max < databases.length ? tokenOf('databases', start + max) : undefined,
        };
      }),
      GetDatabase: action(async (input) => {
        requireDataCatalog(input.string('CatalogName', { minLength: 1, maxLength: 256 }));
        const database = await this.catalog.getDatabase(input.string('DatabaseName', { minLength: 1, maxLength: 128 }));
        if (!database) throw entityNotFound();
        return { Database: databaseWire(database) };
      }),
      ListTableMetadata: action(async (input) => {
        requireDataCatalog(input.string('CatalogName', { minLength: 1, maxLength: 256 }));
        const name = input.string('DatabaseName', { minLength: 1, maxLength: 128 });
        const matches = tableMetadataFilter(input.optionalString('Expression', { maxLength: 256 }));
        const max = input.optionalInteger('MaxResults', { min: 1, max: 50 }) ?? 50;
        if (!(await this.catalog.getDatabase(name))) throw entityNotFound();
        const tables = (await this.catalog.getTables(name)).filter((t) => matches(t.Name ?? ''));
        const scope = `tables:${name.toLowerCase()}`;
        const start = offsetOf(input.optionalString('NextToken', { minLength: 1, maxLength: 1024 }), scope);
        return {
          TableMetadataList: tables.slice(start, start + max).map(tableMetadataWire),
          NextToken: start + max < tables.length ? tokenOf(scope, start + max) : undefined,
        };
      }),
      GetTableMetadata: action(async (input) => {
        requireDataCatalog(input.string('CatalogName', { minLength: 1, maxLength: 256 }));
        const table = await this.catalog.getTable(
          input.string('DatabaseName', { minLength: 1, maxLength: 128 }),
          input.string('TableName', { minLength: 1, maxLength: 128 }),
        );
        if (!table) throw entityNotFound();
        return { TableMetadata: tableMetadataWire(table) };
      }),
      DeleteWorkGroup: action(async (input) => {
        const name = workGroupName(input, 'WorkGroup');
        if (name === undefined) input.string('WorkGroup');
        await this.workGroups.delete(name as string);
        return {};
      }),
    };
  }

  /** The result CSV's rows (header first), read from S3; a few recent results are kept parsed in memory. */
  private async resultRows(id: string, outputLocation: string): Promise<readonly (readonly (string | null)[])[]> {
    const cached = this.pages.get(id);
    if (cached) return cached;
    const target = parseS3Location(outputLocation);
    const text = target ? await this.results.get(target.bucket, target.key) : undefined;
    if (text === undefined) {
      throw invalidRequest(
        `The query result ${outputLocation} no longer exists (deleted or expired). Run the query again.`,
      );
    }
    const rows = outputLocation.endsWith('.txt') ? parseResultText(text) : parseResultCsv(text);
    this.pages.set(id, rows);
    return rows;
  }
}

function readConfiguration(input: InputReader | undefined): WorkGroupConfiguration {
  if (!input) return {};
  const cutoff = input.raw('BytesScannedCutoffPerQuery');
  if (cutoff !== undefined && (typeof cutoff !== 'number' || !Number.isInteger(cutoff))) {
    throw new AwsServiceError(
      'SerializationException',
      'Member configuration.bytesScannedCutoffPerQuery must be an integer.',
    );
  }
  const location = input.optionalObject('ResultConfiguration')?.optionalString('OutputLocation');
  if (location !== undefined && !parseS3Location(location)?.bucket) {
    throw invalidRequest(`The output location ${location} is not an S3 location (s3://bucket/prefix/).`);
  }
  return {
    ResultConfiguration: location !== undefined ? { OutputLocation: location } : undefined,
    EnforceWorkGroupConfiguration: input.optionalBoolean('EnforceWorkGroupConfiguration') ?? true,
    BytesScannedCutoffPerQuery: cutoff as number | undefined,
    PublishCloudWatchMetricsEnabled: input.optionalBoolean('PublishCloudWatchMetricsEnabled') ?? true,
    RequesterPaysEnabled: input.optionalBoolean('RequesterPaysEnabled') ?? false,
  };
}

/** Opaque page token: base64url JSON naming what it pages (so a token of one query is refused for another). */
function tokenOf(scope: string, offset: number): string {
  return Buffer.from(JSON.stringify({ s: scope, o: offset })).toString('base64url');
}

function offsetOf(token: string | undefined, scope: string): number {
  if (token === undefined) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { s?: unknown; o?: unknown };
    if (parsed.s === scope && typeof parsed.o === 'number' && Number.isInteger(parsed.o) && parsed.o >= 0)
      return parsed.o;
  } catch {
    // fall through
  }
  throw invalidRequest('The NextToken is not valid for this request. Start again without a NextToken.');
}
