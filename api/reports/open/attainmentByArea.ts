import type { OpenReportDefinition } from './OpenReportDefinition';

const count = (name: string, what: string) => [
  { name, type: 'bigint', description: `${what} Null when suppressed.` },
  {
    name: `${name}_suppressed`,
    type: 'varchar',
    description:
      '`withheld` when the figure is withheld (too few students, or it would let such a figure be derived or narrowed down; one label for both so that it bounds nothing); null when published.',
  },
];

/**
 * `attainment-by-area`: first attempts and passes by region, district and school, by subject, for one year.
 * The table's dimensions: area (region → district → school), subject, outcome (passed / not passed); every
 * level of each is published, so all their totals are equations the suppression protects against.
 *
 * Unit: a student's first attempt at an exam (`attempt = 1`), so each figure counts students once per exam and
 * every total is the sum of its parts.
 */
export const ATTAINMENT_BY_AREA: OpenReportDefinition = {
  id: 'attainment-by-area',
  title: 'Attainment by area',
  description:
    'First attempts and passes per region, district and school, by subject and overall, for one calendar year. ' +
    'Figures about fewer students than the minimum group size, and figures that would let one be derived, are withheld.',
  datasets: ['exam_results'],
  parameters: {
    type: 'object',
    required: ['year'],
    properties: {
      year: { type: 'integer', minimum: 2000, maximum: 2099 },
      subject: { type: 'string' },
      level: { type: 'string', enum: ['national', 'region', 'district', 'school'] },
    },
    additionalProperties: false,
  },
  columns: [
    { name: 'level', type: 'varchar', description: '`national`, `region`, `district` or `school`.' },
    { name: 'region', type: 'varchar', description: 'Region (null at national level).' },
    { name: 'district_id', type: 'varchar', description: 'District (null above district level).' },
    { name: 'school_id', type: 'varchar', description: 'School (null above school level).' },
    { name: 'subject', type: 'varchar', description: 'Subject; null for all subjects together.' },
    ...count('first_attempts', 'First attempts at exams (one per student and exam).'),
    ...count('passed', 'First attempts that passed.'),
    ...count('not_passed', 'First attempts that did not pass.'),
    {
      name: 'pass_rate',
      type: 'double',
      description: 'passed / first_attempts, when both are published; null otherwise.',
    },
  ],
  leafQuery(year) {
    return {
      sql:
        'SELECT region, district_id, school_id, subject, passed, count(*) AS count FROM exam_results ' +
        'WHERE year = ? AND attempt = 1 GROUP BY region, district_id, school_id, subject, passed',
      parameters: [year],
      datasets: ['exam_results'],
      columnsRead: { exam_results: ['region', 'district_id', 'school_id', 'subject', 'passed', 'year', 'attempt'] },
    };
  },
  coordinates(row) {
    return [
      [String(row['region']), String(row['district_id']), String(row['school_id'])],
      [String(row['subject'])],
      [row['passed'] === true || row['passed'] === 'true' ? 'passed' : 'not_passed'],
    ];
  },
};

/** Every open-data report by id. */
export const OPEN_REPORTS: readonly OpenReportDefinition[] = [ATTAINMENT_BY_AREA];
