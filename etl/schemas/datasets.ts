import type { DatasetSchema } from './DatasetSchema';
import { UnknownDatasetError } from './errors';
import { EXAM_RESULTS } from './examResults';
import { ITEM_RESPONSES } from './itemResponses';

/** Every declared dataset by name. Adding a dataset means adding its definition here. */
export const DATASETS = Object.freeze({
  exam_results: EXAM_RESULTS,
  item_responses: ITEM_RESPONSES,
} as const satisfies Record<string, DatasetSchema>);

export type DatasetName = keyof typeof DATASETS;

export const DATASET_NAMES = Object.freeze(Object.keys(DATASETS) as DatasetName[]);

export function isDatasetName(name: string): name is DatasetName {
  return Object.hasOwn(DATASETS, name);
}

/** The dataset of that name, or an `UnknownDatasetError` listing the declared ones. */
export function getDataset(name: string): DatasetSchema {
  if (!isDatasetName(name)) {
    throw new UnknownDatasetError(`No dataset is named '${name}'. Declared datasets: ${DATASET_NAMES.join(', ')}.`);
  }
  return DATASETS[name];
}
