import { curatedColumns, getDataset, isDatasetName, PARTITION_COLUMNS } from '../../etl/schemas';
import { type FieldError, ValidationError } from '../errors';
import { FORBIDDEN_GRANT_COLUMNS, type GrantInput } from './Grant';

/**
 * The checks of a grant beyond its JSON schema (which the router has applied): datasets that exist, columns
 * that exist in a granted dataset and are not `student_id`/`student_name` (whatever the letter case), and a
 * minimum cell size no smaller than the deployment's. Throws one `ValidationError` listing every problem.
 */
export function validateGrant(input: GrantInput, options: { readonly minimumCellSize: number }): void {
  const errors: FieldError[] = [];
  const known = new Set<string>(PARTITION_COLUMNS.map((c) => c.name));
  input.datasets.forEach((name, i) => {
    if (!isDatasetName(name)) {
      errors.push({ in: 'body', name: `/datasets/${i}`, message: `names no dataset (${name})` });
      return;
    }
    for (const c of curatedColumns(getDataset(name))) known.add(c.name);
  });
  input.columns.forEach((name, i) => {
    if ((FORBIDDEN_GRANT_COLUMNS as readonly string[]).includes(name.toLowerCase())) {
      errors.push({ in: 'body', name: `/columns/${i}`, message: `must not be ${name}: partners see student_key` });
    } else if (!known.has(name)) {
      errors.push({ in: 'body', name: `/columns/${i}`, message: `is not a column of the granted datasets (${name})` });
    }
  });
  if (input.minimumCellSize < options.minimumCellSize) {
    errors.push({
      in: 'body',
      name: '/minimumCellSize',
      message: `must be at least ${options.minimumCellSize} (EXAMLAKE_MINIMUM_CELL_SIZE)`,
    });
  }
  if (errors.length) throw new ValidationError(errors);
}
