import { UnknownDatasetError } from '../../../etl/schemas/errors';
import { EXAM_RESULTS } from '../../../etl/schemas/examResults';
import { inferDataset } from '../../../etl/schemas/inferDataset';
import { ITEM_RESPONSES } from '../../../etl/schemas/itemResponses';

const header = (schema = EXAM_RESULTS) => schema.columns.map((c) => c.name);

function unknown(run: () => unknown): UnknownDatasetError {
  try {
    run();
  } catch (err) {
    if (err instanceof UnknownDatasetError) return err;
    throw err;
  }
  throw new Error('expected an UnknownDatasetError');
}

describe('inferDataset', () => {
  it('takes the dataset from the first segment of the key', () => {
    expect(inferDataset({ key: 'exam_results/2025/exam_results-2025-09.csv' })).toEqual({
      dataset: EXAM_RESULTS,
      by: 'key',
    });
    expect(inferDataset({ key: '/item_responses/x.csv' }).dataset).toBe(ITEM_RESPONSES);
  });

  it('trusts the key over the header', () => {
    expect(inferDataset({ key: 'item_responses/x.csv', header: header(EXAM_RESULTS) })).toEqual({
      dataset: ITEM_RESPONSES,
      by: 'key',
    });
  });

  it('reads the header when the key names no dataset', () => {
    expect(inferDataset({ key: 'uploads/export.csv', header: header(ITEM_RESPONSES) })).toEqual({
      dataset: ITEM_RESPONSES,
      by: 'header',
    });
    expect(inferDataset({ key: 'exam_results.csv', header: header(ITEM_RESPONSES) }).by).toBe('header');
  });

  it('reads a header alone, in any spelling the schemas accept', () => {
    const spelled = EXAM_RESULTS.columns.map((c) => c.aliases[0] ?? c.name.toUpperCase());
    expect(inferDataset(spelled)).toEqual({ dataset: EXAM_RESULTS, by: 'header' });
    expect(inferDataset({ header: ['\uFEFFResult ID', ...header(ITEM_RESPONSES).slice(1)] }).dataset).toBe(
      ITEM_RESPONSES,
    );
  });

  it('refuses a key outside every dataset prefix without a header, listing the prefixes', () => {
    const err = unknown(() => inferDataset({ key: 'attendance/2025.csv' }));
    expect(err.code).toBe('UNKNOWN_DATASET');
    expect(err.message).toBe(
      "Cannot tell the dataset of 'attendance/2025.csv': its key is not under a dataset prefix " +
        '(exam_results/, item_responses/). Name the dataset, or give its header.',
    );
  });

  it('refuses a header no dataset fits, saying why for each dataset', () => {
    const err = unknown(() => inferDataset({ key: 'attendance/2025.csv', header: ['student_id', 'date', 'present'] }));
    expect(err.code).toBe('UNKNOWN_DATASET');
    expect(err.message).toMatch(/^'attendance\/2025.csv' is not under a dataset prefix and its header matches no/);
    expect(err.message).toContain('The header does not fit dataset exam_results: missing required columns result_id');
    expect(err.message).toContain('The header does not fit dataset item_responses: missing required columns result_id');
    expect(unknown(() => inferDataset([])).message).toMatch(/^The header matches no declared dataset\./);
  });

  it('refuses a header of only the columns both datasets share, since each requires more', () => {
    // No header can fit both declared datasets, so the "fits several" branch is unreachable with them.
    const shared = header(EXAM_RESULTS).filter((n) => header(ITEM_RESPONSES).includes(n));
    expect(unknown(() => inferDataset(shared)).message).toContain('matches no declared dataset');
  });
});
