import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { AthenaService } from './athena/AthenaService';
import type { LocalStackConfig } from './config';
import { DynamoDBService } from './dynamodb/DynamoDBService';
import { EdgeServer } from './edge/EdgeServer';
import type { ServiceContext } from './edge/ServiceContext';
import { LocalEventBus } from './events/LocalEventBus';
import { GlueService } from './glue/GlueService';
import type { LocalGlueJob } from './glue/LocalGlueJob';
import { locateSparkRuntime, type SparkRuntime } from './glue/spark/SparkRuntime';
import { ExtractExpiry } from './s3/ExtractExpiry';
import { S3Service } from './s3/S3Service';
import { SecretsManagerService } from './secretsmanager/SecretsManagerService';

/**
 * The local AWS-compatible stack: S3, DynamoDB, Glue, Athena and Secrets Manager behind one edge endpoint, with their state in
 * the data dir and an in-process event bus standing in for EventBridge.
 *
 * ```ts
 * const stack = await LocalStack.create(localStackConfig({ port: 0, dataDir }));
 * // AWS_ENDPOINT_URL=stack.endpoint, AWS_REGION=us-east-1, credentials test/test
 * await stack.close();
 * ```
 */
export class LocalStack {
  private closed = false;

  private constructor(
    readonly config: LocalStackConfig,
    private readonly edge: EdgeServer,
    readonly events: LocalEventBus,
    readonly s3: S3Service,
    readonly glue: GlueService,
    /** Python, PySpark and Java of the spark Glue engine; undefined with the DuckDB engine. */
    readonly sparkRuntime: SparkRuntime | undefined,
    /** The local `expire-extracts` lifecycle rule. */
    readonly extractExpiry: ExtractExpiry,
  ) {}

  /**
   * Starts every service on the edge. With `glueEngine: 'spark'` it first finds Python, PySpark and Java, and
   * throws `SparkRuntimeMissingError` (saying what to install) before listening when one is missing.
   */
  static async create(config: LocalStackConfig, log: (message: string) => void = () => {}): Promise<LocalStack> {
    const sparkRuntime = config.glueEngine === 'spark' ? await locateSparkRuntime(config.sparkPython) : undefined;
    ownerOnlyFiles();
    await mkdir(config.dataDir, { recursive: true, mode: 0o700 });
    // A data dir made by an earlier version (or by hand) is closed too: nothing under it is reachable by others.
    await chmod(config.dataDir, 0o700);
    const events = new LocalEventBus({ account: config.accountId, region: config.region });
    const edge = await EdgeServer.listen(config.host, config.port);
    try {
      const context = async (service: string): Promise<ServiceContext> => {
        const stateDir = path.join(config.dataDir, service);
        await mkdir(stateDir, { recursive: true });
        return { config, stateDir, endpoint: edge.url, events, log };
      };
      const s3 = await S3Service.create(await context('s3'));
      edge.register(s3);
      edge.register(await DynamoDBService.create(await context('dynamodb')));
      const glue = await GlueService.create(await context('glue'), { objects: s3.files });
      edge.register(glue);
      edge.register(await AthenaService.create(await context('athena'), { catalog: glue.catalog, objects: s3.files }));
      edge.register(await SecretsManagerService.create(await context('secretsmanager')));
      const extractExpiry = new ExtractExpiry(edge.url, config.region, log);
      extractExpiry.start();
      return new LocalStack(config, edge, events, s3, glue, sparkRuntime, extractExpiry);
    } catch (err) {
      await edge.close();
      throw err;
    }
  }

  /** Base URL for AWS SDK clients and the AWS CLI (`AWS_ENDPOINT_URL`). */
  get endpoint(): string {
    return this.edge.url;
  }

  /** Registers the local implementation of a Glue job (what StartJobRun runs for that job name). */
  registerJob(jobName: string, job: LocalGlueJob): void {
    this.glue.registerJob(jobName, job);
  }

  /** Stops accepting requests, waits for event deliveries, then closes every service. Idempotent. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.extractExpiry.stop();
    await this.events.drain();
    await this.edge.close();
  }
}

/**
 * Makes every file and directory this process creates from now on owner-only (umask 077: files 0600, directories
 * 0700), whoever writes it: the S3 and DynamoDB stores, DuckDB's spill and profile files, Glue run logs, the Parquet
 * a job writes, spark-submit's children (they inherit the mask). The data dir holds raw exports with student names.
 * Worker threads cannot change the mask; there the data dir's own 0700 is what keeps other users out.
 */
function ownerOnlyFiles(): void {
  try {
    process.umask(process.umask() | 0o077);
  } catch {
    // ERR_WORKER_UNSUPPORTED_OPERATION: see above.
  }
}
