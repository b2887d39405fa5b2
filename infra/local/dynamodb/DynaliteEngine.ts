import dynaliteDb = require('dynalite/db');
import validations = require('dynalite/validations');

/** The DynamoDB operations dynalite implements; the service adds TTL and transactions on top. */
export const DYNALITE_OPERATIONS = [
  'BatchGetItem',
  'BatchWriteItem',
  'CreateTable',
  'DeleteItem',
  'DeleteTable',
  'DescribeTable',
  'GetItem',
  'ListTables',
  'PutItem',
  'Query',
  'Scan',
  'TagResource',
  'UntagResource',
  'ListTagsOfResource',
  'UpdateItem',
  'UpdateTable',
] as const;
export type DynaliteOperation = (typeof DYNALITE_OPERATIONS)[number];

export type Item = Record<string, unknown>;
export type Table = Parameters<typeof dynaliteDb.createKey>[1];
type Action = (
  store: unknown,
  data: Record<string, unknown>,
  callback: (err: unknown, result?: unknown) => void,
) => void;
interface ActionValidation {
  types: unknown;
  custom?: unknown;
}

const lowerFirst = (name: string) => name.charAt(0).toLowerCase() + name.slice(1);
// dynalite's actions and their input validations, loaded once by name (they are plain CommonJS modules).
const actions = new Map<string, Action>(
  DYNALITE_OPERATIONS.map((op) => [op, require(`dynalite/actions/${lowerFirst(op)}`) as Action]),
);
const actionValidations = new Map<string, ActionValidation>(
  DYNALITE_OPERATIONS.map((op) => [op, require(`dynalite/validations/${lowerFirst(op)}`) as ActionValidation]),
);

/**
 * dynalite's storage and operations, called in process (no HTTP hop): its LevelDB store, its input validation
 * (AWS's exact messages) and its actions. Tables become ACTIVE at once (`createTableMs` 0).
 */
export class DynaliteEngine {
  private constructor(private readonly store: ReturnType<typeof dynaliteDb.create>) {}

  /** Opens (or creates) the store; fails at once, naming the folder, when another process holds it. */
  static async open(options: { path: string; accountId: string; region: string }): Promise<DynaliteEngine> {
    const store = dynaliteDb.create({ path: options.path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    try {
      await store.db.open();
    } catch (err) {
      const reason = err instanceof Error ? ((err.cause as Error | undefined)?.message ?? err.message) : String(err);
      throw new Error(
        `Cannot open the DynamoDB data in ${options.path} (${reason}). Is another local stack using this data dir? ` +
          'Stop it, or start this one with another data dir.',
        { cause: err },
      );
    }
    store.tableDb.awsAccountId = options.accountId;
    store.tableDb.awsRegion = options.region;
    return new DynaliteEngine(store);
  }

  /** Checks an operation's input as DynamoDB does and returns it parsed (expressions compiled). */
  validate(operation: DynaliteOperation, input: Record<string, unknown>): Record<string, unknown> {
    const validation = actionValidations.get(operation)!;
    const data = validations.checkTypes(input, validation.types);
    validations.checkValidations(data, validation.types, validation.custom, this.store);
    return data;
  }

  /** Runs an operation on validated input. */
  execute(operation: DynaliteOperation, data: Record<string, unknown>): Promise<unknown> {
    const action = actions.get(operation)!;
    return new Promise((resolve, reject) => {
      try {
        action(this.store, data, (err, result) => (err ? reject(err) : resolve(result)));
      } catch (err) {
        reject(err);
      }
    });
  }

  run(operation: DynaliteOperation, input: Record<string, unknown>): Promise<unknown> {
    return this.execute(operation, this.validate(operation, input));
  }

  /** A table's description; with `activeOnly`, a CREATING or DELETING table is not found (as for item operations). */
  table(name: string, activeOnly: boolean): Promise<Table> {
    return new Promise((resolve, reject) =>
      this.store.getTable(name, activeOnly, (err, table) => (err ? reject(err) : resolve(table!))),
    );
  }

  /** The stored item with the key of `item` (or undefined), read directly, without capacity accounting. */
  item(table: Table, keyOrItem: Item): Promise<Item | undefined> {
    const key = dynaliteDb.createKey(keyOrItem, table);
    return new Promise((resolve, reject) =>
      this.store.getItemDb(table.TableName).get(key, (err, item) => {
        if (err && err.name !== 'NotFoundError') reject(err);
        else resolve(err ? undefined : item);
      }),
    );
  }

  /** Throws DynamoDB's ValidationException when a key (or a whole item) does not match the table's key schema. */
  checkKey(table: Table, keyOrItem: Item, isItem: boolean): void {
    const invalid = isItem ? dynaliteDb.validateItem(keyOrItem, table) : dynaliteDb.validateKey(keyOrItem, table);
    if (invalid) throw invalid;
  }

  /** The key attributes of an item. */
  keyAttributes(table: Table, item: Item): Item {
    return Object.fromEntries(table.KeySchema.map(({ AttributeName }) => [AttributeName, item[AttributeName]]));
  }

  /** Storage key of an item within its table (to spot two operations on one item). */
  keyOf(table: Table, keyOrItem: Item): string {
    return dynaliteDb.createKey(keyOrItem, table);
  }

  /** dynalite's check of a (validated) ConditionExpression/Expected against the current item. */
  conditionFails(data: Record<string, unknown>, current: Item | undefined): boolean {
    return dynaliteDb.checkConditional(data, current) != null;
  }

  /** Waits until a table reaches ACTIVE (after create/update) or is gone (after delete). */
  async settle(name: string): Promise<void> {
    for (let attempt = 0; attempt < 200; attempt++) {
      try {
        const table = await this.table(name, false);
        if (table.TableStatus === 'ACTIVE') return;
      } catch {
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  }

  close(): Promise<void> {
    return new Promise((resolve, reject) =>
      this.store.lifecycleManager.gracefulClose((err) => (err ? reject(err) : resolve())),
    );
  }
}
