import type { QueryExecution } from '@aws-sdk/client-athena';
import { isFinal, type StoredQueryExecution } from './StoredQueryExecution';
import { statementTypeOf } from './tableStatements';
import { ENGINE_VERSION } from './WorkGroups';

/** Epoch seconds, as the JSON 1.1 protocol sends timestamps. */
export const seconds = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

/**
 * GetQueryExecution's `QueryExecution` for a stored query. Statistics follow Athena's meaning: queue time from
 * submission to start, engine time from start to the end of the DuckDB run, service processing time for writing
 * the result, total from submission to completion.
 */
export function queryExecutionWire(record: StoredQueryExecution): QueryExecution {
  const now = Date.now();
  const startedAt = record.startedAt ?? (isFinal(record.state) ? record.completedAt : undefined);
  const queueMs = (startedAt ?? now) - record.submittedAt;
  const engineMs =
    record.startedAt !== undefined ? (record.engineDoneAt ?? record.completedAt ?? now) - record.startedAt : 0;
  const serviceMs =
    record.engineDoneAt !== undefined && record.completedAt !== undefined
      ? record.completedAt - record.engineDoneAt
      : 0;
  // UNLOAD is a DML statement as SELECT is (its own substatement type); CREATE TABLE AS and DROP TABLE are DDL.
  // UNLOAD and CREATE TABLE AS have a data manifest.
  const { statementType, substatementType } = statementTypeOf(record.query);
  const manifest =
    record.state === 'SUCCEEDED' &&
    (substatementType === 'UNLOAD' ||
      (substatementType === 'CREATE_TABLE_AS_SELECT' && record.updateCount !== undefined));
  const wire = {
    QueryExecutionId: record.id,
    Query: record.query,
    StatementType: statementType,
    SubstatementType: substatementType,
    ResultConfiguration: { OutputLocation: record.outputLocation },
    ResultReuseConfiguration: { ResultReuseByAgeConfiguration: { Enabled: false } },
    QueryExecutionContext: record.database ? { Database: record.database, Catalog: record.catalog } : {},
    Status: {
      State: record.state,
      StateChangeReason: record.stateChangeReason,
      SubmissionDateTime: seconds(record.submittedAt),
      CompletionDateTime: seconds(record.completedAt),
      AthenaError: record.error,
    },
    Statistics: {
      EngineExecutionTimeInMillis: engineMs,
      DataScannedInBytes: record.dataScannedBytes,
      TotalExecutionTimeInMillis: (record.completedAt ?? now) - record.submittedAt,
      QueryQueueTimeInMillis: queueMs,
      ServicePreProcessingTimeInMillis: 0,
      QueryPlanningTimeInMillis: 0,
      ServiceProcessingTimeInMillis: serviceMs,
      ResultReuseInformation: { ReusedPreviousResult: false },
      ...(manifest ? { DataManifestLocation: record.outputLocation.replace(/\.csv$/, '-manifest.csv') } : {}),
    },
    WorkGroup: record.workGroup,
    EngineVersion: ENGINE_VERSION,
    ExecutionParameters: record.executionParameters,
  };
  return wire as unknown as QueryExecution;
}
