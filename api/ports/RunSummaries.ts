/** The summary of an ETL run as the dataset description shows it (from `etl/orchestration/runRecords.ts`: `completedAt` is the run's `finishedAt`). */
export interface RunSummary {
  readonly runId: string;
  readonly state?: string;
  readonly startedAt?: string;
  readonly completedAt?: string;
  readonly rowsRead?: number;
  readonly rowsWritten?: number;
  readonly rowsRejected?: number;
}

/** The ETL's run log (DynamoDB `runs` table), read for dataset descriptions. */
export interface RunSummaries {
  /** The last run that loaded the dataset, or undefined when none is recorded (or the record is unreadable). */
  lastRun(dataset: string, dataVersion: string | null): Promise<RunSummary | undefined>;
}
