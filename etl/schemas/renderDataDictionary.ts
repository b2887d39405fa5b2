import { TYPE_FORMATS, typeLabel } from './columnTypes';
import { LINEAGE_COLUMNS, PARTITION_COLUMNS, PARTITION_YEAR_RANGE, partitionPath } from './curatedColumns';
import type { ColumnConstraints, DatasetSchema } from './DatasetSchema';
import { DATASETS } from './datasets';
import { REJECT_REASONS, SUPERSEDED } from './rejectReasons';

/** The command that rewrites `docs/data-dictionary.md`; the freshness test quotes it. */
export const DATA_DICTIONARY_COMMAND = 'npx examlake schema dictionary --write';
/** Where the data dictionary lives, relative to the repository root. */
export const DATA_DICTIONARY_PATH = 'docs/data-dictionary.md';

/** `docs/data-dictionary.md`, rendered from the schemas. Deterministic: the same schemas give the same text. */
export function renderDataDictionary(): string {
  const out: string[] = [
    '# Data dictionary',
    '',
    `<!-- Generated from etl/schemas by \`${DATA_DICTIONARY_COMMAND}\`. Do not edit by hand. -->`,
    '',
    'The datasets examlake accepts as CSV exports and serves as curated tables in the Glue database `examlake`. ' +
      'Each is declared once in `etl/schemas/`; this page, the Glue tables, the transform and the Glue job all ' +
      'read that declaration.',
    '',
    '**Reading exports.** One header row, UTF-8, comma-separated, RFC 4180 quoting; a byte order mark, CRLF line ' +
      'ends, quoted newlines and trailing empty lines are accepted. Header names match a column by its name or an ' +
      'alias, ignoring letter case, spaces, underscores, hyphens and dots (`Student ID`, `studentId` and ' +
      '`student-id` all mean `student_id`). An empty field is null. Columns may come in any order; a missing ' +
      'nullable column is null in every row.',
    '',
    ...Object.values(DATASETS).flatMap(renderDataset),
    '## Columns every curated table adds',
    '',
    '| column | type | description |',
    '|---|---|---|',
    ...LINEAGE_COLUMNS.map((c) => `| \`${c.name}\` | ${typeLabel(c.type)} | ${cell(c.description)} |`),
    '',
    `Partitions (not stored in the files; the \`key=value\` object path, e.g. \`${partitionPath(2025, 9)}\`):`,
    '',
    '| partition | type | description |',
    '|---|---|---|',
    ...PARTITION_COLUMNS.map((p) => `| \`${p.name}\` | ${typeLabel(p.type)} | ${cell(p.description)} |`),
    '',
    `Partition projection covers the years ${PARTITION_YEAR_RANGE.first}–${PARTITION_YEAR_RANGE.last}.`,
    '',
    '## Value formats',
    '',
    '| type | accepted text |',
    '|---|---|',
    ...Object.entries(TYPE_FORMATS).map(([kind, f]) => `| ${kind} | ${cell(f.description)} |`),
    '',
    '## Reject reasons',
    '',
    'A refused object or row carries one of these codes. A row gets the first row reason in this order that ' +
      'applies (within one reason, the first column in schema order).',
    '',
    '| code | applies to | meaning |',
    '|---|---|---|',
    ...Object.entries(REJECT_REASONS).map(([code, r]) => `| \`${code}\` | ${r.scope} | ${cell(r.description)} |`),
    '',
    `Not a reject: \`${SUPERSEDED.code}\`: ${SUPERSEDED.description}`,
    '',
  ];
  return out.join('\n');
}

function renderDataset(d: DatasetSchema): string[] {
  return [
    `## \`${d.name}\`: ${d.title}`,
    '',
    d.description,
    '',
    `- **Grain:** ${d.grain}.`,
    `- **Natural key:** ${d.naturalKey.map(code).join(', ')}. A later export of the same key replaces the earlier row.`,
    `- **Raw prefix:** \`${d.name}/\` in the raw bucket. **Glue table:** \`examlake.${d.name}\`.`,
    `- **Partitions:** UTC \`year\` and \`month\` of ${code(d.partitionSource)}. **Sorted by:** ${d.sortKeys.map(code).join(', ')} inside each file.`,
    d.pseudonymSource ? `- **Pseudonym:** \`student_key\` is derived from ${code(d.pseudonymSource)}.` : '',
    '',
    '| column | type | required | PII | constraints | also accepted as | description |',
    '|---|---|---|---|---|---|---|',
    ...d.columns.map(
      (c) =>
        `| \`${c.name}\` | ${typeLabel(c.type)} | ${c.nullable ? 'no' : 'yes'} | ${c.pii ? 'yes' : ''} | ` +
        `${cell(constraintText(c.constraints))} | ${c.aliases.map(code).join(', ')} | ${cell(c.description)} e.g. \`${c.example}\` |`,
    ),
    '',
    ...(d.rules.length > 0
      ? [
          'Rules between columns (a failing row is rejected as `CONSTRAINT_VIOLATION` naming the rule):',
          '',
          ...d.rules.map((r) => `- \`${r.name}\`: \`${r.left} ${r.operator} ${r.right}\`. ${r.description}`),
          '',
        ]
      : []),
  ].filter((line, i, all) => line !== '' || all[i - 1] !== '');
}

function constraintText(c: ColumnConstraints): string {
  return [
    c.min !== undefined && `≥ ${c.min}`,
    c.exclusiveMin !== undefined && `> ${c.exclusiveMin}`,
    c.max !== undefined && `≤ ${c.max}`,
    c.exclusiveMax !== undefined && `< ${c.exclusiveMax}`,
    c.enum && `one of ${c.enum.map(code).join(', ')}`,
    c.pattern && `matches ${code(c.pattern)}`,
    c.maxLength !== undefined && `at most ${c.maxLength} characters`,
  ]
    .filter(Boolean)
    .join('; ');
}

function code(text: string): string {
  return `\`${text}\``;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
