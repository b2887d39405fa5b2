import type { ColumnDefinition } from '../schemas/DatasetSchema';
import type { Random } from './Random';

/** How an export spells its header. Every style resolves through the schema's header matching. */
export const HEADER_STYLES = ['canonical', 'title', 'camel', 'kebab', 'alias', 'mixed'] as const;
export type HeaderStyle = (typeof HEADER_STYLES)[number];

/** `student_id` → `Student ID`. */
export function titleCase(name: string): string {
  return name
    .split('_')
    .map((w) => (w === 'id' ? 'ID' : `${w[0]!.toUpperCase()}${w.slice(1)}`))
    .join(' ');
}

/** `student_id` → `studentId`. */
export function camelCase(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The header field of a column in a style (`mixed` draws a spelling per column). */
export function headerName(column: ColumnDefinition, style: HeaderStyle, rng: Random): string {
  switch (style) {
    case 'canonical':
      return column.name;
    case 'title':
      return titleCase(column.name);
    case 'camel':
      return camelCase(column.name);
    case 'kebab':
      return column.name.replace(/_/g, '-');
    case 'alias':
      return column.aliases[0] ?? titleCase(column.name);
    case 'mixed':
      return rng.pick([
        column.name,
        titleCase(column.name),
        camelCase(column.name),
        column.name.toUpperCase(),
        ...column.aliases,
      ]);
  }
}
