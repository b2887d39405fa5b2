import type { DatasetSchema } from './DatasetSchema';
import { DATASETS, isDatasetName } from './datasets';
import { HeaderMismatchError, UnknownDatasetError } from './errors';
import { resolveHeader } from './resolveHeader';

/** What is known about an export: its object key (or file path), its header fields, or both. */
export interface DatasetEvidence {
  /** Object key or relative path; its first segment names the dataset (`exam_results/2025-09.csv`). */
  readonly key?: string;
  readonly header?: readonly string[];
}

/** The dataset an export belongs to and what decided it. */
export interface InferredDataset {
  readonly dataset: DatasetSchema;
  readonly by: 'key' | 'header';
}

/**
 * Which dataset an export belongs to: the key prefix when it names a dataset, else the one dataset whose
 * columns the header fits. Throws `UnknownDatasetError` saying, per dataset, why the header does not fit.
 */
export function inferDataset(evidence: DatasetEvidence | readonly string[]): InferredDataset {
  const { key, header } = Array.isArray(evidence)
    ? { key: undefined, header: evidence as readonly string[] }
    : (evidence as DatasetEvidence);
  const prefix = key?.replace(/^\/+/, '').split('/')[0];
  if (key !== undefined && prefix !== undefined && key.includes('/') && isDatasetName(prefix)) {
    return { dataset: DATASETS[prefix], by: 'key' };
  }
  if (header === undefined) {
    throw new UnknownDatasetError(
      `Cannot tell the dataset of '${key}': its key is not under a dataset prefix ` +
        `(${Object.keys(DATASETS)
          .map((n) => `${n}/`)
          .join(', ')}). Name the dataset, or give its header.`,
    );
  }
  const fits: DatasetSchema[] = [];
  const reasons: string[] = [];
  for (const dataset of Object.values(DATASETS)) {
    try {
      resolveHeader(dataset, header);
      fits.push(dataset);
    } catch (err) {
      if (!(err instanceof HeaderMismatchError)) throw err;
      reasons.push(err.message);
    }
  }
  if (fits.length === 1) return { dataset: fits[0]!, by: 'header' };
  if (fits.length > 1) {
    throw new UnknownDatasetError(
      `The header fits several datasets (${fits.map((d) => d.name).join(', ')}); name the dataset explicitly.`,
    );
  }
  throw new UnknownDatasetError(
    `${key ? `'${key}' is not under a dataset prefix and its` : 'The'} header matches no declared dataset. ${reasons.join(' ')}`,
  );
}
