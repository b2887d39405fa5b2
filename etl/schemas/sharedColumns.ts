import { t } from './columnTypes';
import { column } from './defineDataset';
import { ID_MAX_LENGTH, ID_PATTERN } from './identifier';

const id = { pattern: ID_PATTERN, maxLength: ID_MAX_LENGTH } as const;

/**
 * Columns both datasets carry with the same meaning, declared once so that a join key cannot drift between
 * `exam_results` and `item_responses`.
 */
export const SHARED_COLUMNS = {
  resultId: column('result_id', t.string(), {
    description: 'Identifier of one attempt of one student at one exam, unique across exports.',
    example: '7f3c2a9e-5d41-4b8a-9c0e-2f6d8b1a4e77',
    aliases: ['attempt_id', 'submission_id', 'result_key'],
    constraints: id,
  }),
  examId: column('exam_id', t.string(), {
    description: 'Identifier of the exam (one subject, grade and sitting).',
    example: 'MAT-G05-2025-AUT',
    aliases: ['test_id', 'assessment_id'],
    constraints: id,
  }),
  schoolId: column('school_id', t.string(), {
    description: 'Identifier of the school where the attempt was taken.',
    example: 'SCH-0007',
    aliases: ['school_code', 'institution_id'],
    constraints: id,
  }),
  studentId: column('student_id', t.string(), {
    pii: true,
    description:
      "The exam platform's student identifier. Identifies a person: never shown to partners; the curated " +
      '`student_key` pseudonym is derived from it.',
    example: 'STU-000123',
    aliases: ['pupil_id', 'learner_id', 'candidate_id'],
    constraints: id,
  }),
  submittedAt: column('submitted_at', t.timestamp(), {
    description: 'When the attempt was submitted, with its UTC offset; stored in UTC. Partitions the curated data.',
    example: '2025-10-14T10:02:31+02:00',
    aliases: ['submitted', 'submission_time', 'completed_at', 'finished_at'],
  }),
} as const;
