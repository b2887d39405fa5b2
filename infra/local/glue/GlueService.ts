import { AwsServiceError } from '../edge/AwsServiceError';
import { InputReader } from '../edge/InputReader';
import { type ActionHandler, type ActionInput, JsonProtocolService } from '../edge/JsonProtocolService';
import { toWire } from '../edge/jsonWire';
import type { ServiceContext } from '../edge/ServiceContext';
import type { S3ObjectFiles } from '../s3/S3ObjectFiles';
import {
  catalogName,
  readDatabaseInput,
  readPartitionInput,
  readPartitionValues,
  readTableInput,
} from './catalogInput';
import { GlueCatalog } from './GlueCatalog';
import type { GlueCatalogReader } from './GlueCatalogReader';
import type { GlueCatalogWriter } from './GlueCatalogWriter';
import { GlueJobRuns } from './GlueJobRuns';
import { GlueJobs } from './GlueJobs';
import { glueErrors } from './glueErrors';
import { readJobDefinition, readJobName } from './jobInput';
import type { LocalGlueJob } from './LocalGlueJob';
import { pageOf } from './pageOf';
import { partitionFilter } from './partitionExpression';
import { tableNameMatcher } from './tableNameMatcher';

/**
 * The local Glue service on the edge endpoint (`X-Amz-Target: AWSGlue.<Action>`, JSON 1.1): the Data Catalog
 * (databases, tables) and jobs with their runs. State lives in `<dataDir>/glue/`: `catalog.json`, `jobs.json`,
 * `runs/<job>.json`, and each run's log in `logs/<job>/<run id>.log`.
 */
export class GlueService extends JsonProtocolService {
  readonly name = 'glue' as const;
  protected readonly targetPrefix = 'AWSGlue';
  protected readonly invalidInputType = 'InvalidInputException';
  protected readonly actions: Readonly<Record<string, ActionHandler>>;
  private closed = false;
  private readonly log: (message: string) => void;

  private constructor(
    ctx: ServiceContext,
    private readonly glueCatalog: GlueCatalog,
    private readonly jobs: GlueJobs,
    private readonly runs: GlueJobRuns,
  ) {
    super((err) => ctx.log(`glue: unexpected error: ${err instanceof Error ? err.stack : String(err)}`));
    this.log = ctx.log;
    this.actions = this.bindActions();
  }

  static async create(ctx: ServiceContext, deps: { objects: S3ObjectFiles }): Promise<GlueService> {
    const catalog = await GlueCatalog.open(ctx.stateDir, ctx.config.accountId);
    const jobs = await GlueJobs.open(ctx.stateDir);
    const runs = await GlueJobRuns.open({
      stateDir: ctx.stateDir,
      config: ctx.config,
      endpoint: ctx.endpoint,
      events: ctx.events,
      objects: deps.objects,
      jobs,
      log: ctx.log,
    });
    return new GlueService(ctx, catalog, jobs, runs);
  }

  /** The catalog for sibling engines: Athena reads it, and its DDL (CREATE TABLE AS, DROP TABLE) writes it. */
  get catalog(): GlueCatalogReader & GlueCatalogWriter {
    return this.glueCatalog;
  }

  /** Registers the local implementation StartJobRun runs for `jobName` (replacing any earlier one). */
  registerJob(jobName: string, job: LocalGlueJob): void {
    this.runs.register(jobName, job);
  }

