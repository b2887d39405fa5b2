import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Grant, GrantInput } from '../../access/Grant';
import { GrantConflictError, type GrantStore } from '../../ports/GrantStore';

/**
 * Partner grants in the `grants` table (partition key `partnerId`), one item per partner with a numeric
 * `version`. Every write is conditional on the version the steward read (optimistic concurrency); a lost
 * condition becomes {@link GrantConflictError} carrying the current grant.
 */
export class DynamoDBGrantStore implements GrantStore {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    client: DynamoDBClient,
    private readonly tableName: string,
    private readonly now: () => Date = () => new Date(),
  ) {
    this.documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  }

  async get(partnerId: string): Promise<Grant | undefined> {
    const out = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { partnerId }, ConsistentRead: true }),
    );
    return out.Item ? toGrant(out.Item) : undefined;
  }

  async put(
    partnerId: string,
    input: GrantInput,
    expectedVersion: number | '*' | undefined,
    updatedBy: string | undefined,
  ): Promise<Grant> {
    const current = expectedVersion === undefined ? 0 : expectedVersion === '*' ? undefined : expectedVersion;
    const previous = expectedVersion === '*' ? await this.get(partnerId) : undefined;
    if (expectedVersion === '*' && !previous) throw new GrantConflictError(partnerId, undefined);
    const baseVersion = current ?? previous!.version;
    const grant: Grant = {
      partnerId,
      datasets: [...input.datasets],
      columns: [...input.columns],
      ...(input.rowFilters ? { rowFilters: input.rowFilters } : {}),
      minimumCellSize: input.minimumCellSize,
      version: baseVersion + 1,
      updatedAt: this.now().toISOString(),
      ...(updatedBy ? { updatedBy } : {}),
    };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: grant,
          ...(baseVersion === 0
            ? { ConditionExpression: 'attribute_not_exists(partnerId)' }
            : {
                ConditionExpression: '#v = :v',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':v': baseVersion },
              }),
        }),
      );
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new GrantConflictError(partnerId, await this.get(partnerId));
      }
      throw err;
    }
    return grant;
  }

  async delete(partnerId: string, expectedVersion: number | undefined): Promise<Grant | undefined> {
    try {
      const out = await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { partnerId },
          ReturnValues: 'ALL_OLD',
          ...(expectedVersion === undefined
            ? {}
            : {
                ConditionExpression: '#v = :v',
                ExpressionAttributeNames: { '#v': 'version' },
                ExpressionAttributeValues: { ':v': expectedVersion },
              }),
        }),
      );
      return out.Attributes ? toGrant(out.Attributes) : undefined;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new GrantConflictError(partnerId, await this.get(partnerId));
      }
      throw err;
    }
  }
}

function toGrant(item: Record<string, unknown>): Grant {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const filters = (item['rowFilters'] ?? undefined) as Record<string, unknown> | undefined;
  const rowFilters = filters
    ? Object.fromEntries(Object.entries(filters).map(([name, values]) => [name, list(values)]))
    : undefined;
  return {
    partnerId: String(item['partnerId']),
    datasets: list(item['datasets']),
    columns: list(item['columns']),
    ...(rowFilters ? { rowFilters } : {}),
    minimumCellSize: Number(item['minimumCellSize']),
    version: Number(item['version']),
    updatedAt: String(item['updatedAt']),
    ...(item['updatedBy'] ? { updatedBy: String(item['updatedBy']) } : {}),
  };
}
