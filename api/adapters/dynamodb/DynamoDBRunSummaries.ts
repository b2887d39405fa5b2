import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import {
  type DatasetRunSummary,
  type RunSummary as EtlRunSummary,
  RUN_KEYS,
} from '../../../etl/orchestration/runRecords';
import type { RunSummaries, RunSummary } from '../../ports/RunSummaries';

/**
 * Run summaries from the ETL's `runs` table, keyed and typed by the ETL's own records
 * (`etl/orchestration/runRecords.ts`), read defensively: the table's data version is the id of the run that
 * committed it, whose summary item is `RUN_KEYS.runPk(runId)`, `RUN_KEYS.summarySk`. The
 * dataset's counts come from the summary's `datasets.<name>`; fields of the wrong type are dropped; a missing
 * table or item reads as "no run recorded", never as an error of the dataset description.
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
    if (!dataVersion) return undefined;
    try {
      const out = await this.documents.send(
        new GetCommand({ TableName: this.tableName, Key: { pk: RUN_KEYS.runPk(dataVersion), sk: RUN_KEYS.summarySk } }),
      );
      return out.Item ? toSummary(out.Item, dataset, dataVersion) : undefined;
    } catch {
      // The ETL's table may be absent or shaped differently: a description without its last run.
      return undefined;
    }
  }
}

/** A stored summary as the ETL writes it, any field possibly missing or of another type (an older writer). */
type StoredSummary = { readonly [K in keyof EtlRunSummary]?: unknown };
type StoredCounts = { readonly [K in keyof DatasetRunSummary]?: unknown };

function toSummary(item: StoredSummary, dataset: string, dataVersion: string): RunSummary {
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  const count = (v: unknown) => (typeof v === 'number' && Number.isInteger(v) && v >= 0 ? v : undefined);
  const isoDate = (v: unknown) => {
    const t = text(v);
    return t && !Number.isNaN(Date.parse(t)) ? new Date(t).toISOString() : undefined;
  };
  const datasets = item.datasets;
  const mine =
    datasets !== null && typeof datasets === 'object' ? (datasets as Record<string, unknown>)[dataset] : undefined;
  const counts: StoredCounts = mine !== null && typeof mine === 'object' ? mine : {};
  const summary: Record<string, unknown> = {
    runId: text(item.runId) ?? dataVersion,
    state: text(item.state),
    startedAt: isoDate(item.startedAt),
    completedAt: isoDate(item.finishedAt),
    rowsRead: count(counts.rowsIn),
    rowsWritten: count(counts.written),
    rowsRejected: count(counts.rejected),
  };
  for (const k of Object.keys(summary)) if (summary[k] === undefined) delete summary[k];
  return summary as unknown as RunSummary;
}
