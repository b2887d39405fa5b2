import {
  type AthenaClient,
  GetQueryExecutionCommand,
  GetQueryResultsCommand,
  InvalidRequestException,
  type QueryExecution,
  StartQueryExecutionCommand,
  TooManyRequestsException,
} from '@aws-sdk/client-athena';
import { QueryFailedError, QueryUnavailableError, ThrottledError } from '../../errors';
import {
  type EngineQuery,
  type ErrorCategory,
  EXECUTION_STATES,
  type ExecutionState,
  type ExecutionStatus,
  type QueryEngine,
  type ResultColumn,
} from '../../ports/QueryEngine';

/** How long a throttled or unavailable Athena is given before the client retries. */
const RETRY_AFTER_SECONDS = 5;

/**
 * The query engine on Athena: StartQueryExecution in the configured workgroup (which enforces the result
 * location and the bytes-scanned cutoff), GetQueryExecution for status, and the result set metadata for
 * column types. SDK errors are translated here: throttling becomes {@link ThrottledError}, SQL Athena refuses
 * becomes {@link QueryFailedError}, anything else {@link QueryUnavailableError}.
 */
export class AthenaQueryEngine implements QueryEngine {
  constructor(
    private readonly athena: AthenaClient,
    private readonly workGroup: string,
  ) {}

  async start(query: EngineQuery): Promise<string> {
    try {
      const out = await this.athena.send(
        new StartQueryExecutionCommand({
          QueryString: query.sql,
          WorkGroup: this.workGroup,
          ExecutionParameters: query.parameters.length > 0 ? [...query.parameters] : undefined,
        }),
      );
      if (!out.QueryExecutionId) throw new Error('StartQueryExecution returned no QueryExecutionId');
      return out.QueryExecutionId;
    } catch (err) {
      throw translate(err, 'start the query');
    }
  }

  async status(executionId: string): Promise<ExecutionStatus> {
    try {
      const out = await this.athena.send(new GetQueryExecutionCommand({ QueryExecutionId: executionId }));
      return toStatus(out.QueryExecution);
    } catch (err) {
      throw translate(err, 'read the query status');
    }
  }

  async columns(executionId: string): Promise<ResultColumn[]> {
    try {
      // Metadata only (one row at most): the rows themselves are read from the result object in S3.
      const out = await this.athena.send(new GetQueryResultsCommand({ QueryExecutionId: executionId, MaxResults: 1 }));
      return (out.ResultSet?.ResultSetMetadata?.ColumnInfo ?? []).map((c) => ({
        name: c.Name ?? c.Label ?? '',
        type: (c.Type ?? 'varchar').toLowerCase(),
      }));
    } catch (err) {
      throw translate(err, 'read the result columns');
    }
  }
}

function toStatus(execution: QueryExecution | undefined): ExecutionStatus {
  const raw = execution?.Status?.State ?? 'QUEUED';
  const state: ExecutionState = raw in EXECUTION_STATES ? (raw as ExecutionState) : 'RUNNING';
  const reason = execution?.Status?.StateChangeReason ?? execution?.Status?.AthenaError?.ErrorMessage ?? '';
  const category = categoryOf(execution?.Status?.AthenaError?.ErrorCategory);
  const failed = state === 'FAILED' || state === 'CANCELLED';
  return {
    state,
    outputLocation: execution?.ResultConfiguration?.OutputLocation,
    bytesScanned: execution?.Statistics?.DataScannedInBytes ?? 0,
    engineTimeMs: execution?.Statistics?.EngineExecutionTimeInMillis ?? 0,
    error: failed
      ? {
          category,
          message: reason || `The query ended ${state}.`,
          scanLimit: /bytes ?scanned|cutoff|scan limit/i.test(reason),
        }
      : undefined,
  };
}

function categoryOf(code: number | undefined): ErrorCategory {
  if (code === 1) return 'SYSTEM';
  if (code === 2) return 'USER';
  return 'OTHER';
}

function translate(err: unknown, action: string): Error {
  if (err instanceof TooManyRequestsException) {
    return new ThrottledError(
      `Athena is busy and could not ${action}; retry in ${RETRY_AFTER_SECONDS} s.`,
      RETRY_AFTER_SECONDS,
      err,
    );
  }
  if (err instanceof InvalidRequestException) {
    return new QueryFailedError(`Athena refused the query: ${err.message}`);
  }
  return new QueryUnavailableError(
    `Athena could not ${action}; retry in ${RETRY_AFTER_SECONDS} s.`,
    RETRY_AFTER_SECONDS,
    err,
  );
}
