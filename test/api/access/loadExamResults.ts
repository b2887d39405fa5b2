import { examResultsCsv, examRow } from '../../etl/support/examResultsCsv';
import { ingestExport } from '../../support/ingestExport';
import type { TestStack } from '../../support/localStack';

/** A group of identical first attempts: `count` students of one school and subject who passed or not. */
export interface AttemptGroup {
  readonly region: string;
  readonly district: string;
  readonly school: string;
  readonly subject: string;
  readonly passed: boolean;
  readonly count: number;
}

/** Uploads an exam_results export made of these groups and waits until the ETL has made it curated data. */
export async function loadExamResults(stack: TestStack, groups: readonly AttemptGroup[]): Promise<void> {
  const rows = groups.flatMap((g) =>
    Array.from({ length: g.count }, () =>
      examRow({
        region: g.region,
        district_id: g.district,
        school_id: g.school,
        class_id: `${g.school}-05A`,
        subject: g.subject,
        exam_id: `${g.subject.slice(0, 3).toUpperCase()}-G05-2025`,
        passed: String(g.passed),
        score: g.passed ? '31.00' : '11.00',
      }),
    ),
  );
  await ingestExport(stack, 'exam_results/access-test.csv', examResultsCsv(rows), 60_000);
}
