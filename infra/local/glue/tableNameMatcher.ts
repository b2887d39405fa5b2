import { glueErrors } from './glueErrors';

/**
 * The GetTables `Expression` filter, read as Glue reads it (Hive's table pattern): alternatives separated by `|`,
 * `*` standing for any run of characters, anything else a regular expression matched against the whole name,
 * case-insensitively. `exam*` matches `exam_results`; `exam_results|item_*` matches both dataset tables.
 */
export function tableNameMatcher(expression: string | undefined): (name: string) => boolean {
  if (expression === undefined || expression.trim() === '') return () => true;
  const alternatives = expression.split('|').map((alternative) => {
    const source = alternative.trim().replace(/(^|[^.\\])\*/g, '$1.*');
    try {
      return new RegExp(`^(?:${source})$`, 'i');
    } catch {
      throw glueErrors.invalidInput(`Expression '${expression}' is not a valid table name pattern.`);
    }
  });
  return (name) => alternatives.some((pattern) => pattern.test(name));
}
