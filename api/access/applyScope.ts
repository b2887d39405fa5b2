import { type ScopeMarker, Sql } from '../core/Sql';
import { sqlLiteral } from '../core/sqlLiteral';
import type { EngineQuery } from '../ports/QueryEngine';
import type { Scope } from './Scope';

/**
 * THE place a scope becomes SQL: renders a query built with `sql\`…\``, replacing each `scopeRows(alias)`
 * marker with the scope's row predicate and each value with `?` and its literal in `parameters` (in order).
 *
 * - `all` (analysts): `TRUE`.
 * - `schools`: `(alias.school_id IN (…) OR alias.district_id IN (…))`; `FALSE` when the caller holds none.
 *
 * The result is what the engine runs and what the cache key hashes, so two scopes that see different rows
 * never share an entry.
 */
export function applyScope(scope: Scope, query: Sql): EngineQuery {
  let text = '';
  const parameters: string[] = [];
  const render = (fragment: Sql): void => {
    for (const part of fragment.parts) {
      if (part instanceof Sql) render(part);
      else if ('text' in part) text += part.text;
      else if ('value' in part) {
        text += '?';
        parameters.push(sqlLiteral(part.value));
      } else render(rowPredicate(scope, part));
    }
  };
  render(query);
  return { sql: text, parameters };
}

function rowPredicate(scope: Scope, marker: ScopeMarker): Sql {
  if (scope.rows.kind === 'all') return Sql.raw('TRUE');
  const { schoolIds, districtIds } = scope.rows;
  const alternatives: Sql[] = [];
  const inList = (column: string, ids: readonly string[]): Sql =>
    new Sql([
      { text: `${marker.alias}.${column} IN (` },
      Sql.join(
        ids.map((id) => new Sql([{ value: id }])),
        ', ',
      ),
      { text: ')' },
    ]);
  if (schoolIds.length > 0) alternatives.push(inList('school_id', schoolIds));
  if (marker.hasDistrict && districtIds.length > 0) alternatives.push(inList('district_id', districtIds));
  if (alternatives.length === 0) return Sql.raw('FALSE');
  return new Sql([{ text: '(' }, Sql.join(alternatives, ' OR '), { text: ')' }]);
}
