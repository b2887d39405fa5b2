import { createHash } from 'node:crypto';
import { API_SETTINGS } from '../../settings/apiSettings';
import { canonicalJson } from '../core/canonicalJson';
import type { Role } from '../http/openapiDocument';
import { type Caller, PUBLIC_CALLER } from './Caller';
import { type Grant, ROW_FILTER_COLUMNS, type RowFilterColumn, type RowFilterName, type RowLevelTerms } from './Grant';

/** One condition on a row: its `column` holds one of `values`. */
export interface RowCondition {
  readonly column: RowFilterColumn;
  readonly values: readonly string[];
}

/**
 * Rows a scope may read. `filter` is a conjunction of disjunctions: a row is visible when, for every group of
 * `allOf`, at least one condition of the group holds. A school administrator has one group (their schools OR
 * their districts); a partner one group per row filter of the grant (schools AND regions AND …).
 */
export type RowAccess =
  | { readonly kind: 'all' }
  | { readonly kind: 'none'; readonly reason: string }
  | { readonly kind: 'filter'; readonly allOf: readonly (readonly RowCondition[])[] };

/**
 * What a caller may see: THE seam of access control. Every data access (reports, ad-hoc SQL, handles, page
 * tokens, datasets) receives a Scope and nothing else about the caller; `applyScope` is the one place that
 * turns it into SQL.
 */
export interface Scope {
  readonly role: Role;
  readonly caller: Caller;
  readonly rows: RowAccess;
  /** Datasets the scope may read. */
  readonly datasets: 'all' | readonly string[];
  /** Column allow-list (applies to every dataset), or `all`. */
  readonly columns: 'all' | readonly string[];
  /** PII columns (`student_id`, `student_name`) are replaced by the `student_key` pseudonym. */
  readonly pseudonymised: boolean;
  /** Aggregates over fewer rows are suppressed (1: no suppression). */
  readonly minimumCellSize: number;
  /**
   * Whether the scope may have rows (extracts), and on what terms: `unlimited` for analysts and school
   * administrators (their rows are theirs to see; the deployment's cap applies), the grant's terms for a partner
   * whose grant has level `rows`, undefined otherwise (aggregates only). Not part of the fingerprint: for a
   * partner it changes only with the grant version, which is.
   */
  readonly rowLevel: 'unlimited' | RowLevelTerms | undefined;
  /** Version of the partner grant the scope was built from. */
  readonly grantVersion: number | undefined;
  /**
   * SHA-256 (hex) of the canonical JSON of what the scope lets its holder see (everything above but the
   * caller). Callers who may see exactly the same data share it, and so share cache entries; it is part of
   * every cache key, handle and page token. A partner's includes the grant version, so a changed grant never
   * answers from entries computed under the old one.
   */
  readonly fingerprint: string;
}

/** What a deployment imposes on every scope, whatever the stored grant says. */
export interface ScopeOptions {
  /**
   * The floor of every partner's minimum cell size (`EXAMLAKE_MINIMUM_CELL_SIZE`): a grant below it (written
   * straight to DynamoDB, say) is enforced at the floor, and so is one whose minimum is not a whole number.
   * @default the setting's default (10)
   */
  readonly minimumCellSizeFloor: number;
}

const DEFAULT_OPTIONS: ScopeOptions = { minimumCellSizeFloor: API_SETTINGS.minimumCellSize.parse(undefined) };

/**
 * Builds the caller's scope; `grant` is the partner's grant (ignored for other roles). The only function
 * that decides what a role may see:
 *
 * | role | rows | datasets, columns |
 * |---|---|---|
 * | analyst | all | all |
 * | school_admin | school_id in their schools OR district_id in their districts (none if they hold neither) | all |
 * | partner | every row filter of the grant (none without a grant) | the grant's, PII replaced by `student_key` |
 * | steward | none: stewards manage grants, they do not read data rows | none |
 * | public | none: the public reads open-data reports only, which are not scoped queries | none |
 */
