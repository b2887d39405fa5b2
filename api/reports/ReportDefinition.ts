import type { DisclosureDeclaration } from '../access/minimumCell';
import type { Sql } from '../core/Sql';
import type { Role } from '../http/openapiDocument';

/** A column a report returns. */
export interface ReportColumn {
  readonly name: string;
  /** Athena (Trino) type of the value. */
  readonly type: string;
  readonly description: string;
}

/** Parameters a report receives after validation against its schema (camelCase names). */
export interface ReportParameters {
  readonly schoolId?: string;
  readonly examId?: string;
  readonly classId?: string;
  readonly studentId?: string;
  readonly subject?: string;
  readonly from?: string;
  readonly to?: string;
  readonly bins?: number;
}

/**
 * A named, parameterised query: one module per report under `api/reports/`, listed in `catalog.ts`. The
 * parameter schema is the `components.schemas.<parametersSchema>` of `openapi.yaml` (the contract is the one
 * place it is written); `query` builds Athena SQL with every value as a parameter, reading each dataset by
 * its bare name (`FROM exam_results r`): `applyScope` puts the caller's scoped view of it in front.
 */
export interface ReportDefinition {
  /** kebab-case, the path segment of `/v1/reports/{reportId}`. */
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Dataset tables read; their data versions key cached results. */
  readonly datasets: readonly string[];
  /** Columns read of each dataset: a column the caller's scope hides is refused with a 403 naming it. */
  readonly columnsRead: Readonly<Record<string, readonly string[]>>;
  /** Name of the schema in `openapi.yaml` `components.schemas`. */
  readonly parametersSchema: string;
  readonly columns: readonly ReportColumn[];
  /**
   * How its rows are protected under a partner grant's minimum cell size (`applyMinimumCell`): the columns
   * naming a row's group, those counting individuals, and counts in disguise. `null` when a row describes a
   * single student or answer: the report is then refused (403) to scopes with a minimum cell size above 1.
   */
  readonly disclosure: DisclosureDeclaration | null;
  readonly roles: readonly Role[];
  /** The query, ending in its ORDER BY (the service appends the row limit). */
  query(parameters: ReportParameters): Sql;
}
