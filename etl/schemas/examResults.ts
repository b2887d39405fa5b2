import { t } from './columnTypes';
import { column, defineDataset } from './defineDataset';
import { ID_MAX_LENGTH, ID_PATTERN } from './identifier';
import { SHARED_COLUMNS as S } from './sharedColumns';

const id = { pattern: ID_PATTERN, maxLength: ID_MAX_LENGTH } as const;

/** Subjects the exam platform assesses. */
export const SUBJECTS = ['mathematics', 'reading', 'writing', 'science', 'social_studies', 'languages'] as const;

/** `exam_results`: one row per student attempt at an exam. */
export const EXAM_RESULTS = defineDataset({
  name: 'exam_results',
  title: 'Exam results',
  description: 'The outcome of every attempt of a student at an exam: who, where, when, score and pass.',
  grain: 'one row per student attempt',
  columns: [
    S.resultId,
    S.examId,
    column('exam_title', t.string(), {
      nullable: true,
      description: 'Human-readable exam title.',
      example: 'Mathematics, grade 5: autumn assessment',
      aliases: ['exam_name', 'test_name', 'assessment_title'],
      constraints: { maxLength: 200 },
    }),
    column('subject', t.string(), {
      description: 'Subject of the exam.',
      example: 'mathematics',
      aliases: ['subject_name', 'domain'],
      constraints: { enum: SUBJECTS },
    }),
    column('grade_level', t.integer(), {
      description: 'School grade (year) the exam is written for.',
      example: '5',
      aliases: ['grade', 'year_group', 'class_level'],
      constraints: { min: 1, max: 12 },
    }),
    S.schoolId,
    column('school_name', t.string(), {
      nullable: true,
      description: 'Name of the school.',
      example: 'Ashford Primary School',
      aliases: ['school'],
      constraints: { maxLength: 200 },
    }),
    column('district_id', t.string(), {
      description: 'Identifier of the school district.',
      example: 'DIS-03',
      aliases: ['district', 'district_code', 'lea_id'],
      constraints: id,
    }),
    column('region', t.string(), {
      description: 'Region the district belongs to.',
      example: 'North',
      aliases: ['region_name', 'area'],
      constraints: { maxLength: 100 },
    }),
    column('class_id', t.string(), {
      description: 'Identifier of the class (teaching group) of the student.',
      example: 'SCH-0007-05B',
      aliases: ['class', 'group_id', 'section_id'],
      constraints: id,
    }),
    column('teacher_id', t.string(), {
      nullable: true,
      description: 'Identifier of the teacher of the class.',
      example: 'TCH-00042',
      aliases: ['teacher', 'instructor_id'],
      constraints: id,
    }),
    S.studentId,
    column('student_name', t.string(), {
      nullable: true,
      pii: true,
      description: 'Full name of the student. Personal data: never shown to partners.',
      example: 'Maria Jensen',
      aliases: ['pupil_name', 'learner_name', 'candidate_name', 'full_name'],
      constraints: { maxLength: 200 },
    }),
    column('attempt', t.integer(), {
      description: 'Attempt number of this student at this exam: 1 for the first sitting, 2 for a retake.',
      example: '1',
      aliases: ['attempt_number', 'attempt_no', 'try'],
      constraints: { min: 1, max: 20 },
    }),
    column('started_at', t.timestamp(), {
      description: 'When the attempt started, with its UTC offset; stored in UTC.',
      example: '2025-10-14T09:05:00+02:00',
      aliases: ['started', 'start_time', 'begin_time'],
    }),
    S.submittedAt,
    column('score', t.decimal(7, 2), {
      description: 'Points scored: the sum of the item points of the attempt.',
      example: '31.00',
      aliases: ['total_score', 'raw_score', 'points_scored'],
      constraints: { min: 0 },
    }),
    column('max_score', t.decimal(7, 2), {
      description: 'Points available in the exam.',
      example: '40.00',
      aliases: ['maximum_score', 'total_points', 'points_possible'],
      constraints: { exclusiveMin: 0 },
    }),
    column('passed', t.boolean(), {
      description: "Whether the score reached the exam's pass mark.",
      example: 'true',
      aliases: ['pass', 'is_passed', 'pass_flag'],
    }),
  ],
  naturalKey: ['result_id'],
  rules: [
    {
      name: 'submitted_after_started',
      left: 'submitted_at',
      operator: '>=',
      right: 'started_at',
      description: 'An attempt is submitted no earlier than it starts.',
    },
    {
      name: 'score_within_max',
      left: 'score',
      operator: '<=',
      right: 'max_score',
      description: 'The score does not exceed the points available.',
    },
  ],
  sortKeys: ['school_id', 'exam_id'],
  partitionSource: 'submitted_at',
  pseudonymSource: 'student_id',
});
