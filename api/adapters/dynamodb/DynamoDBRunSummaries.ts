import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { RunSummaries, RunSummary } from '../../ports/RunSummaries';

/**
 * Run summaries from the ETL's `runs` table, read defensively (the ETL owns the items): first the dataset's
 * last-run pointer `pk = dataset#<name>, sk = last-run`, then the run named by the data version
 * `pk = run#<runId>, sk = summary`. Fields of the wrong type are dropped; a missing table or item reads as
 * "no run recorded", never as an error of the dataset description.
 */
export class DynamoDBRunSummaries implements RunSummaries {
  private readonly documents: DynamoDBDocumentClient;

  constructor(
    dynamodb: DynamoDBClient,
    private readonly tableName: string,
  ) {
    this.documents = DynamoDBDocumentClient.from(dynamodb);
  }

  async lastRun(dataset: string, dataVersion: string | null): Promise<RunSummary | undefined> {
    const keys = [{ pk: `dataset#${dataset}`, sk: 'last-run' }];
    if (dataVersion) keys.push({ pk: `run#${dataVersion}`, sk: 'summary' });
    for (const key of keys) {
      try {
        const out = await this.documents.send(new GetCommand({ TableName: this.tableName, Key: key }));
        const summary = out.Item ? toSummary(out.Item, dataVersion) : undefined;
        if (summary) return summary;
      } catch {
        // The ETL's table may be absent or shaped differently: a description without its last run.
      }
    }
    return undefined;
  }
}

function toSummary(item: Record<string, unknown>, dataVersion: string | null): RunSummary | undefined {
  const runId = typeof item['runId'] === 'string' ? item['runId'] : dataVersion;
  if (!runId) return undefined;
  const text = (name: string) => (typeof item[name] === 'string' ? (item[name] as string) : undefined);
  const count = (name: string) => {
    const v = item[name];
    return typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined;
  };
  const isoDate = (name: string) => {
    const v = text(name);
    return v && !Number.isNaN(Date.parse(v)) ? new Date(v).toISOString() : undefined;
  };
  const summary: Record<string, unknown> = {
    runId,
    state: text('state'),
    startedAt: isoDate('startedAt'),
    completedAt: isoDate('completedAt'),
    rowsRead: count('rowsRead'),
    rowsWritten: count('rowsWritten'),
    rowsRejected: count('rowsRejected'),
  };
  for (const k of Object.keys(summary)) if (summary[k] === undefined) delete summary[k];
  return summary as unknown as RunSummary;
}
