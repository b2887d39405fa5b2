import { ConditionalCheckFailedException, type DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DeleteCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CacheEntry } from '../../core/CacheEntry';
import { QueryUnavailableError, ThrottledError } from '../../errors';
import type { ResultCache } from '../../ports/ResultCache';

const KEY_PREFIX = 'q#';

/**
 * The query-hash cache in DynamoDB: one item per key (`pk = q#<hash>`), the entry's fields as attributes,
 * `expiresAt` (epoch seconds) as the table's TTL attribute. Reads are strongly consistent; every write is
 * conditional on the `version` the writer last saw (`attribute_not_exists(pk)` for a first claim), and a
 * failed condition (`ConditionalCheckFailedException`) is the answer false, not an error.
 */
export class DynamoDBResultCache implements ResultCache {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb, {
      marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false },
    });
  }

  async get(key: string): Promise<CacheEntry | undefined> {
    try {
      const out = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: KEY_PREFIX + key }, ConsistentRead: true }),
      );
      if (!out.Item) return undefined;
      const { pk: _pk, ...entry } = out.Item;
      return entry as CacheEntry;
    } catch (err) {
      throw translate(err);
    }
  }

  async put(entry: CacheEntry, expectedVersion: string | undefined): Promise<boolean> {
    try {
      await this.documents.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { pk: KEY_PREFIX + entry.key, ...entry },
          ...(expectedVersion === undefined
            ? { ConditionExpression: 'attribute_not_exists(pk)' }
            : versionIs(expectedVersion)),
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw translate(err);
    }
  }

  async delete(key: string, expectedVersion: string): Promise<boolean> {
    try {
      await this.documents.send(
        new DeleteCommand({
          TableName: this.tableName,
          Key: { pk: KEY_PREFIX + key },
          ...versionIs(expectedVersion),
        }),
      );
      return true;
    } catch (err) {
      if (err instanceof ConditionalCheckFailedException) return false;
      throw translate(err);
    }
  }
}

function translate(err: unknown): Error {
  const name = (err as { name?: string })?.name ?? '';
  if (/ProvisionedThroughputExceeded|ThrottlingException|RequestLimitExceeded/.test(name)) {
    return new ThrottledError('The result cache is busy; retry in 1 s.', 1, err);
  }
  return new QueryUnavailableError('The result cache could not be reached; retry in 2 s.', 2, err);
}

/** The condition of every write after the first: the entry still has the version the writer read. */
function versionIs(expected: string) {
  return {
    ConditionExpression: '#version = :expected',
    ExpressionAttributeNames: { '#version': 'version' },
    ExpressionAttributeValues: { ':expected': expected },
  };
}
