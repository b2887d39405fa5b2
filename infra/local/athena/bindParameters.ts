import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';
import type { ExecutionParameter } from './executionParameter';
import { QueryRejectedError } from './QueryRejectedError';

/** Binds each parameter as a value: typed literals are converted by DuckDB with a fixed-type cast of their text. */
export async function bindParameters(
  connection: DuckDBConnection,
  statement: DuckDBPreparedStatement,
  parameters: readonly ExecutionParameter[],
): Promise<void> {
  if (parameters.length !== statement.parameterCount) {
    throw new QueryRejectedError(
      `INVALID_PARAMETER_USAGE: Incorrect number of parameters: expected ${statement.parameterCount} but found ${parameters.length}`,
    );
  }
  for (const [i, parameter] of parameters.entries()) {
    const index = i + 1;
    if (parameter.kind === 'null') statement.bindNull(index);
    else if (parameter.kind === 'varchar') statement.bindVarchar(index, parameter.text);
    else if (parameter.duckdbType === 'INTEGER') statement.bindInteger(index, Number(parameter.text));
    else if (parameter.duckdbType === 'BIGINT') statement.bindBigInt(index, BigInt(parameter.text));
    else if (parameter.duckdbType === 'DOUBLE') statement.bindDouble(index, Number(parameter.text));
    else if (parameter.duckdbType === 'BOOLEAN') statement.bindBoolean(index, parameter.text === 'true');
    else {
      // DECIMAL, DATE, TIMESTAMP: DuckDB converts the literal's text with a cast to the fixed type.
      const converted = await connection.runAndReadAll(`SELECT CAST($1::VARCHAR AS ${parameter.duckdbType})`, [
        parameter.text,
      ]);
      statement.bindValue(index, converted.getRows()[0]?.[0] ?? null, converted.columnTypes()[0]);
    }
  }
}