  /** Stops runs in progress (they end FAILED, "the local stack stopped"), then waits for pending writes. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.runs.close();
    await this.glueCatalog.settle();
    await this.jobs.settle();
  }

  private bindActions(): Record<string, ActionHandler> {
    const catalog = this.glueCatalog;
    const action = (fn: (input: InputReader) => Promise<unknown> | unknown): ActionHandler => {
      return async (input: ActionInput) => {
        try {
          return toWire(await fn(new InputReader(input, this.invalidInputType)));
        } catch (err) {
          if (err instanceof AwsServiceError) throw err;
          // e.g. the data dir is not writable: Glue's own 5xx type, so the SDK raises InternalServiceException.
          this.log(`glue: ${err instanceof Error ? err.stack : String(err)}`);
          const reason = err instanceof Error ? err.message : String(err);
          throw new AwsServiceError('InternalServiceException', `The local Glue service failed: ${reason}`, 500);
        }
      };
    };
    const databaseName = (input: InputReader, member = 'DatabaseName') =>
      catalogName(input.string(member), member.charAt(0).toLowerCase() + member.slice(1));
    return {
      // --- Data Catalog ---
      CreateDatabase: action(async (input) => {
        await catalog.createDatabase(readDatabaseInput(input.object('DatabaseInput')));
        return {};
      }),
      GetDatabase: action(async (input) => ({ Database: await catalog.requireDatabase(databaseName(input, 'Name')) })),
      GetDatabases: action(async (input) => {
        const page = pageOf(
          await catalog.getDatabases(),
          (database) => database.Name!,
          input.optionalString('NextToken'),
          input.optionalInteger('MaxResults', { min: 1, max: 100 }) ?? 100,
        );
        return { DatabaseList: page.items, NextToken: page.nextToken };
      }),
      DeleteDatabase: action(async (input) => {
        await catalog.deleteDatabase(databaseName(input, 'Name'));
        return {};
      }),
      CreateTable: action(async (input) => {
        const database = databaseName(input);
        await catalog.createTable(database, readTableInput(input.object('TableInput')));
        return {};
      }),
      GetTable: action(async (input) => ({
        Table: await catalog.requireTable(databaseName(input), catalogName(input.string('Name'), 'name')),
      })),
      GetTables: action(async (input) => {
        const database = databaseName(input);
        await catalog.requireDatabase(database);
        const matches = tableNameMatcher(input.optionalString('Expression', { maxLength: 2048 }));
        const page = pageOf(
          (await catalog.getTables(database)).filter((table) => matches(table.Name!)),
          (table) => table.Name!,
          input.optionalString('NextToken'),
          input.optionalInteger('MaxResults', { min: 1, max: 100 }) ?? 100,
        );
        return { TableList: page.items, NextToken: page.nextToken };
      }),
      UpdateTable: action(async (input) => {
        const database = databaseName(input);
        const versionId = input.optionalString('VersionId', { minLength: 1, maxLength: 255 });
        await catalog.updateTable(database, readTableInput(input.object('TableInput')), versionId);
        return {};
      }),
      DeleteTable: action(async (input) => {
        await catalog.deleteTable(databaseName(input), catalogName(input.string('Name'), 'name'));
        return {};
      }),
      CreatePartition: action(async (input) => {
        const [database, table] = [databaseName(input), catalogName(input.string('TableName'), 'tableName')];
        const [error] = await catalog.createPartitions(database, table, [
          readPartitionInput(input.object('PartitionInput')),
        ]);
        if (error) throw new AwsServiceError(error.ErrorDetail.ErrorCode, error.ErrorDetail.ErrorMessage);
        return {};
      }),
      BatchCreatePartition: action(async (input) => {
        const [database, table] = [databaseName(input), catalogName(input.string('TableName'), 'tableName')];
        const entries = structures(input, 'PartitionInputList', 'partitionInputList', 100);
        const errors = await catalog.createPartitions(
          database,
          table,
          entries.map((entry, i) => readPartitionInput(entry, `partitionInputList.${i + 1}.member`)),
        );
        return errors.length > 0 ? { Errors: errors } : {};
      }),
      GetPartition: action(async (input) => ({
        Partition: await catalog.requirePartition(
          databaseName(input),
          catalogName(input.string('TableName'), 'tableName'),
          readPartitionValues(input, 'PartitionValues', 'partitionValues'),
        ),
      })),
      BatchGetPartition: action(async (input) => {
        const [database, table] = [databaseName(input), catalogName(input.string('TableName'), 'tableName')];
        const wanted = structures(input, 'PartitionsToGet', 'partitionsToGet', 1000).map((entry, i) =>
          readPartitionValues(entry, 'Values', `partitionsToGet.${i + 1}.member.values`),
        );
        const all = await catalog.requirePartitions(database, table);
        const key = (values: readonly string[]) => JSON.stringify(values);
        const found = new Map(all.map((p) => [key(p.Values ?? []), p]));
        return {
          Partitions: wanted.flatMap((values) => found.get(key(values)) ?? []),
          UnprocessedKeys: wanted.filter((values) => !found.has(key(values))).map((Values) => ({ Values })),
        };
      }),
      GetPartitions: action(async (input) => {
        const [database, table] = [databaseName(input), catalogName(input.string('TableName'), 'tableName')];
        const keys = (await catalog.requireTable(database, table)).PartitionKeys ?? [];
        const matches = partitionFilter(input.optionalString('Expression', { maxLength: 2048 }), keys);
        const page = pageOf(
          (await catalog.requirePartitions(database, table)).filter(matches),
          (partition) => JSON.stringify(partition.Values),
          input.optionalString('NextToken'),
          input.optionalInteger('MaxResults', { min: 1, max: 1000 }) ?? 1000,
        );
        return { Partitions: page.items, NextToken: page.nextToken };
      }),
      UpdatePartition: action(async (input) => {
        await catalog.updatePartition(
          databaseName(input),
          catalogName(input.string('TableName'), 'tableName'),
          readPartitionValues(input, 'PartitionValueList', 'partitionValueList'),
          readPartitionInput(input.object('PartitionInput')),
        );
        return {};
      }),
      DeletePartition: action(async (input) => {
        const [error] = await catalog.deletePartitions(
          databaseName(input),
          catalogName(input.string('TableName'), 'tableName'),
          [readPartitionValues(input, 'PartitionValues', 'partitionValues')],
        );
        if (error) throw new AwsServiceError(error.ErrorDetail.ErrorCode, error.ErrorDetail.ErrorMessage);
        return {};
      }),
      BatchDeletePartition: action(async (input) => {
        const [database, table] = [databaseName(input), catalogName(input.string('TableName'), 'tableName')];
        const values = structures(input, 'PartitionsToDelete', 'partitionsToDelete', 25).map((entry, i) =>
          readPartitionValues(entry, 'Values', `partitionsToDelete.${i + 1}.member.values`),
        );
        const errors = await catalog.deletePartitions(database, table, values);
        return errors.length > 0 ? { Errors: errors } : {};
      }),
      // --- Jobs ---
      CreateJob: action(async (input) => {
        const name = readJobName(input, 'Name', 'name');
        await this.jobs.create(name, readJobDefinition(input));
        return { Name: name };
      }),
      GetJob: action((input) => ({ Job: this.jobs.get(readJobName(input, 'JobName', 'jobName')) })),
      GetJobs: action((input) => {
        const page = pageOf(
          this.jobs.list(),
          (job) => job.Name!,
          input.optionalString('NextToken'),
          input.optionalInteger('MaxResults', { min: 1, max: 1000 }) ?? 100,
        );
        return { Jobs: page.items, NextToken: page.nextToken };
      }),
      ListJobs: action((input) => {
        const page = pageOf(
          this.jobs.list().map((job) => job.Name!),
          (name) => name,
          input.optionalString('NextToken'),
          input.optionalInteger('MaxResults', { min: 1, max: 1000 }) ?? 100,
        );
        return { JobNames: page.items, NextToken: page.nextToken };
      }),
      UpdateJob: action(async (input) => {
        const name = readJobName(input, 'JobName', 'jobName');
        await this.jobs.update(name, readJobDefinition(input.object('JobUpdate'), 'jobUpdate.'));
        return { JobName: name };
      }),
      DeleteJob: action(async (input) => {
        const name = readJobName(input, 'JobName', 'jobName');
        await this.jobs.delete(name);
        await this.runs.deleteJob(name);
        return { JobName: name };
      }),
      StartJobRun: action(async (input) => {
        const jobRunId = await this.runs.start({
          jobName: readJobName(input, 'JobName', 'jobName'),
          previousRunId: input.optionalString('JobRunId', { minLength: 1, maxLength: 255 }),
          arguments: input.optionalStringMap('Arguments'),
          timeoutMinutes: input.optionalInteger('Timeout', { min: 1 }),
          allocatedCapacity: input.optionalInteger('AllocatedCapacity'),
          maxCapacity: typeof input.raw('MaxCapacity') === 'number' ? (input.raw('MaxCapacity') as number) : undefined,
          workerType: input.optionalString('WorkerType'),
          numberOfWorkers: input.optionalInteger('NumberOfWorkers', { min: 1 }),
          executionClass: input.optionalString('ExecutionClass'),
        });
        return { JobRunId: jobRunId };
      }),
      GetJobRun: action((input) => ({
        JobRun: this.runs.get(readJobName(input, 'JobName', 'jobName'), input.string('RunId', { minLength: 1 })),
      })),
      GetJobRuns: action((input) => {
        const runs = this.runs.list(readJobName(input, 'JobName', 'jobName'));
        // Newest first; the page key orders by start time descending, then run id.
        const page = pageOf(
          runs,
          (run) => `${String(9e15 - run.StartedOn!.getTime()).padStart(16, '0')}#${run.Id}`,
          input.optionalString('NextToken'),
          input.optionalInteger('MaxResults', { min: 1, max: 200 }) ?? 100,
        );
        return { JobRuns: page.items, NextToken: page.nextToken };
      }),
      BatchStopJobRun: action((input) =>
        this.runs.stop(
          readJobName(input, 'JobName', 'jobName'),
          input.stringArray('JobRunIds', { minItems: 1, maxItems: 25 }),
        ),
      ),
    };
  }
}

/** A required list of 1..`max` structures (e.g. BatchCreatePartition's PartitionInputList), each as a reader. */
function structures(input: InputReader, member: string, memberPath: string, max: number): InputReader[] {
  const value = input.raw(member);
  if (value === undefined || value === null) throw glueErrors.validation(memberPath, 'null', 'Member must not be null');
  if (!Array.isArray(value))
    throw new AwsServiceError('SerializationException', `Member ${memberPath} must be a list.`);
  if (value.length > max) {
    throw glueErrors.validation(memberPath, '(truncated)', `Member must have length less than or equal to ${max}`);
  }
  return value.map((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
      throw new AwsServiceError('SerializationException', `Member ${memberPath}.${i + 1}.member must be a structure.`);
    }
    return new InputReader(entry as ActionInput, 'InvalidInputException', `${memberPath}.${i + 1}.member`);
  });
}
