import type { TableInput } from '@aws-sdk/client-glue';
import { DATASETS } from '../../etl/schemas/datasets';
import { glueTableInput } from '../../etl/schemas/glueTableInput';

/**
 * The Glue TableInput of every dataset, built by `etl/schemas` (the one definition of each dataset) with the
 * curated location the caller gives it, so the CDK catalog and the local catalog share one column list.
 */
export function datasetTableInputs(curatedLocation: (dataset: string) => string): TableInput[] {
  return Object.values(DATASETS).map((dataset) => glueTableInput(dataset, curatedLocation(dataset.name)));
}
