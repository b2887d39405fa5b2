import { t } from './columnTypes';
import { column, defineDataset } from './defineDataset';
import { ID_MAX_LENGTH, ID_PATTERN } from './identifier';
import { SHARED_COLUMNS as S } from './sharedColumns';

/** `item_responses`: one row per question of an attempt. */
export const ITEM_RESPONSES = defineDataset({
  name: 'item_responses',
  title: 'Item responses',
  description: 'The answer to every question of every attempt, for item analysis (difficulty, distractors, timing).',
  grain: 'one row per question of a student attempt',
  columns: [
    S.resultId,
    S.examId,
    S.schoolId,
    S.studentId,
    column('question_id', t.string(), {
      description: 'Identifier of the question (item), stable across the exams that reuse it.',
      example: 'MAT-G05-2025-AUT-Q07',
      aliases: ['item_id', 'question_key'],
      constraints: { pattern: ID_PATTERN, maxLength: ID_MAX_LENGTH },
    }),
    column('question_number', t.integer(), {
      description: 'Position of the question in the exam, from 1.',
      example: '7',
      aliases: ['item_number', 'question_no', 'position'],
      constraints: { min: 1, max: 500 },
    }),
    column('skill', t.string(), {
      nullable: true,
      description: 'Skill or curriculum strand the question assesses.',
      example: 'fractions',
      aliases: ['strand', 'competency', 'skill_code'],
      constraints: { maxLength: 100 },
    }),
    column('response', t.string(), {
      nullable: true,
      description: 'The answer given (an option letter for multiple choice); empty when the question was skipped.',
      example: 'B',
      aliases: ['answer', 'student_response', 'selected_option'],
      constraints: { maxLength: 200 },
    }),
    column('correct_response', t.string(), {
      description: 'The correct answer (the key).',
      example: 'C',
      aliases: ['correct_answer', 'answer_key', 'key'],
      constraints: { maxLength: 200 },
    }),
    column('is_correct', t.boolean(), {
      description: 'Whether the answer was marked correct.',
      example: 'false',
      aliases: ['correct', 'is_right'],
    }),
    column('points', t.decimal(5, 2), {
      description: 'Points awarded for the question.',
      example: '0.00',
      aliases: ['item_score', 'points_awarded'],
      constraints: { min: 0 },
    }),
    column('max_points', t.decimal(5, 2), {
      description: 'Points available for the question.',
      example: '1.00',
      aliases: ['item_max_points', 'item_max_score'],
      constraints: { exclusiveMin: 0 },
    }),
    column('time_spent_seconds', t.integer(), {
      description: 'Seconds the student spent on the question.',
      example: '48',
      aliases: ['time_spent', 'duration_seconds', 'response_time'],
      constraints: { min: 0, max: 86_400 },
    }),
    S.submittedAt,
  ],
  naturalKey: ['result_id', 'question_id'],
  rules: [
    {
      name: 'points_within_max',
      left: 'points',
      operator: '<=',
      right: 'max_points',
      description: 'The points awarded do not exceed the points available.',
    },
  ],
  sortKeys: ['school_id', 'exam_id'],
  partitionSource: 'submitted_at',
  pseudonymSource: 'student_id',
});
