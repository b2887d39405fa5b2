import type { SqlValue } from './sqlLiteral';

/** Marks where the caller's row scope goes in a query: `applyScope` replaces it with predicates on `alias`. */
export interface ScopeMarker {
  readonly kind: 'scope';
  /** Table alias (or name) whose `school_id` / `district_id` columns the scope restricts. */
  readonly alias: string;
  /** Whether the table has `district_id` (exam_results does, item_responses does not). */
  readonly hasDistrict: boolean;
}

type SqlPart = { readonly text: string } | { readonly value: SqlValue } | ScopeMarker | Sql;

/**
 * A query under construction: SQL text, parameter values kept apart from it, and scope markers. Built with
 * the {@link sql} tag; rendered only by `applyScope`, which writes `?` for each value, so no value is ever
 * spliced into SQL text.
 */
export class Sql {
  constructor(readonly parts: readonly SqlPart[]) {}

  /** Joins fragments with a separator (`AND`, `,`). */
  static join(fragments: readonly Sql[], separator: string): Sql {
    const parts: SqlPart[] = [];
    fragments.forEach((f, i) => {
      if (i > 0) parts.push({ text: separator });
      parts.push(f);
    });
    return new Sql(parts);
  }

  /** Raw SQL text from code (never from input). */
  static raw(text: string): Sql {
    return new Sql([{ text }]);
  }
}

/** A value, a nested fragment or a scope marker interpolated into a query. */
export type SqlInterpolation = SqlValue | Sql | ScopeMarker;

/**
 * Tagged template for queries: literal text is SQL, every `${…}` is a parameter value (rendered `?`), a
 * nested {@link Sql} fragment, or a {@link scopeRows} marker.
 */
export function sql(strings: TemplateStringsArray, ...values: SqlInterpolation[]): Sql {
  const parts: SqlPart[] = [];
  strings.forEach((text, i) => {
    if (text) parts.push({ text });
    if (i < values.length) {
      const v = values[i]!;
      if (v instanceof Sql) parts.push(v);
      else if (typeof v === 'object' && 'kind' in v && v.kind === 'scope') parts.push(v);
      else parts.push({ value: v as SqlValue });
    }
  });
  return new Sql(parts);
}

/** The scope's row predicate on a table alias (rendered by `applyScope`). */
export function scopeRows(alias: string, options: { hasDistrict?: boolean } = {}): ScopeMarker {
  return { kind: 'scope', alias, hasDistrict: options.hasDistrict ?? true };
}
