import type { SqlValue } from './sqlLiteral';

type SqlPart = { readonly text: string } | { readonly value: SqlValue } | Sql;

/**
 * A query under construction: SQL text with parameter values kept apart from it. Built with the {@link sql}
 * tag; {@link Sql.render} writes `?` for each value, so no value is ever spliced into SQL text.
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

  /** The text with `?` placeholders and the values in placeholder order. */
  render(): { sql: string; parameters: SqlValue[] } {
    let sql = '';
    const parameters: SqlValue[] = [];
    const walk = (fragment: Sql): void => {
      for (const part of fragment.parts) {
        if (part instanceof Sql) walk(part);
        else if ('text' in part) sql += part.text;
        else {
          sql += '?';
          parameters.push(part.value);
        }
      }
    };
    walk(this);
    return { sql, parameters };
  }
}

/** Tagged template for queries: literal text is SQL, every `${…}` is a parameter value (`?`) or a nested {@link Sql}. */
export function sql(strings: TemplateStringsArray, ...values: (SqlValue | Sql)[]): Sql {
  const parts: SqlPart[] = [];
  strings.forEach((text, i) => {
    if (text) parts.push({ text });
    if (i < values.length) {
      const v = values[i]!;
      parts.push(v instanceof Sql ? v : { value: v });
    }
  });
  return new Sql(parts);
}
