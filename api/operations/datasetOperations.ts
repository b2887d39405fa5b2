import { glueType } from '../../etl/schemas/columnTypes';
import { curatedColumns, PARTITION_COLUMNS } from '../../etl/schemas/curatedColumns';
import { DATASETS, isDatasetName } from '../../etl/schemas/datasets';
import { visibleColumns } from '../access/applyScope';
import type { Scope } from '../access/Scope';
import { DatasetNotLoadedError, ForbiddenError, NotFoundError } from '../errors';
import { jsonResponse } from '../http/ApiRequest';
import type { DataVersions } from '../ports/DataVersions';
import type { RunSummaries } from '../ports/RunSummaries';
import type { OperationHandler } from '../router';

/** Datasets: their schema (from `etl/schemas`), current data version (Glue) and last load (the ETL's runs). */
export function datasetOperations(deps: {
  readonly database: string;
  readonly versions: DataVersions;
  readonly runs: RunSummaries;
}): Record<string, OperationHandler> {
  const { database, versions, runs } = deps;
  const versionOf = async (name: string): Promise<string | null> => {
    try {
      return await versions.versionOf(name);
    } catch (err) {
      if (err instanceof DatasetNotLoadedError) return null;
      throw err;
    }
  };
  return {
    listDatasets: async (request) => {
      const datasets = [];
      for (const schema of Object.values(DATASETS)) {
        if (!describes(request.scope, schema.name)) continue;
        datasets.push({
          name: schema.name,
          table: `${database}.${schema.name}`,
          description: schema.description,
          dataVersion: await versionOf(schema.name),
          links: { self: `${request.basePath}/v1/datasets/${schema.name}` },
        });
      }
      return jsonResponse(200, { datasets }, { 'Cache-Control': 'private, no-cache' });
    },
    getDataset: async (request) => {
      const name = request.pathParams['name']!;
      if (!isDatasetName(name)) {
        throw new NotFoundError(`No dataset is named '${name}'; GET /v1/datasets lists them.`);
      }
      if (!describes(request.scope, name)) {
        throw new ForbiddenError(`Your grant does not include dataset ${name}; ask a data steward to extend it.`);
      }
      const schema = DATASETS[name];
      const dataVersion = await versionOf(name);
      const readable = readableColumns(request.scope, name);
      return jsonResponse(
        200,
        {
          name,
          table: `${database}.${name}`,
          description: schema.description,
          dataVersion,
          columns: curatedColumns(schema)
            .filter((c) => readable(c.name))
            .map((c) => ({
              name: c.name,
              type: glueType(c.type),
              description: c.description,
              pii: c.pii,
            })),
          partitionKeys: PARTITION_COLUMNS.filter((p) => readable(p.name)).map((p) => ({
            name: p.name,
            type: glueType(p.type),
            description: p.description,
          })),
          lastRun: (await runs.lastRun(name, dataVersion)) ?? null,
        },
        { 'Cache-Control': 'private, no-cache' },
      );
    },
  };
}

/**
 * Whether a caller is shown a dataset: a partner only the datasets of its grant; every other role all of them
 * (stewards read no rows, but they write grants, so they see every dataset and column by name).
 */
function describes(scope: Scope, dataset: string): boolean {
  return scope.role !== 'partner' || (scope.datasets !== 'all' && scope.datasets.includes(dataset));
}

/**
 * The columns of a dataset a caller is shown: a partner exactly those it may read (its grant's, never
 * `student_id` or `student_name`: a pseudonymised scope reads them only as `student_key`); every other role all.
 */
function readableColumns(scope: Scope, dataset: string): (column: string) => boolean {
  if (scope.role !== 'partner') return () => true;
  const visible = visibleColumns(dataset, scope);
  return (column) => visible.get(column) === column;
}
