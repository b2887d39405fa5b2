import { curatedColumns, getDataset, isDatasetName, PARTITION_COLUMNS } from '../../etl/schemas';
import { type FieldError, ValidationError } from '../errors';
import { FORBIDDEN_GRANT_COLUMNS, type GrantInput } from './Grant';

export interface ValidateGrantOptions {
  /** The deployment's minimum cell size (`EXAMLAKE_MINIMUM_CELL_SIZE`). */
  readonly minimumCellSize: number;
  /** The largest `rowAccess.maxRowsPerExtract` (`EXAMLAKE_EXTRACT_MAX_ROWS`). */
  readonly maxExtractRows: number;
  /** @default () => new Date() */
  readonly now?: () => Date;
}

/**
 * The checks of a grant beyond its JSON schema (which the router has applied): datasets that exist, columns
 * that exist in a granted dataset and are not `student_id`/`student_name` (whatever the letter case), and a
 * minimum cell size no smaller than the deployment's, and row-level terms that are present exactly when the level is
 * `rows`, end in the future and cap extracts within the deployment's limit. Throws one `ValidationError` listing
 * every problem.
 */
export function validateGrant(input: GrantInput, options: ValidateGrantOptions): void {
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
  errors.push(...rowLevelErrors(input, options));
  if (errors.length) throw new ValidationError(errors);
}

function rowLevelErrors(input: GrantInput, options: ValidateGrantOptions): FieldError[] {
  const level = input.level ?? 'aggregates';
  const terms = input.rowAccess;
  if (level === 'aggregates') {
    return terms
      ? [{ in: 'body', name: '/rowAccess', message: 'is only for level "rows" (an aggregates grant has no row terms)' }]
      : [];
  }
  if (!terms) {
    return [
      { in: 'body', name: '/rowAccess', message: 'is required with level "rows": expiresAt and maxRowsPerExtract' },
    ];
  }
  const errors: FieldError[] = [];
  const expires = Date.parse(terms.expiresAt);
  const now = (options.now ?? (() => new Date()))().getTime();
  if (!Number.isFinite(expires)) {
    errors.push({ in: 'body', name: '/rowAccess/expiresAt', message: 'must be an ISO 8601 date-time with offset' });
  } else if (expires <= now) {
    errors.push({ in: 'body', name: '/rowAccess/expiresAt', message: `must be in the future (${terms.expiresAt})` });
  }
  if (terms.maxRowsPerExtract > options.maxExtractRows) {
    errors.push({
      in: 'body',
      name: '/rowAccess/maxRowsPerExtract',
      message: `must be at most ${options.maxExtractRows} (EXAMLAKE_EXTRACT_MAX_ROWS)`,
    });
  }
  return errors;
}
