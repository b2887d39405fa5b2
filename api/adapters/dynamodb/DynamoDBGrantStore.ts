import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Grant, GrantInput } from '../../access/Grant';
import { GrantConflictError, type GrantStore } from '../../ports/GrantStore';

/**
 * Partner grants in the `grants` table (partition key `partnerId`), one item per partner with a numeric
 * `version`. Every write is conditional on the version the steward read (optimistic concurrency); a lost
 * condition becomes {@link GrantConflictError} carrying the current grant.
 *
 * Versions never repeat for a partner: a revoked grant leaves a tombstone (`partnerId`, `version`, `revokedAt`;
 * no datasets, so nothing to enforce) and the next grant continues from its version. Without it a DELETE and
 * re-create restarted at 1, and a steward's stale `If-Match: "1"` replaced the newer, stricter grant.
 *
 * ```
 * (none) ──PUT──▶ v1 ──PUT If-Match "1"──▶ v2 ──DELETE──▶ tombstone v3 ──PUT (no If-Match)──▶ v4
 * ```
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
    const item = await this.item(partnerId);
    return item && !isTombstone(item) ? toGrant(item) : undefined;
  }

  /** The stored item, grant or tombstone. */
  private async item(partnerId: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.documents.send(
      new GetCommand({ TableName: this.tableName, Key: { partnerId }, ConsistentRead: true }),
    );
    return out.Item;
  }

  async put(
    partnerId: string,
    input: GrantInput,
    expectedVersion: number | '*' | undefined,
    updatedBy: string | undefined,
  ): Promise<Grant> {
    const stored = await this.item(partnerId);
    const live = stored && !isTombstone(stored) ? toGrant(stored) : undefined;
    if (expectedVersion === undefined && live) throw new GrantConflictError(partnerId, live);
    if (expectedVersion !== undefined && !live) throw new GrantConflictError(partnerId, undefined);
    // A create continues from the tombstone's version (0 for a partner never granted); a replace from the one named.
    const baseVersion =
      expectedVersion === undefined
        ? Number(stored?.['version'] ?? 0)
        : expectedVersion === '*'
          ? live!.version
          : expectedVersion;
    const grant: Grant = {
      partnerId,
      datasets: [...input.datasets],
      columns: [...input.columns],
      ...(input.rowFilters ? { rowFilters: input.rowFilters } : {}),
      minimumCellSize: input.minimumCellSize,
      level: input.level ?? 'aggregates',
      ...(input.rowAccess ? { rowAccess: input.rowAccess } : {}),
      version: baseVersion + 1,
      updatedAt: this.now().toISOString(),
      ...(updatedBy ? { updatedBy } : {}),
    };
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: grant,
          ...(stored === undefined
            ? { ConditionExpression: 'attribute_not_exists(partnerId)' }
            : expectedVersion === undefined
              ? {
                  ConditionExpression: '#v = :v AND attribute_exists(#r)',
                  ExpressionAttributeNames: { '#v': 'version', '#r': 'revokedAt' },
                  ExpressionAttributeValues: { ':v': baseVersion },
                }
              : {
                  ConditionExpression: '#v = :v AND attribute_not_exists(#r)',
                  ExpressionAttributeNames: { '#v': 'version', '#r': 'revokedAt' },
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
    const live = await this.get(partnerId);
    if (!live) return undefined;
    if (expectedVersion !== undefined && live.version !== expectedVersion) {
      throw new GrantConflictError(partnerId, live);
    }
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { partnerId, version: live.version + 1, revokedAt: this.now().toISOString() },
          ConditionExpression: '#v = :v AND attribute_not_exists(#r)',
          ExpressionAttributeNames: { '#v': 'version', '#r': 'revokedAt' },
          ExpressionAttributeValues: { ':v': live.version },
        }),
      );
      return live;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) {
        throw new GrantConflictError(partnerId, await this.get(partnerId));
      }
      throw err;
    }
  }
}

/** A revoked grant's remains: its last version, so the next grant's versions continue past it. */
function isTombstone(item: Record<string, unknown>): boolean {
  return item['revokedAt'] !== undefined;
}

function toGrant(item: Record<string, unknown>): Grant {
  const list = (v: unknown) => (Array.isArray(v) ? v.map(String) : []);
  const filters = (item['rowFilters'] ?? undefined) as Record<string, unknown> | undefined;
  const rowFilters = filters
    ? Object.fromEntries(Object.entries(filters).map(([name, values]) => [name, list(values)]))
    : undefined;
  const terms = item['rowAccess'] as Record<string, unknown> | undefined;
  const rowAccess =
    terms && typeof terms['expiresAt'] === 'string' && Number.isInteger(Number(terms['maxRowsPerExtract']))
      ? { expiresAt: terms['expiresAt'], maxRowsPerExtract: Number(terms['maxRowsPerExtract']) }
      : undefined;
  return {
    partnerId: String(item['partnerId']),
    datasets: list(item['datasets']),
    columns: list(item['columns']),
    ...(rowFilters ? { rowFilters } : {}),
    minimumCellSize: Number(item['minimumCellSize']),
    // Grants written before levels existed are aggregates-only; anything but "rows" reads as aggregates.
    level: item['level'] === 'rows' ? 'rows' : 'aggregates',
    ...(item['level'] === 'rows' && rowAccess ? { rowAccess } : {}),
    version: Number(item['version']),
    updatedAt: String(item['updatedAt']),
    ...(item['updatedBy'] ? { updatedBy: String(item['updatedBy']) } : {}),
  };
}