export function scopeFor(caller: Caller, grant?: Grant, options: ScopeOptions = DEFAULT_OPTIONS): Scope {
  switch (caller.role) {
    case 'analyst':
      return build(caller, {
        rows: { kind: 'all' },
        datasets: 'all',
        columns: 'all',
        pseudonymised: false,
        rowLevel: 'unlimited',
      });
    case 'school_admin': {
      const group: RowCondition[] = [];
      if (caller.schoolIds.length) group.push(condition('school_id', caller.schoolIds));
      if (caller.districtIds.length) group.push(condition('district_id', caller.districtIds));
      const rows: RowAccess = group.length
        ? { kind: 'filter', allOf: [group] }
        : {
            kind: 'none',
            reason: 'Your token lists no school or district ids (custom:school_ids, custom:district_ids).',
          };
      return build(caller, { rows, datasets: 'all', columns: 'all', pseudonymised: false, rowLevel: 'unlimited' });
    }
    case 'partner': {
      if (!grant || grant.partnerId !== caller.partnerId) {
        return build(caller, {
          rows: { kind: 'none', reason: `Partner ${caller.partnerId ?? '(none)'} has no grant; ask a data steward.` },
          datasets: [],
          columns: [],
          pseudonymised: true,
        });
      }
      const allOf: RowCondition[][] = [];
      for (const name of Object.keys(ROW_FILTER_COLUMNS) as RowFilterName[]) {
        const values = grant.rowFilters?.[name];
        if (values !== undefined) allOf.push([condition(ROW_FILTER_COLUMNS[name], values)]);
      }
      return build(caller, {
        rows: allOf.some((g) => g[0]!.values.length === 0)
          ? { kind: 'none', reason: 'The grant has an empty row filter.' }
          : allOf.length
            ? { kind: 'filter', allOf }
            : { kind: 'all' },
        datasets: [...grant.datasets].sort(),
        columns: [...grant.columns].sort(),
        pseudonymised: true,
        minimumCellSize: enforcedMinimum(grant.minimumCellSize, options.minimumCellSizeFloor),
        grantVersion: grant.version,
        rowLevel: grant.level === 'rows' && grant.rowAccess ? Object.freeze({ ...grant.rowAccess }) : undefined,
      });
    }
    default:
      return build(caller, {
        rows: {
          kind: 'none',
          reason:
            caller.role === 'steward'
              ? 'Data stewards manage grants and do not read data rows.'
              : 'The public reads open-data reports only (/v1/open/reports).',
        },
        datasets: [],
        columns: [],
        pseudonymised: true,
      });
  }
}

/** Columns open-data reports may read: areas, subject, outcome and what selects first attempts of a year. */
export const OPEN_DATA_COLUMNS = [
  'region',
  'district_id',
  'school_id',
  'subject',
  'passed',
  'attempt',
  'year',
] as const;

/**
 * The scope open-data reports run under: every row (their figures are aggregates, suppressed before
 * publication) but only {@link OPEN_DATA_COLUMNS}, so an open report cannot even read a student column. The
 * same for every caller (open figures do not depend on who asks), so all share its cache entries.
 */
export function openDataScope(): Scope {
  return build(PUBLIC_CALLER, {
    rows: { kind: 'all' },
    datasets: ['exam_results'],
    columns: [...OPEN_DATA_COLUMNS].sort(),
    pseudonymised: true,
  });
}

/** A stored minimum, raised to the floor (a value that is not a whole number counts as absent). */
export function enforcedMinimum(stored: unknown, floor: number): number {
  return typeof stored === 'number' && Number.isInteger(stored) ? Math.max(stored, floor) : floor;
}

function condition(column: RowFilterColumn, values: readonly string[]): RowCondition {
  return { column, values: [...new Set(values)].sort() };
}

function build(
  caller: Caller,
  visible: Omit<Scope, 'role' | 'caller' | 'fingerprint' | 'minimumCellSize' | 'grantVersion' | 'rowLevel'> &
    Partial<Pick<Scope, 'minimumCellSize' | 'grantVersion' | 'rowLevel'>>,
): Scope {
  const seen = {
    role: caller.role,
    partnerId: caller.role === 'partner' ? (caller.partnerId ?? null) : null,
    rows: visible.rows.kind === 'none' ? { kind: 'none' } : visible.rows,
    datasets: visible.datasets,
    columns: visible.columns,
    pseudonymised: visible.pseudonymised,
    minimumCellSize: visible.minimumCellSize ?? 1,
    grantVersion: visible.grantVersion ?? null,
  };
  const fingerprint = createHash('sha256').update(canonicalJson(seen)).digest('hex');
  return Object.freeze({
    ...visible,
    role: caller.role,
    caller,
    minimumCellSize: seen.minimumCellSize,
    grantVersion: visible.grantVersion,
    rowLevel: visible.rowLevel,
    fingerprint,
  });
}
