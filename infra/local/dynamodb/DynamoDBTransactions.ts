import type { DynaliteEngine, DynaliteOperation, Item, Table } from './DynaliteEngine';
import { DynamoDBError, validationError } from './DynamoDBError';
import type { ReadWriteLock } from './ReadWriteLock';

const MAX_TRANSACT_ITEMS = 100;
const WRITE_KINDS = {
  Put: 'PutItem',
  Update: 'UpdateItem',
  Delete: 'DeleteItem',
  ConditionCheck: 'DeleteItem',
} as const;
type WriteKind = keyof typeof WRITE_KINDS;

interface PlannedWrite {
  readonly kind: WriteKind;
  readonly operation: DynaliteOperation;
  readonly data: Record<string, unknown>;
  readonly returnOldOnFailure: boolean;
}

/**
 * TransactWriteItems and TransactGetItems, which dynalite lacks, built on its validation and actions.
 * A transaction holds the write lock alone: it checks every condition first (any failure cancels the whole
 * transaction with `TransactionCanceledException` and per-item `CancellationReasons`), then applies the writes;
 * should one fail, those already applied are restored, so the transaction is all or nothing for writers.
 * Readers are not isolated from a transaction being applied (the writes land one after another).
 *
 * ```
 * validate all ─▶ lock ─▶ check conditions ─┬─ any failed ─▶ TransactionCanceledException (nothing written)
 *                                           └─ all pass ───▶ write each ─┬─ ok ─▶ {}
 *                                                                        └─ error ─▶ restore written items, rethrow
 * ```
 */
export class DynamoDBTransactions {
  constructor(
    private readonly engine: DynaliteEngine,
    private readonly lock: ReadWriteLock,
  ) {}

  async write(input: Record<string, unknown>): Promise<Record<string, never>> {
    const planned = transactItems(input).map((entry, index) => this.plan(entry, index));
    return this.lock.withExclusive(async () => {
      const targets = await Promise.all(planned.map((write) => this.target(write)));
      const seen = new Set<string>();
      for (const { table, key } of targets) {
        const id = `${table.TableName}\u0000${this.engine.keyOf(table, key)}`;
        if (seen.has(id)) throw validationError('Transaction request cannot include multiple operations on one item');
        seen.add(id);
      }
      const current = await Promise.all(targets.map(({ table, key }) => this.engine.item(table, key)));
      const reasons = planned.map((write, i) =>
        this.engine.conditionFails(write.data, current[i])
          ? {
              Code: 'ConditionalCheckFailed',
              Message: 'The conditional request failed',
              ...(write.returnOldOnFailure && current[i] ? { Item: current[i] } : {}),
            }
          : { Code: 'None' },
      );
      if (reasons.some((reason) => reason.Code !== 'None')) {
        throw new DynamoDBError(
          'TransactionCanceledException',
          `Transaction cancelled, please refer cancellation reasons for specific reasons [${reasons.map((r) => r.Code).join(', ')}]`,
          400,
          { CancellationReasons: reasons },
        );
      }
      const applied: number[] = [];
      try {
        for (const [i, write] of planned.entries()) {
          if (write.kind === 'ConditionCheck') continue;
          const { _condition, Expected, ConditionExpression, ...unconditional } = write.data;
          await this.engine.execute(write.operation, unconditional);
          applied.push(i);
        }
      } catch (err) {
        for (const i of applied.reverse()) await this.restore(targets[i]!.table, targets[i]!.key, current[i]);
        throw err;
      }
      return {};
    });
  }

  async get(input: Record<string, unknown>): Promise<{ Responses: { Item?: Item }[] }> {
    const gets = transactItems(input).map((entry, index) => {
      const spec = entry.Get;
      if (Object.keys(entry).length !== 1 || typeof spec !== 'object' || spec === null) {
        throw validationError(`TransactItems[${index}] must contain exactly one Get`);
      }
      return this.engine.validate('GetItem', spec as Record<string, unknown>);
    });
    return this.lock.withExclusive(async () => {
      const results = await Promise.all(gets.map((data) => this.engine.execute('GetItem', data)));
      return { Responses: results.map((result) => ({ Item: (result as { Item?: Item }).Item })) };
    });
  }

  private plan(entry: Record<string, unknown>, index: number): PlannedWrite {
    const kinds = Object.keys(entry).filter((name): name is WriteKind => name in WRITE_KINDS);
    if (kinds.length !== 1 || Object.keys(entry).length !== 1) {
      throw validationError(
        `TransactItems[${index}] must contain exactly one of Put, Update, Delete or ConditionCheck`,
      );
    }
    const kind = kinds[0]!;
    const spec = entry[kind];
    if (typeof spec !== 'object' || spec === null)
      throw validationError(`TransactItems[${index}].${kind} must be an object`);
    const { ReturnValuesOnConditionCheckFailure, ...request } = spec as Record<string, unknown>;
    if (kind === 'ConditionCheck' && typeof request.ConditionExpression !== 'string') {
      throw validationError(`TransactItems[${index}].ConditionCheck requires a ConditionExpression`);
    }
    const operation = WRITE_KINDS[kind];
    return {
      kind,
      operation,
      data: this.engine.validate(operation, request),
      returnOldOnFailure: ReturnValuesOnConditionCheckFailure === 'ALL_OLD',
    };
  }

  private async target(write: PlannedWrite): Promise<{ table: Table; key: Item }> {
    const table = await this.engine.table(String(write.data.TableName), true);
    const isItem = write.kind === 'Put';
    const keyOrItem = (isItem ? write.data.Item : write.data.Key) as Item;
    this.engine.checkKey(table, keyOrItem, isItem);
    return { table, key: this.engine.keyAttributes(table, keyOrItem) };
  }

  private async restore(table: Table, key: Item, before: Item | undefined): Promise<void> {
    if (before) await this.engine.run('PutItem', { TableName: table.TableName, Item: before });
    else await this.engine.run('DeleteItem', { TableName: table.TableName, Key: key });
  }
}

function transactItems(input: Record<string, unknown>): Record<string, unknown>[] {
  const items = input.TransactItems;
  if (!Array.isArray(items) || items.length === 0 || items.length > MAX_TRANSACT_ITEMS) {
    throw validationError(
      `1 validation error detected: Value at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to ${MAX_TRANSACT_ITEMS} and greater than or equal to 1`,
    );
  }
  return items.map((item, index) => {
    if (typeof item !== 'object' || item === null || Array.isArray(item)) {
      throw validationError(`TransactItems[${index}] must be an object`);
    }
    return item as Record<string, unknown>;
  });
}
