import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import path from 'node:path';
import { crc32 } from 'node:zlib';
import type { LocalService } from '../edge/LocalService';
import { readBody } from '../edge/readBody';
import type { ServiceContext } from '../edge/ServiceContext';
import { DYNALITE_OPERATIONS, DynaliteEngine, type DynaliteOperation } from './DynaliteEngine';
import { DynamoDBError, isAnswerable, validationError } from './DynamoDBError';
import { DynamoDBTransactions } from './DynamoDBTransactions';
import { ReadWriteLock } from './ReadWriteLock';
import { TimeToLiveSettings } from './TimeToLiveSettings';

const API_VERSION = 'DynamoDB_20120810';
/** dynalite operations that write items: they share the write lock that a transaction takes alone. */
const ITEM_WRITES: ReadonlySet<string> = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);

type Operation = (input: Record<string, unknown>) => Promise<unknown>;

/**
 * The local DynamoDB (`X-Amz-Target: DynamoDB_20120810.<Operation>`, JSON 1.0): dynalite's LevelDB store,
 * validation and operations called in process, plus what dynalite lacks: `UpdateTimeToLive`/`DescribeTimeToLive`
 * (settings kept in `ttl.json`; expired items are not deleted) and `TransactWriteItems`/`TransactGetItems`.
 * State lives in `<stateDir>/leveldb` and `<stateDir>/ttl.json`.
 */
export class DynamoDBService implements LocalService {
  readonly name = 'dynamodb' as const;
  private readonly lock = new ReadWriteLock();
  private readonly operations: Readonly<Record<string, Operation>>;
  private closed: Promise<void> | undefined;

  private constructor(
    private readonly engine: DynaliteEngine,
    private readonly ttl: TimeToLiveSettings,
    private readonly log: (message: string) => void,
  ) {
    const transactions = new DynamoDBTransactions(engine, this.lock);
    const dynalite = Object.fromEntries(
      DYNALITE_OPERATIONS.map((op) => [op, (input: Record<string, unknown>) => this.runDynalite(op, input)]),
    );
    this.operations = {
      ...dynalite,
      DescribeTimeToLive: (input) => this.describeTimeToLive(input),
      UpdateTimeToLive: (input) => this.updateTimeToLive(input),
      TransactWriteItems: (input) => transactions.write(input),
      TransactGetItems: (input) => transactions.get(input),
    };
  }

  static async create(ctx: ServiceContext): Promise<DynamoDBService> {
    const engine = await DynaliteEngine.open({
      path: path.join(ctx.stateDir, 'leveldb'),
      accountId: ctx.config.accountId,
      region: ctx.config.region,
    });
    try {
      return new DynamoDBService(engine, await TimeToLiveSettings.open(ctx.stateDir), ctx.log);
    } catch (err) {
      await engine.close();
      throw err;
    }
  }

  async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const requestId = randomBytes(26).toString('hex').toUpperCase().slice(0, 52);
    try {
      const result = await this.dispatch(req);
      send(res, 200, requestId, result ?? {});
    } catch (err) {
      if (isAnswerable(err)) {
        send(res, err.statusCode, requestId, err.body);
      } else {
        this.log(`dynamodb: unexpected error: ${err instanceof Error ? err.stack : String(err)}`);
        const message = err instanceof Error ? err.message : String(err);
        send(res, 500, requestId, { __type: 'com.amazonaws.dynamodb.v20120810#InternalServerError', message });
      }
    }
  }

  close(): Promise<void> {
    this.closed ??= this.engine.close();
    return this.closed;
  }

  private async dispatch(req: IncomingMessage): Promise<unknown> {
    const target = String(req.headers['x-amz-target'] ?? '');
    const [api, operationName = ''] = target.split('.', 2);
    const operation =
      api === API_VERSION && Object.hasOwn(this.operations, operationName) ? this.operations[operationName] : undefined;
    if (req.method !== 'POST' || !operation) {
      throw new DynamoDBError('UnknownOperationException', `Unknown operation ${target}.`);
    }
    const body = await readBody(req).catch(() => {
      throw new DynamoDBError('SerializationException', 'Request body exceeds 16 MiB.', 413);
    });
    let input: unknown;
    try {
      input = JSON.parse(body.toString('utf8'));
    } catch {
      throw new DynamoDBError('SerializationException', 'Request body is not valid JSON.');
    }
    if (typeof input !== 'object' || input === null || Array.isArray(input)) {
      throw new DynamoDBError('SerializationException', 'Request body must be a JSON object.');
    }
    return operation(input as Record<string, unknown>);
  }

  private async runDynalite(operation: DynaliteOperation, input: Record<string, unknown>): Promise<unknown> {
    const run = () => this.engine.run(operation, input);
    const result = ITEM_WRITES.has(operation) ? await this.lock.withShared(run) : await run();
    const tableName = typeof input.TableName === 'string' ? input.TableName : undefined;
    if (tableName && (operation === 'CreateTable' || operation === 'UpdateTable' || operation === 'DeleteTable')) {
      // dynalite flips the status on a 0 ms timer; answer once it has, so the next request sees ACTIVE (or gone).
      await this.engine.settle(tableName);
      if (operation === 'DeleteTable') await this.ttl.forget(tableName);
    }
    return result;
  }

  private async describeTimeToLive(input: Record<string, unknown>): Promise<unknown> {
    const tableName = readTableName(input);
    await this.engine.table(tableName, false);
    return { TimeToLiveDescription: this.ttl.describe(tableName) };
  }

  private async updateTimeToLive(input: Record<string, unknown>): Promise<unknown> {
    const tableName = readTableName(input);
    const spec = input.TimeToLiveSpecification as { Enabled?: unknown; AttributeName?: unknown } | undefined;
    if (typeof spec !== 'object' || spec === null) {
      throw validationError(
        "1 validation error detected: Value null at 'timeToLiveSpecification' failed to satisfy constraint: Member must not be null",
      );
    }
    const { Enabled, AttributeName } = spec;
    if (typeof Enabled !== 'boolean') {
      throw validationError(
        "1 validation error detected: Value null at 'timeToLiveSpecification.enabled' failed to satisfy constraint: Member must not be null",
      );
    }
    if (typeof AttributeName !== 'string' || AttributeName.length < 1 || AttributeName.length > 255) {
      throw validationError(
        "1 validation error detected: Value at 'timeToLiveSpecification.attributeName' failed to satisfy constraint: Member must have length between 1 and 255",
      );
    }
    await this.engine.table(tableName, false);
    await this.ttl.update(tableName, { Enabled, AttributeName });
    return { TimeToLiveSpecification: { Enabled, AttributeName } };
  }
}

function readTableName(input: Record<string, unknown>): string {
  const name = input.TableName;
  if (typeof name !== 'string') {
    throw validationError(
      "1 validation error detected: Value null at 'tableName' failed to satisfy constraint: Member must not be null",
    );
  }
  if (!/^[a-zA-Z0-9_.-]{3,255}$/.test(name)) {
    throw validationError(
      `1 validation error detected: Value '${name.slice(0, 255)}' at 'tableName' failed to satisfy constraint: Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+ and have length between 3 and 255`,
    );
  }
  return name;
}

/** Answers in JSON 1.0 with `x-amz-crc32`, which the SDK checks against the body. */
function send(res: ServerResponse, status: number, requestId: string, body: unknown): void {
  const payload = Buffer.from(JSON.stringify(body));
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': payload.length,
    'x-amzn-requestid': requestId,
    'x-amz-crc32': String(crc32(payload)),
  });
  res.end(payload);
}
