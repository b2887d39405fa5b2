import { glueType } from '../../etl/schemas/columnTypes';
import { curatedColumns, PARTITION_COLUMNS } from '../../etl/schemas/curatedColumns';
import { DATASETS, isDatasetName } from '../../etl/schemas/datasets';
import { DatasetNotLoadedError, NotFoundError } from '../errors';
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
      const schema = DATASETS[name];
      const dataVersion = await versionOf(name);
      return jsonResponse(
        200,
        {
          name,
          table: `${database}.${name}`,
          description: schema.description,
          dataVersion,
          columns: curatedColumns(schema).map((c) => ({
            name: c.name,
            type: glueType(c.type),
            description: c.description,
            pii: c.pii,
          })),
          partitionKeys: PARTITION_COLUMNS.map((p) => ({
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
